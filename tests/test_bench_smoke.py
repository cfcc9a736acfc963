"""CI smoke run of the benchmark: it completes and prints its summary line.

Only the shape is checked, never a figure: timings on shared machines are noise.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(
    r"^bench: write ratio \d+\.\d{2}, list p99 \d+\.\d ms, view p99 \d+\.\d ms, "
    r"stats p99 \d+\.\d ms, ack p99 \d+ ms @\d+, rss \d+ MB, thread p99 \d+ ms @\d+"
    # Other fields may come between; PostgreSQL's write ratio is always the last one.
    r".*, pg write ratio \d+\.\d{2}$"
)


def test_quick_bench_completes_and_prints_its_summary(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--data-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert lines and SUMMARY.match(lines[-1]), done.stdout[-3000:]
