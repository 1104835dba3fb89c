"""The resource library feature: `/resources` and its buttons, the moderators' notice, and a
member's bookmarks and suggestions in their data export and deletion."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import Actor, Reply
from bot.context import Context
from bot.features import JSON, FeatureBase
from bot.profile.service import MemberInfo
from bot.resources.commands import ResourceCommands
from bot.resources.library import Library, library
from bot.router import Router


class ResourceFeature(FeatureBase):
    """The curated library; `self.library.best_for(role, level)` is what role fit asks."""

    name = "resources"

    def __init__(self, context: Context, shelf: Library | None = None) -> None:
        super().__init__(context)
        self.commands = ResourceCommands(context, shelf or library(context.settings.content_dir))
        self.library = self.commands.library

    def register(self, router: Router) -> None:
        self.commands.register(router)

    async def home_section(self, actor: Actor) -> Reply | None:
        """A line about the member's bookmarks (text only: the home's button rows are few)."""
        async with self.context.transaction(actor) as (session, member):
            count = await self.library.bookmark_count(session, member)
        if not count:
            return None
        return Reply(f"🔖 **{count} saved resource(s)**: see them with `/resources saved`.")

    async def notice(self, actor: Actor) -> Reply | None:
        return await self.commands.pending_notice(actor)

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        return await self.library.export(session, member.id)

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        return await self.library.delete_member(session, member.id)
