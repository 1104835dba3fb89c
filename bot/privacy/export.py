"""`mentorbot export --workspace ID`: one workspace's data for its operator, as JSON.

Read-only: it opens the database without starting the queue or the calendar, refuses a schema
that `mentorbot db upgrade` has not brought up to date, and reads in one transaction so the
document is one consistent moment.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Core
from bot.privacy import service
from bot.settings import Settings
from bot.storage import migrate
from bot.storage.engine import probe
from bot.storage.tables import Workspace


class ExportRefused(Exception):
    """What the operator must change (one line, no traceback)."""


async def workspace_export(settings: Settings, workspace: str, platform: str | None) -> bytes:
    """The JSON bytes of `workspace` (the platform's id; `platform` when two platforms share it)."""
    core = Core(settings)
    try:
        await probe(core.engine)
        if await migrate.pending(core.engine):
            raise ExportRefused("the database schema is old: run `mentorbot db upgrade` first.")
        async with core.sessions.begin() as session:
            found = await service.workspace_ids(session, workspace, platform)
            if not found:
                known = (
                    await session.execute(
                        select(Workspace.platform, Workspace.external_id).order_by(Workspace.id)
                    )
                ).all()
                listed = ", ".join(f"{p} {w}" for p, w in known[:20]) or "none yet"
                raise ExportRefused(f"no workspace {workspace!r}; known: {listed}.")
            if len(found) > 1:
                raise ExportRefused(
                    f"{workspace!r} is a workspace on several platforms: add --platform."
                )
            document = await service.workspace_document(
                session, found[0], core.context.member_data, core.clock.now()
            )
    finally:
        await core.engine.dispose()
    return service.to_json(document)
