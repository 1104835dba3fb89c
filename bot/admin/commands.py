"""`/admin settings`, its **Change settings** button and its form: parse, one transaction, answer.

Everything here is registered admin-only, so the router refuses a non-admin before a handler
runs: the command, a pressed (or forged) button and a submitted form alike.
"""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import BaseModel, ConfigDict

from bot import markup
from bot.admin import views
from bot.admin.service import ChannelReminders, Digest, Wanted, WorkspaceSettingsStore
from bot.chat import ActionClicked, FormSubmitted, Invocation, Place, Response, reply
from bot.checkins.schedule import rule_time, weekly_rule
from bot.context import Context
from bot.flows import Flows, FlowSpec
from bot.router import CommandSpec, OptionSpec, Router
from bot.time.timeparse import TimeParseError
from bot.time.zones import UnknownZone, get_zone, resolve_zone, zone_label

ACTIONS = ("settings",)
ADMIN = CommandSpec(
    "admin",
    "Admins: this community's settings (default zone, digest, reminder limits)",
    options=(OptionSpec("action", "What to manage", choices=ACTIONS),),
    rest="action",
    usage="/admin settings",
    admin_only=True,
)
DEFAULT_DIGEST = "friday 4pm"
_CHANNEL = re.compile(r"<?#?([A-Za-z0-9_-]{1,64})(?:\|[^>]*)?>?")
FIELDS = ("zone", "channel", "digest", "limit", "channel_reminders")


class Typed(BaseModel):
    """A settings form that had a wrong value, kept so **Fix it** reopens it as typed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    values: dict[str, str]


FIX_FLOW = FlowSpec(
    "admin-settings",
    Typed,
    lifetime=timedelta(days=1),
    gone="That form has expired; open it again with `/admin settings`.",
)


class AdminCommands:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.operator_max = context.settings.max_active_reminders
        self.store = WorkspaceSettingsStore(context.profiles, context.clock.now, self.operator_max)
        self.flows = Flows(context.clock.now)

    def register(self, router: Router) -> None:
        router.command(ADMIN, self.admin)
        router.action(views.EDIT, self.edit, admin_only=True)
        router.action(views.FIX, self.fix, admin_only=True)
        router.form(views.FORM_ID, self.submit, admin_only=True)

    async def admin(self, event: Invocation) -> Response:
        action = str(event.options.get("action", "")).strip().lower() or "settings"
        if action != "settings":
            return reply(f"⚠️ I don't know {markup.code(action[:40])}; try `/admin settings`.")
        async with self.context.transaction(event.actor) as (session, member):
            view = await self.store.view(session, member.workspace_id)
        return Response(replies=(views.overview(view, channel_id=_channel_of(event.place)),))

    async def edit(self, event: ActionClicked) -> Response:
        """**Change settings**: the form, filled with what is stored now."""
        async with self.context.transaction(event.actor) as (session, member):
            view = await self.store.view(session, member.workspace_id)
        values = views.form_values(view)
        return reply(form=views.settings_form(values, self.operator_max))

    async def fix(self, event: ActionClicked) -> Response:
        """**Fix it** after a wrong value: the form again, with everything that was typed."""
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.load(session, member, FIX_FLOW, event.value)
        return reply(form=views.settings_form(progress.state.values, self.operator_max))

    async def submit(self, event: FormSubmitted) -> Response:
        typed = {name: event.values.get(name, "").strip() for name in FIELDS}
        async with self.context.transaction(event.actor) as (session, member):
            zone = typed["zone"] or self.context.settings.default_timezone
            errors: list[tuple[str, str]] = []
            wanted_zone = self._zone(zone, errors)
            channel = self._channel(typed["channel"], event.place, errors)
            digest = self._digest(channel, typed["digest"], wanted_zone, errors)
            limit = self._limit(typed["limit"], errors)
            rule = self._channel_rule(typed["channel_reminders"], errors)
            if errors:
                # Nothing is stored; what was typed is, for **Fix it** (Slack keeps the form open).
                progress = await self.flows.start(session, member, FIX_FLOW, Typed(values=typed))
                return Response(replies=(views.problem(errors, progress.token),))
            wanted = Wanted(wanted_zone, digest, limit, rule)
            changed, moved = await self.store.apply(session, member, wanted)
            fix = await self.flows.resume(session, member, FIX_FLOW)
            if fix is not None:
                await self.flows.finish(session, fix)
        if moved:
            self.context.wake_queue(None)  # repeating reminders may now be due sooner
        return Response(replies=(views.saved(changed, moved),))

    def _zone(self, typed: str, errors: list[tuple[str, str]]) -> str:
        try:
            match = resolve_zone(typed, now=self.context.clock.now())
        except UnknownZone as unknown:
            hint = ", ".join(unknown.suggestions[:3])
            close = f" Did you mean {hint}?" if hint else ""
            unknown_text = f"I don't know the time zone “{typed[:64]}”.{close}"
            errors.append(("zone", f"{unknown_text} Try a city or Europe/Berlin."))
            return self.context.settings.default_timezone
        if not match.exact:  # a typo: say the guess, never apply it silently
            label = zone_label(match.name)
            named = match.name if label == match.name else f"{match.name} ({label})"
            errors.append(("zone", f"Did you mean {named}?"))
        return match.name

    def _channel(self, typed: str, place: Place, errors: list[tuple[str, str]]) -> str | None:
        """`here`, `off` (or empty), or a channel reference; None turns the digest off."""
        if not typed or typed.lower() == views.OFF:
            return None
        if typed.lower() == views.HERE:
            if place.is_dm or not place.channel_id:
                errors.append(
                    ("channel", "“here” is a direct message; open the settings in the channel.")
                )
                return None
            return place.channel_id
        found = _CHANNEL.fullmatch(typed)
        if found is None:
            errors.append(("channel", "Type here, off, or the channel's id (e.g. C0123ABCD)."))
            return None
        return found.group(1)

    def _digest(
        self, channel: str | None, typed: str, zone: str, errors: list[tuple[str, str]]
    ) -> Digest | None:
        if channel is None:
            return None
        try:
            rule, _ = weekly_rule(
                typed or DEFAULT_DIGEST, now=self.context.clock.now(), tz=get_zone(zone)
            )
        except TimeParseError as error:
            errors.append(("digest", markup.to_plain(error.message)))
            return None
        weekday, hour, minute = rule_time(rule)
        if minute:
            errors.append(("digest", "The digest goes out on the hour: try friday 4pm."))
        return Digest(channel, weekday, hour)

    def _limit(self, typed: str, errors: list[tuple[str, str]]) -> int | None:
        if not typed:
            return None
        top = self.operator_max
        if not typed.isascii() or not typed.isdigit() or not 1 <= int(typed) <= top:
            errors.append(("limit", f"A whole number from 1 to {top} (the operator's maximum)."))
            return None
        return int(typed)

    def _channel_rule(self, typed: str, errors: list[tuple[str, str]]) -> ChannelReminders:
        try:
            return ChannelReminders(typed or ChannelReminders.EVERYONE.value)
        except ValueError:
            errors.append(("channel_reminders", "Choose everyone, admins or nobody."))
            return ChannelReminders.EVERYONE


def _channel_of(place: Place) -> str:
    return "" if place.is_dm else place.channel_id
