"""Profiles the bot process with cProfile when BENCH_PROFILE names a file to write.

For finding what bounds the interaction figures: put this directory first on PYTHONPATH
(Python imports `sitecustomize` from it at start-up) and set BENCH_PROFILE, e.g.
`BENCH_PROFILE=/tmp/bot.prof PYTHONPATH=bench/profile_hook:. python -m bench.interactions`;
the environment reaches the bot process the benchmark starts. The profile is written when
the benchmark stops the bot (SIGTERM, which the bot otherwise leaves to the default: die).
"""

from __future__ import annotations

import os

if os.environ.get("BENCH_PROFILE"):
    import cProfile
    import signal
    from types import FrameType

    _profile = cProfile.Profile()

    def _dump(signum: int, frame: FrameType | None) -> None:
        _profile.disable()
        _profile.dump_stats(os.environ["BENCH_PROFILE"])
        os._exit(0)

    signal.signal(signal.SIGTERM, _dump)
    _profile.enable()
