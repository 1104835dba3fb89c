"""The role-fit feature: `/rolefit` and `/roles`, a line on the home, and its results' data."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import markup
from bot.chat import Actor, Reply
from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.profile.service import MemberInfo
from bot.rolefit.commands import RolefitCommands
from bot.router import Router


class RolefitFeature(FeatureBase):
    """Which ML role fits a member, why, and what to do next."""

    name = "rolefit"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.commands = RolefitCommands(context)

    def register(self, router: Router) -> None:
        self.commands.register(router)

    async def home_section(self, actor: Actor) -> Reply | None:
        """The member's latest top three, if they have taken the questionnaire."""
        async with self.context.transaction(actor) as (session, member):
            latest = await self.commands.results.history(session, member, limit=1)
        if not latest:
            return None
        labels = {role.id: role.label for role in self.commands.book.roles}
        top = ", ".join(
            f"{markup.escape(labels.get(role_id, role_id))} {percent}%"
            for role_id, percent in latest[0].scores[:3]
        )
        return Reply(f"**Your role fit:** {top} (`/rolefit history` to compare)")

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        return {"results": await self.commands.results.export(session, member)}

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        return await self.commands.results.delete(session, member)
