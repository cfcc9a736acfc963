"""Turns the measurements into table rows and the one summary line other tools read."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

from bench.interactions import InteractionResult
from bench.memory import MemoryResult
from bench.reads import ReadFigure
from bench.shards import ShardResult
from bench.stats import Row, ms
from bench.writes import WriteResult

WRITE_RATIO_TARGET = 0.25
READ_P99_TARGET_MS = 5.0
ACK_P99_TARGET_MS = 50.0
ACK_TARGET_AT = 100
READY_P99_TARGET_MS = 300.0
RSS_TARGET_MB = 150.0


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def write_rows(result: WriteResult) -> list[Row]:
    baseline = f"sqlite3 {result.raw_rate:,.0f}/s"
    rows = []
    top = max(level.callers for level in result.levels)
    for level in result.levels:
        ratio = result.ratio(level)
        gated = level.callers == top
        rows.append(
            Row(
                f"create rate @{level.callers} callers",
                f"{level.rate:,.0f}/s (ratio {ratio:.2f})",
                baseline,
                f"ratio >= {WRITE_RATIO_TARGET}" if gated else "",
                ratio >= WRITE_RATIO_TARGET if gated else None,
            )
        )
        rows.append(
            Row(
                f"create latency @{level.callers}",
                f"p50 {ms(level.p50):.2f} ms, p99 {ms(level.p99):.1f} ms",
                f"sqlite3 p50 {ms(result.raw_p50):.2f}, p99 {ms(result.raw_p99):.1f}",
            )
        )
    return rows


def read_rows(figures: list[ReadFigure]) -> list[Row]:
    return [
        Row(
            f.name,
            f"p50 {ms(f.p50):.2f} ms, p99 {ms(f.p99):.2f} ms",
            f"same SQL p50 {ms(f.raw_p50):.2f}, p99 {ms(f.raw_p99):.2f}",
            f"p99 <= {READ_P99_TARGET_MS:g} ms",
            ms(f.p99) <= READ_P99_TARGET_MS,
        )
        for f in figures
    ]


def interaction_rows(result: InteractionResult) -> list[Row]:
    rows = []
    for burst, floor in zip(result.bursts, result.floor, strict=True):
        gated = burst.members == ACK_TARGET_AT
        failed = f", {burst.failed} failed" if burst.failed else ""
        rows.append(
            Row(
                f"ack @{burst.members} at once",
                f"p50 {ms(burst.ack_p50):.1f} ms, p99 {ms(burst.ack_p99):.1f} ms{failed}",
                f"floor p50 {ms(floor.ack_p50):.1f}, p99 {ms(floor.ack_p99):.1f}",
                f"p99 <= {ACK_P99_TARGET_MS:g} ms" if gated else "",
                ms(burst.ack_p99) <= ACK_P99_TARGET_MS if gated else None,
            )
        )
        rows.append(
            Row(
                f"thread ready @{burst.members}",
                f"p50 {ms(burst.ready_p50):.0f} ms, p99 {ms(burst.ready_p99):.0f} ms",
                f"floor p99 {ms(floor.ready_p99):.0f} (answer only)",
                f"p99 <= {READY_P99_TARGET_MS:g} ms" if gated else "",
                ms(burst.ready_p99) <= READY_P99_TARGET_MS if gated else None,
            )
        )
        rows.append(
            Row(
                f"Discord requests per ticket @{burst.members}",
                f"{burst.requests_per_ticket:.1f} ({burst.rate_limited} answered 429)",
                f"floor {floor.requests_per_ticket:.1f} (defer + answer)",
            )
        )
    rows.append(
        Row(
            "requests checked against spec",
            f"{result.checked_requests}, {len(result.violations)} violations",
            met=None if not result.violations else False,
        )
    )
    return rows


def memory_rows(result: MemoryResult) -> list[Row]:
    return [
        Row(
            f"bot RSS, {result.guilds} guilds, {result.tickets} open",
            f"{result.rss_mb:.0f} MB (peak {result.peak_mb:.0f} MB)",
            f"idle bot {result.idle_rss_mb:.0f} MB",
            f"<= {RSS_TARGET_MB:g} MB",
            result.rss_mb <= RSS_TARGET_MB,
        ),
        Row(
            "start to caught up",
            f"{result.start_seconds:.1f} s, {result.catch_up_requests} REST requests",
        ),
    ]


def shard_rows(result: ShardResult) -> list[Row]:
    """Printed only: one process per shard, each on its own copy of the database (SQLite);
    one shared database is PostgreSQL's figure."""
    each = result.processes
    count = len(each)
    return [
        Row(
            f"shards: RSS per process, {result.guilds:,} guilds over {count}",
            " / ".join(f"{p.rss_mb:.0f}" for p in each) + " MB",
            "peak " + " / ".join(f"{p.peak_mb:.0f}" for p in each) + " MB",
        ),
        Row(
            "shards: start to caught up, per process",
            " / ".join(f"{p.start_seconds:.1f}" for p in each) + " s",
            "guilds "
            + " / ".join(f"{p.guilds:,}" for p in each)
            + f", {result.tickets:,} live tickets in all",
        ),
        Row(
            "shards: sweep queries, one shard's guilds",
            f"{result.sweep_shard_ms:.1f} ms",
            f"all guilds in one process {result.sweep_all_ms:.1f} ms",
        ),
    ]


def summary(
    writes: WriteResult,
    reads: list[ReadFigure],
    interactions: InteractionResult,
    memory: MemoryResult,
) -> str:
    top = max(writes.levels, key=lambda level: level.callers)
    by_name = {f.name.split(" ")[0]: f for f in reads}
    # Two lists are measured (a member's, staff filters); the line reports the slower one.
    list_p99 = max(f.p99 for f in reads if "list" in f.name)
    view = next(f for f in reads if f.name.startswith("view"))
    stats = by_name["guild"]
    burst = max(interactions.bursts, key=lambda b: b.members)
    return (
        f"bench: write ratio {writes.ratio(top):.2f}, list p99 {ms(list_p99):.1f} ms, "
        f"view p99 {ms(view.p99):.1f} ms, stats p99 {ms(stats.p99):.1f} ms, "
        f"ack p99 {ms(burst.ack_p99):.0f} ms @{burst.members}, rss {memory.rss_mb:.0f} MB"
        f", thread p99 {ms(burst.ready_p99):.0f} ms @{burst.members}"
    )
