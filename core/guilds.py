"""Guild configuration and feature flags; setup and switches are for admins only.

The one feature gate lives here (`ensure_enabled`, `GuildService.require_feature`), and so
does whether the bot has AI settings at all (`GuildService.ai_configured`, known once).
"""

from __future__ import annotations

from core.access import ServerIds, require_own_ids
from core.clock import Clock
from core.errors import FeatureDisabled, InvalidInput
from core.models import Actor, Department, Feature, FeatureFlags, GuildConfig
from core.policy import require_admin
from core.ports import Store, UnitOfWork
from i18n import available_locales

# (minimum, maximum) for each admin-tunable limit: wide enough for any community,
# narrow enough that a typo can't switch a safeguard off.
LIMIT_BOUNDS: dict[str, tuple[int, int]] = {
    "max_open_tickets": (1, 50),
    "cooldown_seconds": (0, 3600),
    "reminder_hours": (1, 24 * 30),
    "autoclose_hours": (1, 24 * 30),
}

AI_KNOWLEDGE_MAX = 20_000


def ensure_enabled(flags: FeatureFlags, feature: Feature) -> None:
    """The one feature gate: refuse when `feature` is off (also for checks inside a write).
    Front ends word "feature.disabled" with SPEC §2's exact sentence."""
    if not flags.is_on(feature):
        raise FeatureDisabled("feature.disabled", feature=feature.value)


class GuildService:
    def __init__(self, store: Store, clock: Clock, *, ai_configured: bool = False) -> None:
        self._store = store
        self._clock = clock
        self._ai_configured = ai_configured

    @property
    def ai_configured(self) -> bool:
        """Whether the bot has AI settings at all (from `Settings`, given once at start)."""
        return self._ai_configured

    def ai_on(self, flags: FeatureFlags) -> bool:
        """Whether the AI may work in the guild whose `flags` these are."""
        return self._ai_configured and flags.is_on(Feature.AI)

    async def config(self, guild_id: int) -> GuildConfig:
        return await self._store.reads.guilds.config(guild_id)

    async def flags(self, guild_id: int) -> FeatureFlags:
        return await self._store.reads.guilds.flags(guild_id)

    async def require_feature(self, guild_id: int, feature: Feature) -> None:
        ensure_enabled(await self.flags(guild_id), feature)

    async def setup(
        self,
        actor: Actor,
        *,
        ticket_channel_id: int,
        staff_role_id: int,
        log_channel_id: int | None = None,
        review_channel_id: int | None = None,
        server: ServerIds,
    ) -> GuildConfig:
        """`server` holds the channels and roles of the actor's server: ids from any other
        server are refused, naming the option."""
        require_admin(actor)
        require_own_ids(
            server,
            channels={
                "ticket_channel": ticket_channel_id,
                "log_channel": log_channel_id,
                "review_channel": review_channel_id,
            },
            roles={"staff_role": staff_role_id},
        )
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> GuildConfig:
            await uow.guilds.update_settings(
                actor.guild_id,
                now,
                ticket_channel_id=ticket_channel_id,
                staff_role_id=staff_role_id,
                log_channel_id=log_channel_id,
                review_channel_id=review_channel_id,
            )
            return await uow.guilds.config(actor.guild_id)

        return await self._store.write(work)

    async def set_department_role(
        self, actor: Actor, department: Department, role_id: int, *, server: ServerIds
    ) -> GuildConfig:
        require_admin(actor)
        require_own_ids(server, roles={"role": role_id})

        async def work(uow: UnitOfWork) -> GuildConfig:
            await uow.guilds.set_department_role(actor.guild_id, department, role_id)
            return await uow.guilds.config(actor.guild_id)

        return await self._store.write(work)

    async def set_feature(self, actor: Actor, feature: Feature, enabled: bool) -> FeatureFlags:
        require_admin(actor)
        if feature is Feature.AI and enabled and not self._ai_configured:
            raise InvalidInput("ai", "ai.cannot_turn_on")

        async def work(uow: UnitOfWork) -> FeatureFlags:
            await uow.guilds.set_flag(actor.guild_id, feature, enabled)
            return await uow.guilds.flags(actor.guild_id)

        return await self._store.write(work)

    async def set_limits(self, actor: Actor, **limits: int | None) -> GuildConfig:
        require_admin(actor)
        changes = {name: value for name, value in limits.items() if value is not None}
        for name, value in changes.items():
            low, high = LIMIT_BOUNDS[name]
            if not low <= value <= high:
                raise InvalidInput(name, "input.between", low=low, high=high)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> GuildConfig:
            if changes:
                await uow.guilds.update_settings(actor.guild_id, now, **changes)
            return await uow.guilds.config(actor.guild_id)

        return await self._store.write(work)

    async def set_ai_knowledge(self, actor: Actor, text: str | None) -> GuildConfig:
        require_admin(actor)
        if text is not None and len(text) > AI_KNOWLEDGE_MAX:
            raise InvalidInput("knowledge", "input.max_characters", max=AI_KNOWLEDGE_MAX)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> GuildConfig:
            await uow.guilds.update_settings(actor.guild_id, now, ai_knowledge=text or None)
            return await uow.guilds.config(actor.guild_id)

        return await self._store.write(work)

    async def set_language(self, actor: Actor, language: str | None) -> GuildConfig:
        """The server's language for threads, the log channel and DMs (a locale code of a
        language the desk speaks); None goes back to the server's own on Discord."""
        require_admin(actor)
        if language is not None and language not in available_locales():
            raise InvalidInput("language", "input.one_of", choices=list(available_locales()))
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> GuildConfig:
            await uow.guilds.update_settings(actor.guild_id, now, language=language)
            return await uow.guilds.config(actor.guild_id)

        return await self._store.write(work)

    async def forget(self, actor: Actor) -> dict[str, int]:
        require_admin(actor)
        return await self._store.write(lambda uow: uow.guilds.forget(actor.guild_id))
