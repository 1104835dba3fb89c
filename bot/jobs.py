"""Calendar jobs, looked up by id: what APScheduler's persistent job store calls.

The job store keeps a text reference to one function (`bot.jobs:run`) and the job's id as its
only argument (never objects: it pickles arguments). The running core registers each job's
coroutine here at start (`bind`) and removes it at stop, one entry per job, so weekly
summaries and sweeps of several features do not share one global binding.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

JobRun = Callable[[], Awaitable[object]]

_registry: dict[str, JobRun] = {}


def bind(job_id: str, run_job: JobRun) -> None:
    """Make `job_id` run `run_job` (replaces a previous binding: one core per process)."""
    _registry[job_id] = run_job


def unbind(job_id: str) -> None:
    _registry.pop(job_id, None)


def bound(job_id: str) -> bool:
    return job_id in _registry


async def run(job_id: str) -> None:
    """APScheduler's entry point (`bot.jobs:run`, args `[job_id]`)."""
    run_job = _registry.get(job_id)
    if run_job is None:
        log.warning("calendar job %r ran with nothing bound to it; skipped", job_id)
        return
    result = await run_job()
    log.info("calendar job %s done: %s", job_id, result)
