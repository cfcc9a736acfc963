"""Turns the measurements into table rows and the one summary line other tools read."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

from bench.ai import AIResult
from bench.interactions import InteractionResult
from bench.memory import MemoryResult
from bench.pg_bench import PgResult
from bench.reads import ReadFigure
from bench.shards import ShardResult
from bench.stats import Row, ms
from bench.writes import WriteResult

WRITE_RATIO_TARGET = 0.5
READ_P99_TARGET_MS = 1.0
ACK_P99_TARGET_MS = 50.0
ACK_TARGET_AT = 100
READY_P99_TARGET_MS = 300.0
RSS_TARGET_MB = 100.0
AI_TARGET_S = 1.0  # first token -> first text, and last token -> the whole answer


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
                f"threads made p99 {ms(burst.threads_p99):.0f}; floor p99"
                f" {ms(floor.ready_p99):.0f} (answer only)",
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


def ai_rows(result: AIResult) -> list[Row]:
    plan = result.schedule
    answers = len(result.final_edit)
    limited = f", {result.rate_limited} rate-limited" if result.rate_limited else ""
    return [
        Row(
            "AI: first token to first text",
            f"p50 {ms(result.first_text_p(50)):.0f} ms, p99 {ms(result.first_text_p(99)):.0f} ms",
            f"{answers} answers, first token after {plan.first_after:g} s",
            f"p99 <= {AI_TARGET_S:g} s",
            result.first_text_p(99) <= AI_TARGET_S,
        ),
        Row(
            "AI: last token to final edit",
            f"p50 {ms(result.final_edit_p(50)):.0f} ms, p99 {ms(result.final_edit_p(99)):.0f} ms",
            f"{result.edits} edits{limited}, Discord's 5 per 5 s held",
            f"p99 <= {AI_TARGET_S:g} s",
            result.final_edit_p(99) <= AI_TARGET_S,
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
    # Lists and stats are measured more than once (sampled, the biggest guild); the line
    # reports the slowest of each.
    list_p99 = max(f.p99 for f in reads if "list" in f.name)
    view = next(f for f in reads if f.name.startswith("view"))
    stats = max((f for f in reads if "stats" in f.name), key=lambda f: f.p99)
    burst = max(interactions.bursts, key=lambda b: b.members)
    return (
        f"bench: write ratio {writes.ratio(top):.2f}, list p99 {ms(list_p99):.1f} ms, "
        f"view p99 {ms(view.p99):.1f} ms, stats p99 {ms(stats.p99):.1f} ms, "
        f"ack p99 {ms(burst.ack_p99):.0f} ms @{burst.members}, rss {memory.rss_mb:.0f} MB"
        f", thread p99 {ms(burst.ready_p99):.0f} ms @{burst.members}"
    )


PG_WRITE_RATIO_TARGET = 0.5


def pg_rows(result: PgResult) -> list[Row]:
    """PostgreSQL (issues 15 and 19): the services on the PostgreSQL store beside plain
    asyncpg sending the same statements (captured from the store), in the same run."""
    loaded = (
        f"dataset loaded in {result.loaded_seconds:.0f} s"
        if result.loaded_seconds is not None
        else "dataset cached"
    )
    rows = [
        Row(
            "pg: server",
            result.server,
            f"ready in {result.started_seconds:.1f} s, {loaded}",
        )
    ]
    top = result.writes.top.callers
    for level in result.writes.levels:
        gated = level.callers == top
        rows.append(
            Row(
                f"pg: create rate @{level.callers} callers",
                f"{level.rate:,.0f}/s (ratio {level.ratio:.2f})",
                f"asyncpg same SQL {level.raw_rate:,.0f}/s",
                f"ratio >= {PG_WRITE_RATIO_TARGET}" if gated else "",
                level.ratio >= PG_WRITE_RATIO_TARGET if gated else None,
            )
        )
        rows.append(
            Row(
                f"pg: create latency @{level.callers}",
                f"p50 {ms(level.p50):.2f} ms, p99 {ms(level.p99):.1f} ms",
                f"asyncpg p50 {ms(level.raw_p50):.2f}, p99 {ms(level.raw_p99):.1f}"
                + (f" ({result.writes.statements} statements)" if gated else ""),
            )
        )
    rows.extend(
        Row(
            f"pg: {f.name}",
            f"p50 {ms(f.p50):.2f} ms, p99 {ms(f.p99):.2f} ms",
            f"asyncpg same SQL p50 {ms(f.raw_p50):.2f}, p99 {ms(f.raw_p99):.2f}",
        )
        for f in result.reads
    )
    return rows


def pg_summary(result: PgResult) -> str:
    """Appended last to the summary line."""
    return f", pg write ratio {result.writes.top.ratio:.2f}"
