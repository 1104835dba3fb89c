"""The privacy feature: `/mydata`, and the core's own rows about a member (flows under way,
queued messages to them) in every export and erasure."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.privacy import service
from bot.privacy.commands import PrivacyCommands
from bot.profile.service import MemberInfo
from bot.router import Router


class PrivacyFeature(FeatureBase):
    """A member's own data: see all of it, or erase all of it."""

    name = "privacy"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.commands = PrivacyCommands(context)

    def register(self, router: Router) -> None:
        self.commands.register(router)

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        return await service.core_part(session, member)

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        return await service.delete_core_part(session, member)
