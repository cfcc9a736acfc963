"""Models built from rows the schema already typed, at the cost of one dict.

pydantic's `model_construct` skips validation but still walks every field for aliases and
defaults, so building ten tickets for a list page cost more than the SQL that found them
(~30 µs a ticket). Rows give every field, in the model's types, so the instance is put
together the way `model_construct` ends: its `__dict__`, the fields set, no extras.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__


def trusted(cls: type[M], fields: dict[str, Any]) -> M:
    """`cls.model_construct(**fields)` for a dict holding exactly the model's fields."""
    model = cls.__new__(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def check_trusted(cls: type[BaseModel]) -> None:
    """At import: `trusted` skips post-init hooks, so the model must have none. (That the
    row functions give every field is tests/storage/test_trusted_rows.py's to check.)"""
    if cls.__pydantic_post_init__ is not None:
        raise TypeError(f"{cls.__name__} can't be built with trusted(); use model_construct")
