"""`python -m bench.reads_only [--quick] [--repeat N]`: only the read figures, N times.

For working on the read path: the full `python -m bench` also runs writes, interactions,
memory and shards (minutes). Uses the same cached dataset under bench-data/.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bench import report
from bench.dataset import ensure_dataset
from bench.reads import measure_reads
from bench.sizes import FULL, QUICK
from bench.stats import render_table

REPO_ROOT = Path(__file__).resolve().parents[1]


async def run(quick: bool, repeat: int, data_dir: Path) -> None:
    sizes = QUICK if quick else FULL
    path, built = await ensure_dataset(data_dir, sizes)
    if built:
        print(f"built {path.name} in {built:.0f} s", file=sys.stderr)
    for _ in range(repeat):
        print(render_table(report.read_rows(await measure_reads(path, sizes))), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reads_only", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "bench-data")
    args = parser.parse_args()
    asyncio.run(run(args.quick, args.repeat, args.data_dir))


if __name__ == "__main__":
    main()
