"""Readiness says why not: a platform not connected, a database that does not answer."""

from __future__ import annotations

import json

from adapters.ops import Ops
from bot.app import Core
from bot.clock import FakeClock
from tests.conftest import make_settings


async def test_ready_only_when_every_configured_platform_is_connected(core: Core) -> None:
    ops = Ops(core, ["discord"])
    status, _, body = await ops.answer("/readyz")
    assert status == 503
    assert json.loads(body)["problems"] == ["discord: not connected"]
    assert (await ops.answer("/healthz"))[0] == 200  # alive all the same


async def test_not_ready_when_the_database_does_not_answer(
    tmp_path: object, clock: FakeClock
) -> None:
    missing = "postgresql+asyncpg://postgres@127.0.0.1:9/nothing"  # nothing listens there
    core = Core(make_settings(missing), clock=clock)
    try:
        ops = Ops(core, [])
        status, _, body = await ops.answer("/readyz")
        assert status == 503
        assert json.loads(body)["problems"][0].startswith("database:")
        status, _, metrics = await ops.answer("/metrics")  # still served
        assert status == 200 and b"mentorbot_commands_total" in metrics
    finally:
        await core.engine.dispose()
