"""Load the plain-text prompt templates in this package and fill them.

Templates use `$name` placeholders filled by `string.Template.safe_substitute`, never
`str.format`: text from members or admins may hold `{` `}` or `$`, and it must come out
verbatim instead of raising or reaching into Python objects.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from string import Template

_PROMPTS_DIR = Path(__file__).resolve().parent
# Names are fixed identifiers chosen in code ("system", "departments/billing"); the
# pattern keeps a stray value from reading any other file.
_NAME = re.compile(r"[a-z0-9_]+(?:/[a-z0-9_]+)*")


@functools.cache
def load_prompt(name: str) -> str:
    """The template `prompts/<name>.txt`, stripped. FileNotFoundError if there is none."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid prompt name {name!r}")
    return (_PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8").strip()


def render(template: str, **values: object) -> str:
    """Fill `$name` placeholders; unknown placeholders and stray `$` are left as they are."""
    return Template(template).safe_substitute({key: str(value) for key, value in values.items()})
