"""Process-wide tuning that `mentorbot run` applies once start-up is done."""

from __future__ import annotations

import gc


def tune_gc() -> None:
    """Keep the garbage collector out of command latency.

    Everything built at start-up (imported modules, SQLAlchemy's compiled statements, the command
    catalogue) lives as long as the process, yet every full collection would walk it again:
    measured here, those walks were most of the /remind p99. `gc.freeze()` moves it out of the
    collector's sight, and a larger young-generation threshold makes collections rarer.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
