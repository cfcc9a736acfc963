"""A ticket row as the model, shared by the ticket repositories."""

from __future__ import annotations

from typing import Any

from core.models import Ticket

# The columns are named as the model's fields (and have their types: bigint, timestamptz,
# boolean), so every field is read by name.
_TICKET_FIELDS = tuple(Ticket.model_fields)


def ticket_from_row(row: Any) -> Ticket:
    return Ticket(**{name: row[name] for name in _TICKET_FIELDS})
