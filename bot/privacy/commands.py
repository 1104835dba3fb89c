"""`/mydata export` and `/mydata delete`: parse, one transaction, answer.

The export is built in one transaction (a consistent snapshot) and sent as a direct message, not
queued: it is made on request, and a queued row would have to hold the whole file. The erasure
asks first; its confirmation is a flow, so the button works after a restart, is refused to anyone
but the member who asked, and is stale once expired or replaced by a newer `/mydata delete`.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from bot import markup
from bot.chat import (
    MAX_ATTACHMENT_BYTES,
    ActionClicked,
    Actor,
    Invocation,
    Place,
    Recipient,
    Response,
)
from bot.context import Context
from bot.delivery import DeliveryError
from bot.errors import Problem
from bot.flows import Flows, FlowSpec
from bot.privacy import service, views
from bot.router import CommandSpec, OptionSpec, Router


class Confirming(BaseModel):
    """Nothing to remember but that the member asked (the flow row is the proof)."""


CONFIRM = FlowSpec(
    "mydata-delete",
    Confirming,
    lifetime=timedelta(minutes=10),
    gone="That confirmation is not yours or has expired: nothing was deleted. To erase your own"
    " data, type `/mydata delete`.",
    stale="That confirmation was replaced by a newer one: nothing was deleted.",
)

MYDATA = CommandSpec(
    "mydata",
    "Export or erase everything mentorbot holds about you",
    options=(OptionSpec("action", "export or delete", choices=("export", "delete")),),
    rest="action",
    usage="/mydata export",
)


class PrivacyCommands:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.flows = Flows(context.clock.now)

    def register(self, router: Router) -> None:
        router.command(MYDATA, self.mydata)
        router.action("mydata.export", self.export_pressed)
        router.action("mydata.ask", self.ask_pressed)
        router.action("mydata.delete", self.delete_pressed)
        router.action("mydata.keep", self.keep_pressed)

    async def mydata(self, event: Invocation) -> Response:
        action = str(event.options.get("action") or "").strip().lower()
        if action == "export":
            return await self.export(event.actor, event.place)
        if action == "delete":
            return await self.ask(event.actor)
        if action:
            raise Problem(
                f"`/mydata` takes `export` or `delete`, not “{markup.escape(action[:40])}”."
            )
        return Response(replies=(views.menu(),))

    async def export_pressed(self, event: ActionClicked) -> Response:
        return await self.export(event.actor, event.place)

    async def ask_pressed(self, event: ActionClicked) -> Response:
        return await self.ask(event.actor)

    async def export(self, actor: Actor, place: Place) -> Response:
        """Build the member's document in one transaction, then DM it as a JSON file."""
        now = self.context.clock.now()
        async with self.context.transaction(actor) as (session, member):
            document = await service.member_document(session, member, self.context.member_data, now)
        data = service.to_json(document)
        if len(data) > MAX_ATTACHMENT_BYTES:
            return Response(replies=(views.export_too_large(len(data), MAX_ATTACHMENT_BYTES),))
        messenger = self.context.messengers.get(actor.platform)
        if messenger is None:
            return Response(replies=(views.export_not_sent("this platform is not connected"),))
        filename = f"mentorbot-data-{now:%Y-%m-%d}.json"
        try:
            await messenger.send_direct(
                Recipient(actor.platform, actor.workspace_id, actor.user_id),
                views.export_file(data, filename),
                key=f"mentorbot-mydata-{member.id}-{int(now.timestamp())}",
            )
        except DeliveryError as error:
            return Response(replies=(views.export_not_sent(error.reason),))
        return Response(replies=(views.export_sent(len(data), place.is_dm),))

    async def ask(self, actor: Actor) -> Response:
        async with self.context.transaction(actor) as (session, member):
            progress = await self.flows.start(session, member, CONFIRM, Confirming())
        return Response(replies=(views.confirm(progress.token),))

    async def delete_pressed(self, event: ActionClicked) -> Response:
        """Erase, in one transaction with the confirmation's check and the audit entry."""
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.load(session, member, CONFIRM, event.value)
            await self.flows.finish(session, progress)
            rows = await service.erase(
                session, member, self.context.member_data, self.context.clock.now()
            )
        return Response(replies=(views.erased(rows),))

    async def keep_pressed(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.load(session, member, CONFIRM, event.value)
            await self.flows.finish(session, progress)
        return Response(replies=(views.kept(),))
