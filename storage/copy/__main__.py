"""python -m storage.copy --from tickets.db --to postgresql://… (see storage/copy/__init__.py)

Exit codes: 0 copied and verified, 1 the copy differs, 2 refused (nothing copied),
3 PostgreSQL can't be used. Every failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from core.ports import MigrationError, StorageUnavailable
from storage.copy import CopyMismatch, CopyRefused, copy_desk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storage.copy",
        description="Copy a desk from its SQLite file to PostgreSQL and check it row for row.",
    )
    parser.add_argument("--from", dest="source", required=True, type=Path, help="tickets.db")
    parser.add_argument("--to", dest="target", required=True, help="postgresql://user@host/db")
    args = parser.parse_args(argv)
    if not args.target.startswith(("postgresql://", "postgres://")):
        print("--to must be a postgresql:// URL", file=sys.stderr)
        return 2
    try:
        asyncio.run(copy_desk(args.source, args.target))
    except CopyRefused as refused:
        print(f"Nothing copied: {refused}", file=sys.stderr)
        return 2
    except CopyMismatch as mismatch:
        print(
            f"Nothing copied: the copy did not match the SQLite file ({mismatch}), so it "
            "was rolled back",
            file=sys.stderr,
        )
        return 1
    except (StorageUnavailable, MigrationError) as error:
        print(f"Nothing copied: {error}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
