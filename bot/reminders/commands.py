"""The reminder commands, buttons and forms: parse, call the service, answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from bot import markup, paging
from bot.chat import (
    MAX_EXCERPT,
    ActionClicked,
    Actor,
    Autocomplete,
    Button,
    ButtonStyle,
    Choice,
    FormSubmitted,
    Invocation,
    Reply,
    Response,
    reply,
)
from bot.context import Context
from bot.flows import Flows, FlowSpec
from bot.ids import parse_id
from bot.profile.service import MemberInfo
from bot.reminders import views
from bot.reminders.service import (
    NewReminder,
    ReminderProblem,
    Reminders,
    ReminderView,
    snooze_choices,
)
from bot.router import CommandSpec, MessageActionSpec, OptionSpec, Router
from bot.time import timefmt
from bot.time.describe import describe_rule
from bot.time.timeparse import ParsedWhen, TimeParseError, parse_when
from bot.time.zones import get_zone

KEPT_PRIVATE = (
    "🔒 This community's admins keep reminders set in channels private, so only you see this one."
)
EXAMPLES = "`/remind in 5 days check the thread` or `/remind every monday 9am review goals`"
NO_TEXT = (
    "What should I remind you about? Put it after the time, like "
    "`/remind tomorrow 9am water the plants`."
)

REMIND = CommandSpec(
    "remind",
    "Set a reminder: when, and what about",
    options=(
        OptionSpec(
            "when",
            "When, e.g. in 5 days / tomorrow 9am / every monday 9am",
            required=True,
            autocomplete=True,
            max_length=1000,
        ),
        OptionSpec("what", "What to remind you about", max_length=1000),
    ),
    rest="when",
    usage="/remind in 5 days check the thread · /remind every monday 9am review goals",
    triggers=("RemindMe!", "!RemindMe", "RemindMeRepeat!"),
)
REMINDERS = CommandSpec(
    "reminders",
    "List your reminders: edit, cancel, pause",
    options=(OptionSpec("page", "Page number", kind="integer"),),
    rest="page",
    usage="/reminders",
)
REMIND_MESSAGE = MessageActionSpec("remind-message", "Remind me about this")


class PickedMessage(BaseModel):
    """The message "Remind me about this" was chosen on, kept while its form asks when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    link: str = ""
    excerpt: str = ""
    channel: str = ""


MESSAGE_FLOW = FlowSpec(
    "remind-message",
    PickedMessage,
    lifetime=timedelta(days=1),
    gone="That form has expired; choose “Remind me about this” again.",
)


class ReminderCommands:
    def __init__(self, context: Context) -> None:
        self.context = context
        settings = context.settings
        self.reminders = Reminders(
            max_active=settings.max_active_reminders,
            now=context.clock.now,
            default_tz=settings.default_timezone,
        )
        self.flows = Flows(context.clock.now)

    def register(self, router: Router) -> None:
        router.command(REMIND, self.remind)
        router.command(REMINDERS, self.list_reminders)
        router.message_action(REMIND_MESSAGE, self.remind_message)
        router.autocomplete("remind", "when", self.preview)
        router.form("rem.message", self.submit_message)
        router.form("rem.snooze", self.submit_snooze)
        router.form("rem.edit", self.submit_edit)
        for action, handler in {
            "rem.cancel": self.cancel,
            "rem.follow": self.follow,
            "rem.leave": self.leave,
            "rem.page": self.page,
            "rem.edit": self.open_edit,
            "rem.pause": self.pause,
            "rem.resume": self.resume,
            "rem.end": self.end,
            "rem.keep": self.keep,
            "rem.snooze10": self.snooze,
            "rem.snooze60": self.snooze,
            "rem.snoozetomorrow": self.snooze,
            "rem.snoozecustom": self.open_snooze,
            "rem.done": self.done,
        }.items():
            router.action(action, handler)

    def _parse(self, text: str, member: MemberInfo) -> ParsedWhen:
        return parse_when(
            text,
            now=self.context.clock.now(),
            tz=member.tz,
            max_ahead_days=self.context.settings.max_ahead_days,
        )

    def _check_text(self, text: str) -> str:
        text = text.strip()
        limit = self.context.settings.max_reminder_chars
        if len(text) > limit:
            raise TimeParseError(
                "invalid", f"That reminder is {len(text)} characters; the limit is {limit}."
            )
        return text

    async def remind(self, event: Invocation) -> Response:
        when = str(event.options.get("when", "")).strip()
        what = str(event.options.get("what", "")).strip()
        return await self._create(event, when, what)

    async def _create(
        self,
        event: Invocation | FormSubmitted,
        when: str,
        what: str,
        *,
        about_message: bool = False,
    ) -> Response:
        """Parse, store, confirm. With `about_message`, the form's flow supplies the message and
        is finished in the same transaction as the reminder is stored: a second submit of the
        same form finds it gone instead of storing the reminder twice."""
        now = self.context.clock.now()
        from_form = isinstance(event, FormSubmitted)
        async with self.context.transaction(event.actor) as (session, member):
            picked = None
            if about_message and isinstance(event, FormSubmitted):
                picked = await self.flows.load(session, member, MESSAGE_FLOW, event.context)
            field = "when"
            try:
                if not when:
                    raise TimeParseError("invalid", "Tell me when, e.g. " + EXAMPLES + ".")
                parsed = self._parse(when, member)
                if what and parsed.message:
                    raise TimeParseError(
                        "invalid",
                        # Member text, echoed: a code span shows it literally, never as a link.
                        f"I understood {markup.code(parsed.understood[:200])} but not "
                        f"{markup.code(parsed.message[:200])} in the time. "
                        "Try `tomorrow 9am` or `in 2 hours`.",
                    )
                field = "what" if what else "when"
                text = self._check_text(what or parsed.message)
            except TimeParseError as error:
                # Nothing is stored and the flow stays: the form can be corrected and sent again.
                return _problem(error.message, when, field if from_form else None)
            if not text and picked is None:  # a reminder of nothing helps no one: ask
                return _problem(NO_TEXT, when, "what" if from_form else None)
            text = text or "the message you picked"
            in_channel = not event.place.is_dm and picked is None
            source = picked.state if picked else PickedMessage()
            new = NewReminder(
                text=text,
                at=parsed.at,
                rule=parsed.rule,
                channel_id=event.place.channel_id,
                shared=in_channel,
                source_link=source.link or None,
                source_excerpt=source.excerpt or None,
                by_admin=event.actor.is_admin,
            )
            view = await self.reminders.create(session, member, new)
            # The workspace's channel rule may have kept a channel reminder private.
            kept_private, in_channel = in_channel and not view.shared, view.shared
            if picked is not None:
                await self.flows.finish(session, picked)
        self.context.wake_queue(parsed.at)
        confirmation = views.confirmation(
            view,
            tz=member.tz,
            now=now,
            in_channel=in_channel,
            understood=parsed.understood,
            note=parsed.note,
        )
        if kept_private:
            confirmation = replace(confirmation, text=f"{confirmation.text}\n{KEPT_PRIVATE}")
        return Response(replies=(confirmation, *_first_contact(member)))

    async def remind_message(self, event: Invocation) -> Response:
        message = event.message
        if message is None:
            return reply("Pick a message first, then choose “Remind me about this”.")
        picked = PickedMessage(
            link=message.link or "",
            excerpt=markup.truncate(message.excerpt.strip(), MAX_EXCERPT),
            channel=message.channel_id,
        )
        async with self.context.transaction(event.actor) as (session, member):
            progress = await self.flows.start(session, member, MESSAGE_FLOW, picked)
        # A bare id, not `progress.token`: the form may be sent again after a wrong time.
        form = views.when_form(
            "rem.message", "Remind me about this", str(progress.id), with_text=True
        )
        return reply(form=form)

    async def submit_message(self, event: FormSubmitted) -> Response:
        when, what = event.values.get("when", ""), event.values.get("what", "")
        return await self._create(event, when, what, about_message=True)

    async def preview(self, event: Autocomplete) -> Response:
        typed = event.typed.strip()
        if not typed:
            samples = (
                "in 1 hour",
                "tomorrow 9am",
                "in 5 days",
                "next friday 5pm",
                "every monday 9am",
            )
            return Response(choices=tuple(Choice(sample, sample) for sample in samples))
        now = self.context.clock.now()
        async with self.context.sessions() as session:
            member = await self.context.profiles.member(session, event.actor)
            await session.commit()
        try:
            parsed = self._parse(typed, member)
            label = f"{typed} → {timefmt.describe(parsed.at, member.tz, now)}"
            if parsed.rule:
                label += f", repeats {describe_rule(parsed.rule)}"
        except TimeParseError as error:
            label = f"{typed} → ⚠ {markup.to_plain(error.message)}"
        return Response(choices=(Choice(label[:100], typed[:100]),))

    async def list_page(self, actor: Actor, page: int) -> Response:
        """One page of `actor`'s reminders (the home shows the first)."""
        return await self._list(actor, page, update=False)

    async def list_reminders(self, event: Invocation) -> Response:
        page = _int(str(event.options.get("page", "1")) or "1", default=1)
        return await self._list(event.actor, page, update=False)

    async def page(self, event: ActionClicked) -> Response:
        _, number = paging.decode(event.value)
        return await self._list(event.actor, number, update=True)

    async def _list(self, actor: Actor, page: int, *, update: bool) -> Response:
        async with self.context.transaction(actor) as (session, member):
            listing = await self.reminders.list_for(session, member, page)
        shown = views.listing(listing, tz=member.tz, now=self.context.clock.now())
        return Response(replies=(replace(shown, update=True) if update else shown,))

    async def cancel(self, event: ActionClicked) -> Response:
        value, confirmed = _confirmed(event.value)
        async with self.context.transaction(event.actor) as (session, member):
            view = await self.reminders.view(session, _id(value), member)
            if view.rule and view.is_owner and not confirmed:  # every future firing goes: ask
                return _confirm(view, "rem.cancel", "Cancel")
            text = await self.reminders.cancel(session, _id(value), member)
        if not view.is_owner:
            return reply(
                f"🗑 You won't be reminded about this any more: {markup.escape(text)}",
                update=confirmed,
            )
        if view.followers:
            self.context.wake_queue(None)  # the DMs telling them it is cancelled
        everyone = " (for everyone who joined too: I've told them)" if view.followers else ""
        return reply(f"🗑 Cancelled{everyone}: {markup.escape(text)}", update=confirmed)

    async def keep(self, event: ActionClicked) -> Response:
        """ "Keep it" on a Cancel/End question: nothing changes."""
        async with self.context.transaction(event.actor) as (session, member):
            view = await self.reminders.view(session, _id(event.value), member)
        if not view.is_owner:  # the question was the owner's: its text is not for others
            return reply("Only the person who set that reminder can change it.")
        return reply(f"👍 Kept, nothing changed: {markup.escape(view.text)}", update=True)

    async def follow(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            channel = None if event.place.is_dm else event.place.channel_id
            added = await self.reminders.follow(session, _id(event.value), member, channel)
            view = await self.reminders.view(session, _id(event.value), member)
        self.context.wake_queue(view.next_at)
        if not added:
            return reply("You're already on this reminder.")
        now = self.context.clock.now()
        when = timefmt.moment(view.next_at, member.tz, now) if view.next_at else "soon"
        return Response(replies=(_redrawn(view, now), Reply(f"👍 I'll remind you too, {when}.")))

    async def leave(self, event: ActionClicked) -> Response:
        """ "Stop reminding me" under a shared reminder: leave it, and the count drops."""
        async with self.context.transaction(event.actor) as (session, member):
            text = await self.reminders.unfollow(session, _id(event.value), member)
            view = await self.reminders.view(session, _id(event.value), member)
        note = Reply(f"🗑 You won't be reminded about this any more: {markup.escape(text)}")
        return Response(replies=(_redrawn(view, self.context.clock.now()), note))

    async def open_edit(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            view = await self.reminders.view(session, _id(event.value), member)
        if not view.is_owner:
            return reply("Only the person who set that reminder can edit it.")
        return reply(form=views.edit_form(view))

    async def submit_edit(self, event: FormSubmitted) -> Response:
        when = event.values.get("when", "").strip()
        what = event.values.get("what", "").strip()
        async with self.context.transaction(event.actor) as (session, member):
            field = "when"
            try:
                parsed = self._parse(when, member) if when else None
                field = "what"
                text = self._check_text(what) if what else None
                field = "when"
                if parsed and parsed.message and not text:
                    text = self._check_text(parsed.message)
            except TimeParseError as error:
                return _problem(error.message, when, field)
            await self.reminders.edit(
                session,
                _id(event.context),
                member,
                text=text,
                at=parsed.at if parsed else None,
                rule=parsed.rule if parsed else None,
            )
            view = await self.reminders.view(session, _id(event.context), member)
        self.context.wake_queue(view.next_at)
        when_text = (
            timefmt.moment(view.next_at, member.tz, self.context.clock.now())
            if view.next_at
            else "not scheduled"
        )
        return reply(f"✏️ Saved: {markup.escape(view.text)} — {when_text}")

    async def pause(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            await self.reminders.pause(session, _id(event.value), member)
        return reply("⏸ Paused. Resume it any time from `/reminders`.")

    async def resume(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            upcoming = await self.reminders.resume(session, _id(event.value), member)
        self.context.wake_queue(upcoming)
        when = timefmt.moment(upcoming, member.tz, self.context.clock.now())
        return reply(f"▶️ Resumed; next {when}.")

    async def end(self, event: ActionClicked) -> Response:
        value, confirmed = _confirmed(event.value)
        async with self.context.transaction(event.actor) as (session, member):
            if not confirmed:
                view = await self.reminders.view(session, _id(value), member)
                if view.rule and view.is_owner:
                    return _confirm(view, "rem.end", "End")
            await self.reminders.end(session, _id(value), member)
        return reply("⏹ Ended: it won't repeat any more.", update=confirmed)

    async def snooze(self, event: ActionClicked) -> Response:
        now = self.context.clock.now()
        async with self.context.transaction(event.actor) as (session, member):
            until = snooze_choices(now, now.astimezone(member.tz))[event.action_id]
            text = await self.reminders.snooze(session, _id(event.value), member, until)
        return self._snoozed(text, until, member)

    def _snoozed(self, text: str, until: datetime, member: MemberInfo) -> Response:
        self.context.wake_queue(until)
        when = timefmt.moment(until, member.tz, self.context.clock.now())
        return reply(f"😴 Snoozed until {when}: {markup.escape(text)}", private=False, update=True)

    async def open_snooze(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            await self.reminders.delivery_for(session, _id(event.value), member)
        form = views.when_form("rem.snooze", "Snooze until", event.value, with_text=False)
        return reply(form=form)

    async def submit_snooze(self, event: FormSubmitted) -> Response:
        when = event.values.get("when", "")
        async with self.context.transaction(event.actor) as (session, member):
            try:
                parsed = self._parse(when, member)
            except TimeParseError as error:
                return _problem(error.message, when, "when")
            text = await self.reminders.snooze(session, _id(event.context), member, parsed.at)
        return self._snoozed(text, parsed.at, member)

    async def done(self, event: ActionClicked) -> Response:
        async with self.context.transaction(event.actor) as (session, member):
            text = await self.reminders.done(session, _id(event.value), member)
        return reply(f"✅ Done: {markup.escape(text)}", private=False, update=True)


def _problem(message: str, typed: str, field: str | None = None) -> Response:
    """A friendly private warning; from a form, `field` names the input to mark as wrong."""
    understood = f"\nYou wrote: {markup.code(typed[:200])}" if typed else ""
    errors = ((field, markup.to_plain(message)),) if field else ()
    return reply(f"⚠️ {message}{understood}", field_errors=errors)


def _first_contact(member: MemberInfo) -> tuple[Reply, ...]:
    if not member.new:
        return ()
    if member.tz_from_platform:
        return (
            Reply(
                f"🌍 I took your time zone, {member.tz_name}, from your profile. "
                "Change it with `/timezone <city or zone>`."
            ),
        )
    if not member.tz_explicit:
        return (
            Reply(
                f"🌍 I'm using {member.tz_name} for your times. "
                "Set your own with `/timezone <city or zone>`, e.g. `/timezone berlin`."
            ),
        )
    return ()


CONFIRMED = ":yes"  # appended to a Cancel/End button's value by its confirmation question


def _confirmed(value: str) -> tuple[str, bool]:
    """The reminder id a Cancel/End button carries, and whether it is the confirmed press."""
    return value.removesuffix(CONFIRMED), value.endswith(CONFIRMED)


def _confirm(view: ReminderView, action_id: str, verb: str) -> Response:
    """Ask before a repeating reminder loses every future firing: Yes, or Keep it."""
    question = (
        f"{verb} the repeating reminder {markup.escape(markup.truncate(view.text, 200))} "
        f"({describe_rule(view.rule or '')})? Every future reminder stops."
    )
    yes = Button(f"Yes, {verb.lower()} it", action_id, f"{view.id}{CONFIRMED}", ButtonStyle.DANGER)
    keep = Button("Keep it", "rem.keep", str(view.id))
    return reply(question, buttons=((yes, keep),))


def _redrawn(view: ReminderView, now: datetime) -> Reply:
    """The shared confirmation again, after someone joined or left: the owner's message in the
    owner's zone, whoever pressed (platforms show each viewer their own time anyway)."""
    owner_view = replace(view, is_owner=True)
    shown = views.confirmation(owner_view, tz=get_zone(view.owner_tz), now=now, in_channel=True)
    return Reply(shown.text, buttons=shown.buttons, private=False, update=True)


def _id(value: str) -> int:
    """The reminder or delivery id a button or form carries; a forged one finds nothing."""
    found = parse_id(value)
    if found is None:
        raise ReminderProblem("I can't find that reminder any more.")
    return found


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
