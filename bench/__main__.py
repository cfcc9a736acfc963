"""`python -m bench [--quick]`: every figure of issue 9 with its baseline, then one summary line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

from bench import report
from bench.ai import measure_ai
from bench.dataset import ensure_dataset
from bench.interactions import measure_interactions
from bench.memory import measure_memory
from bench.pg_bench import measure_pg
from bench.reads import measure_reads
from bench.shards import measure_shards
from bench.sizes import FULL, QUICK
from bench.stats import render_table
from bench.writes import measure_writes

REPO_ROOT = Path(__file__).resolve().parents[1]


def step(message: str) -> None:
    # Progress goes to stderr so stdout holds only the table and the summary line.
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def run(quick: bool, data_dir: Path) -> int:
    sizes = QUICK if quick else FULL
    print(f"bench ({sizes.label}) on {report.machine()}")
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        workdir = Path(scratch)
        step(f"writes: {sizes.write_tickets} tickets per side and level")
        writes = await measure_writes(workdir, sizes.write_tickets, sizes.write_callers)
        step(f"reads: dataset of {sizes.tickets:,} tickets, {sizes.replies:,} replies")
        path, built = await ensure_dataset(data_dir, sizes)
        step(f"built {path.name} in {built:.0f} s" if built else f"cached {path.name}")
        reads = await measure_reads(path, sizes)
        step(f"interactions: bursts {sizes.bursts} against the real bot and the fake Discord")
        interactions = await measure_interactions(workdir, sizes.bursts)
        step(f"memory: {sizes.rss_guilds} guilds x {sizes.rss_tickets_per_guild} open tickets")
        memory = await measure_memory(workdir, sizes.rss_guilds, sizes.rss_tickets_per_guild)
        step(f"shards: {sizes.shard_guilds:,} guilds over {sizes.shard_processes} shard processes")
        shards = await measure_shards(
            workdir, sizes.shard_guilds, sizes.shard_tickets_per_guild, sizes.shard_processes
        )
        step("AI: answers streamed into tickets, against a scheduled local model")
        ai = await measure_ai(workdir, quick)
        pg = await measure_pg(data_dir, path, sizes, step)
    rows = [
        *report.write_rows(writes),
        *report.read_rows(reads),
        *report.interaction_rows(interactions),
        *report.memory_rows(memory),
        *report.shard_rows(shards),
        *report.ai_rows(ai),
        *report.pg_rows(pg),
    ]
    print(render_table(rows))
    print(report.summary(writes, reads, interactions, memory) + report.pg_summary(pg))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for the CI smoke run")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=REPO_ROOT / "bench-data",
        help="where generated read databases are cached (gitignored)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sys.exit(asyncio.run(run(args.quick, args.data_dir)))


if __name__ == "__main__":
    main()
