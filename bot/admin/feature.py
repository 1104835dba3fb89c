"""The workspace settings feature: `/admin settings` for a community's admins, and the audit
entries an admin leaves in their data export (deletion keeps them, without saying who)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.commands import AdminCommands
from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.profile.service import MemberInfo
from bot.router import Router


class AdminFeature(FeatureBase):
    """Per-workspace settings; other features read them through `bot.admin.service`."""

    name = "admin"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.commands = AdminCommands(context)

    def register(self, router: Router) -> None:
        self.commands.register(router)

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        changes = await self.commands.store.changes_by(session, member)
        return {"settings_changes": changes} if changes else {}

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        return await self.commands.store.forget_member(session, member)
