"""Percentiles and the printed table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: p99 of 100 samples is the 99th smallest, a value seen."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> float:
    return seconds * 1000.0


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    baseline: str = ""
    target: str = ""
    met: bool | None = None  # None: no target for this row


def render_table(rows: Sequence[Row]) -> str:
    headers = ("figure", "value", "baseline", "target", "")
    cells = [
        (r.figure, r.value, r.baseline, r.target, {True: "ok", False: "MISSED", None: ""}[r.met])
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)

    def fmt(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([fmt(headers), line, *(fmt(c) for c in cells)])
