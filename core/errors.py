"""Domain errors. Their messages are safe to show a member and say what to do next."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the desk refused the operation; `str(error)` is the member-facing message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad input; `field` names what was wrong (a command option or a form question label)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class InvalidTransition(DomainError):
    pass


class FeatureDisabled(DomainError):
    pass


class NotConfigured(DomainError):
    pass


class LimitReached(DomainError):
    pass
