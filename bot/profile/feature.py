"""The profile feature: `/timezone`, the zone line of the home, and the member row itself."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Actor, Invocation, Place, Reply
from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.profile.commands import ProfileCommands
from bot.profile.service import MemberInfo
from bot.router import Router
from bot.storage.tables import Member


class ProfileFeature(FeatureBase):
    """Who a member is to us: their zone. Deleting it deletes the member (and, by cascade,
    anything another feature forgot)."""

    name = "profile"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.commands = ProfileCommands(context)

    def register(self, router: Router) -> None:
        self.commands.register(router)

    async def home_section(self, actor: Actor) -> Reply | None:
        shown = await self.commands.timezone(
            Invocation("timezone", {}, actor, Place(channel_id="home", is_dm=True))
        )
        return shown.replies[0] if shown.replies else None

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        row = (
            await session.execute(
                select(Member.user_id, Member.display_name, Member.tz, Member.created_at).where(
                    Member.id == member.id
                )
            )
        ).one_or_none()
        if row is None:
            return {}
        return {
            "platform": member.platform,
            "workspace": member.workspace,
            "user_id": row.user_id,
            "display_name": row.display_name,
            "time_zone": row.tz,
            "first_seen": row.created_at.isoformat(),
        }

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        result = await session.execute(delete(Member).where(Member.id == member.id))
        self.context.profiles.forget((member.platform, member.workspace, member.user_id))
        return int(getattr(result, "rowcount", 0) or 0)
