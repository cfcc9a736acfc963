"""Read-only views over what the bot produced: messages, interaction replies, modals.

They wrap the fake's live payload dicts, so an edit the bot makes later shows up in a view
a test already holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .state import EPHEMERAL, LOADING, DiscordState, Interaction, Payload


def walk_components(components: list[Payload]) -> Iterator[Payload]:
    """Every component, however nested (action rows, containers, sections, labels)."""
    for component in components:
        yield component
        for key in ("components", "accessory", "component"):
            child = component.get(key)
            if isinstance(child, dict):
                yield from walk_components([child])
            elif isinstance(child, list):
                yield from walk_components(child)


def flatten_text(content: str, embeds: list[Payload], components: list[Payload]) -> str:
    """Everything a person would read, as one string for `in` asserts."""
    parts = [content]
    for embed in embeds:
        parts += [(embed.get("author") or {}).get("name", ""), embed.get("title", "")]
        parts.append(embed.get("description", ""))
        for field in embed.get("fields") or []:
            parts += [field.get("name", ""), field.get("value", "")]
        parts.append((embed.get("footer") or {}).get("text", ""))
    parts += [c.get("content", "") for c in walk_components(components) if c.get("type") == 10]
    return "\n".join(p for p in parts if p)


@dataclass
class Msg:
    """A message as stored by the fake (public or ephemeral)."""

    raw: Payload
    state: DiscordState

    @property
    def id(self) -> int:
        return int(self.raw["id"])

    @property
    def channel_id(self) -> int:
        return int(self.raw["channel_id"])

    @property
    def author_id(self) -> int:
        return int(self.raw["author"]["id"])

    @property
    def by_bot(self) -> bool:
        return self.author_id == self.state.application_id

    @property
    def content(self) -> str:
        return str(self.raw.get("content") or "")

    @property
    def embeds(self) -> list[Payload]:
        return list(self.raw.get("embeds") or [])

    @property
    def components(self) -> list[Payload]:
        return list(self.raw.get("components") or [])

    @property
    def attachments(self) -> list[Payload]:
        return list(self.raw.get("attachments") or [])

    @property
    def flags(self) -> int:
        return int(self.raw.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def text(self) -> str:
        return flatten_text(self.content, self.embeds, self.components)

    @property
    def buttons(self) -> list[str]:
        return [c.get("label", "") for c in walk_components(self.components) if c["type"] == 2]

    @property
    def mention_everyone(self) -> bool:
        return bool(self.raw.get("mention_everyone"))

    @property
    def mentioned_user_ids(self) -> list[int]:
        return [int(u["id"]) for u in self.raw.get("mentions") or []]

    @property
    def mentioned_role_ids(self) -> list[int]:
        return [int(r) for r in self.raw.get("mention_roles") or []]

    def attachment_bytes(self, index: int = 0) -> bytes:
        attachment_id = int(self.attachments[index]["id"])
        return self.state.attachments[attachment_id][1]

    def attachment_named(self, suffix: str) -> tuple[Payload, bytes]:
        for attachment in self.attachments:
            if attachment["filename"].endswith(suffix):
                return attachment, self.state.attachments[int(attachment["id"])][1]
        raise KeyError(f"no attachment ending in {suffix!r} on message {self.id}")

    def __repr__(self) -> str:
        return f"<Msg {self.id} {self.text[:80]!r}>"


@dataclass
class Modal:
    """A modal the bot opened; submit it with `Person.submit_modal`."""

    data: Payload
    interaction: Interaction

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def custom_id(self) -> str:
        return str(self.data.get("custom_id", ""))

    @property
    def inputs(self) -> list[tuple[str, Payload]]:
        """(label, component) for every input, old style (action row) and new (Label)."""
        found = []
        for top in self.data.get("components") or []:
            if top.get("type") == 18:
                found.append((top.get("label", ""), top["component"]))
            elif top.get("type") == 1:
                found += [(c.get("label", ""), c) for c in top.get("components") or []]
        return found

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.inputs]


@dataclass
class Reply:
    """What the bot answered to one interaction."""

    interaction: Interaction
    state: DiscordState

    @property
    def callback_type(self) -> int | None:
        return self.interaction.callback_type

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    @property
    def message(self) -> Msg | None:
        """The response message (for a component update: the message that was updated)."""
        raw = self.state.messages_by_id.get(self.interaction.original_id or 0)
        if raw is not None and self.callback_type in (4, 5, 7):
            return Msg(raw, self.state)
        if raw is not None and self.callback_type == 6 and self.interaction.edits:
            return Msg(raw, self.state)
        return None

    @property
    def followups(self) -> list[Msg]:
        found = (self.state.messages_by_id.get(i) for i in self.interaction.followup_ids)
        return [Msg(raw, self.state) for raw in found if raw is not None]

    @property
    def visible(self) -> Msg | None:
        """The answer a person sees: the response message, else the first followup."""
        if self.message is not None:
            return self.message
        return self.followups[0] if self.followups else None

    @property
    def content(self) -> str:
        return self.visible.content if self.visible else ""

    @property
    def embeds(self) -> list[Payload]:
        return self.visible.embeds if self.visible else []

    @property
    def components(self) -> list[Payload]:
        return self.visible.components if self.visible else []

    @property
    def buttons(self) -> list[str]:
        return self.visible.buttons if self.visible else []

    @property
    def ephemeral(self) -> bool:
        return bool(self.visible and self.visible.ephemeral)

    @property
    def text(self) -> str:
        """Response text and every followup's, flattened: what the member ends up reading."""
        texts = [m.text for m in ([self.message] if self.message else []) + self.followups]
        return "\n".join(texts)

    @property
    def modal(self) -> Modal:
        if self.callback_type != 9 or self.interaction.callback_data is None:
            raise AssertionError(
                f"the bot answered with callback {self.callback_type}, not a modal"
            )
        return Modal(self.interaction.callback_data, self.interaction)

    @property
    def choices(self) -> list[Payload]:
        if self.callback_type != 8:
            raise AssertionError(
                f"the bot answered with callback {self.callback_type}, not choices"
            )
        return list((self.interaction.callback_data or {}).get("choices") or [])

    def __repr__(self) -> str:
        return f"<Reply callback={self.callback_type} text={self.text[:80]!r}>"


def answer_settled(record: Interaction, state: DiscordState) -> bool:
    """True once the bot's answer is complete enough to assert on."""
    kind = record.callback_type
    if kind is None:
        return False
    if kind == 5:
        original = state.messages_by_id.get(record.original_id or 0)
        return bool(record.followup_ids) or (
            original is not None and not original["flags"] & LOADING
        )
    if kind == 6:
        return bool(record.followup_ids) or record.edits > 0
    return True


def describe_interaction(record: Interaction) -> dict[str, Any]:
    return {
        "type": record.type,
        "data": record.payload.get("data"),
        "callback": record.callback_type,
        "rejected_callbacks": record.errors,
    }


@dataclass
class Channel:
    """A text channel, thread or DM as the fake holds it."""

    raw: Payload

    @property
    def id(self) -> int:
        return int(self.raw["id"])

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    @property
    def type(self) -> int:
        return int(self.raw["type"])

    @property
    def parent_id(self) -> int | None:
        parent = self.raw.get("parent_id")
        return int(parent) if parent else None

    @property
    def archived(self) -> bool:
        return bool((self.raw.get("thread_metadata") or {}).get("archived"))

    @property
    def locked(self) -> bool:
        return bool((self.raw.get("thread_metadata") or {}).get("locked"))

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def __repr__(self) -> str:
        return f"<Channel {self.name!r} {self.id}>"
