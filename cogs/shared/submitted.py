"""The values of a modal submit, read from the interaction's raw data.

Its own module because both the modal router and the error reporter read submits (the
reporter gives back what a member typed into a refused modal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from cogs.shared.text import Typed

TEXT_INPUT, STRING_SELECT, FILE_UPLOAD, CHECKBOX = 4, 3, 19, 23
ACTION_ROW, LABEL = 1, 18
RANDOM_ID = re.compile(r"[0-9a-f]{32}")


class Submitted:
    """The values of a modal submit, read from the interaction's raw data."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.fields: dict[str, Mapping[str, Any]] = {}
        self._walk(data.get("components") or [])
        resolved = data.get("resolved") or {}
        self._attachments: Mapping[str, Any] = resolved.get("attachments") or {}

    def _walk(self, components: Iterable[Mapping[str, Any]]) -> None:
        for component in components:
            if component.get("type") == ACTION_ROW:
                self._walk(component.get("components") or [])
            elif component.get("type") == LABEL:
                self._walk([component.get("component") or {}])
            elif component.get("custom_id"):
                self.fields[str(component["custom_id"])] = component

    def ids(self) -> set[str]:
        return set(self.fields)

    def text(self, custom_id: str) -> str:
        return str(self.fields.get(custom_id, {}).get("value") or "")

    def choices(self, custom_id: str) -> list[str]:
        return [str(v) for v in self.fields.get(custom_id, {}).get("values") or []]

    def checked(self, custom_id: str) -> bool:
        return self.fields.get(custom_id, {}).get("value") is True

    def files(self, custom_id: str) -> list[dict[str, Any]]:
        found = (self._attachments.get(str(i)) for i in self.choices(custom_id))
        return [{"filename": a["filename"], "url": a["url"], "size": a["size"]} for a in found if a]

    def typed(self, labels: Mapping[str, str] | None = None) -> Typed:
        """Every text the member typed, in order, named by `labels` where given."""
        labels = labels or {}
        texts = [
            (custom_id, str(field.get("value") or ""))
            for custom_id, field in self.fields.items()
            if field.get("type") == TEXT_INPUT
        ]
        many = len(texts) > 1

        def name(custom_id: str, n: int) -> str:
            if custom_id in labels:
                return labels[custom_id]
            # discord.py's default custom_ids are random hex and mean nothing to a member.
            if RANDOM_ID.fullmatch(custom_id):
                return f"Text {n}" if many else "Your text"
            return custom_id

        return [(name(cid, n), value) for n, (cid, value) in enumerate(texts, 1)]
