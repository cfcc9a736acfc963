"""Domain errors, as data: a stable `code`, the facts a sentence needs (`params`) and, for
bad input, the `field`. Core words nothing: each front end turns a code into its own
sentence (the Discord front end in `wording/catalogue.py`, SPEC §7), so no front end's
syntax (mentions, slash commands) ever reaches another one.

`str(error)` is for logs and developers only (the code and its params), never for members.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """Something to tell a person, before any front end words it.

    `code` is stable (front ends and translations key on it), e.g. "ticket.not_found";
    `params` are plain values, e.g. {"ticket_id": 12}. A param may itself hold messages
    (e.g. the problems of a form definition).
    """

    model_config = ConfigDict(frozen=True)

    code: str
    params: dict[str, Any] = {}

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code=code, params=params)

    def __str__(self) -> str:
        if not self.params:
            return self.code
        facts = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.code} ({facts})"


class DomainError(Exception):
    """A rule of the desk refused the operation. Raise with a code and its params,
    `NotFound("ticket.not_found", ticket_id=12)`, or with a ready `Message`."""

    field: str | None = None

    def __init__(self, code: str | Message, /, **params: Any) -> None:
        self.message = code if isinstance(code, Message) else Message(code, **params)
        super().__init__(self.message.code)

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def params(self) -> dict[str, Any]:
        return self.message.params

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else str(self.message)


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad input; `field` names what was wrong (a command option or a form question label)
    and the message is the rule broken."""

    def __init__(self, field: str, code: str | Message, /, **params: Any) -> None:
        super().__init__(code, **params)
        self.field = field


class InvalidTransition(DomainError):
    pass


class FeatureDisabled(DomainError):
    pass


class NotConfigured(DomainError):
    pass


class LimitReached(DomainError):
    pass
