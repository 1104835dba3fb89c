"""`/timezone`: see or set your zone (and, for admins, the workspace default)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy.ext.asyncio import AsyncSession

from bot import markup
from bot.admin.service import record_change
from bot.chat import (
    ActionClicked,
    Autocomplete,
    Button,
    ButtonStyle,
    Choice,
    Invocation,
    Response,
    reply,
)
from bot.context import Context
from bot.profile.service import MemberInfo
from bot.router import CommandSpec, OptionSpec, Router
from bot.time import timefmt
from bot.time.zones import UnknownZone, ZoneMatch, resolve_zone, zone_label

COMMON = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
)

TIMEZONE = CommandSpec(
    "timezone",
    "See or set your time zone (city, IANA name or abbreviation)",
    options=(
        OptionSpec(
            "zone", "e.g. Berlin, Europe/Berlin, PST, IST", autocomplete=True, max_length=64
        ),
        OptionSpec("workspace", "Admins: make it this community's default", kind="boolean"),
    ),
    rest="zone",
    usage="/timezone berlin",
)


class ProfileCommands:
    def __init__(self, context: Context) -> None:
        self.context = context

    def register(self, router: Router) -> None:
        router.command(TIMEZONE, self.timezone)
        router.action("tz.pick", self.pick_zone)
        router.autocomplete("timezone", "zone", self.complete_zone)

    async def timezone(self, event: Invocation) -> Response:
        typed = str(event.options.get("zone", "")).strip()
        for_workspace = bool(event.options.get("workspace", False))
        now = self.context.clock.now()
        async with self.context.transaction(event.actor) as (session, member):
            if not typed:
                local = timefmt.local(now, member.tz)
                source = "" if member.tz_explicit else " (the community default)"
                return reply(
                    f"🌍 Your time zone is **{zone_label(member.tz_name)}**{source}; "
                    f"it's {local} there.\n"
                    "Change it with `/timezone <city or zone>`, e.g. `/timezone berlin`."
                )
            try:
                match = resolve_zone(typed, now=now)
            except UnknownZone as unknown:
                hint = ", ".join(f"`{name}`" for name in unknown.suggestions[:5])
                close = f" Did you mean {hint}?" if hint else ""
                return reply(
                    f"⚠️ I don't know the time zone {markup.code(typed[:64])}.{close}\n"
                    "Try a city (`/timezone berlin`), an IANA name (`Europe/Berlin`) or an "
                    "abbreviation (`PST`)."
                )
            if not match.exact:  # a typo: ask, never apply a guess silently
                return _did_you_mean(typed, match, for_workspace)
            response = await self._apply(event, session, member, match, for_workspace, now)
        self.context.wake_queue(None)  # repeating reminders may now be due sooner
        return response

    async def pick_zone(self, event: ActionClicked) -> Response:
        """The "Use Europe/Berlin" button under a "did you mean" question."""
        for_workspace, _, name = event.value.rpartition(":")
        now = self.context.clock.now()
        try:
            match = resolve_zone(name, now=now)
        except UnknownZone:
            return reply("⚠️ That zone is no longer known here; try `/timezone berlin`.")
        async with self.context.transaction(event.actor) as (session, member):
            response = await self._apply(event, session, member, match, for_workspace == "w", now)
        self.context.wake_queue(None)
        return response

    async def _apply(
        self,
        event: Invocation | ActionClicked,
        session: AsyncSession,
        member: MemberInfo,
        match: ZoneMatch,
        for_workspace: bool,
        now: datetime,
    ) -> Response:
        if for_workspace:
            if not event.actor.is_admin:
                return reply("⚠️ Only community admins can change the default time zone.")
            moved = await self.context.profiles.set_workspace_zone(
                session, member.workspace_id, match.name
            )
            await record_change(session, member, ("default zone",), now)
            return reply(
                f"🌍 This community's default time zone is now **{match.label}**."
                + _moved(moved, yours=False)
            )
        moved = await self.context.profiles.set_member_zone(session, member, match.name)
        local = timefmt.local(now, match.zone)
        return reply(
            f"🌍 Your time zone is now **{match.label}**; it's {local} there.\n"
            "Reminders you set from now on follow it." + _moved(moved, yours=True)
        )

    async def complete_zone(self, event: Autocomplete) -> Response:
        names = suggest_zones(event.typed, now=self.context.clock.now())
        return Response(choices=tuple(Choice(name, name) for name in names))


def _moved(count: int, *, yours: bool) -> str:
    """Say how many repeating reminders now fire at their clock time in the new zone."""
    if not count:
        return ""
    things = f"{count} repeating reminder{'' if count == 1 else 's'}"
    whose = f"Your {things}" if yours else f"{things} of members without their own zone"
    return f"\n🔁 {whose} moved with it: the same clock time, in the new zone."


def _did_you_mean(typed: str, match: ZoneMatch, for_workspace: bool) -> Response:
    value = f"{'w' if for_workspace else 'm'}:{match.name}"
    use = Button(f"Use {match.label}", "tz.pick", value, ButtonStyle.PRIMARY)
    return reply(
        f"🤔 Did you mean **{match.label}**? I don't know {markup.code(typed[:64])} exactly.\n"
        "Press the button to use it, or try again with a city (`/timezone berlin`) or an "
        "IANA name (`Europe/Berlin`).",
        buttons=((use,),),
        private=True,
    )


@lru_cache(maxsize=1)
def _all_zones() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def suggest_zones(typed: str, *, now: datetime, limit: int = 25) -> list[str]:
    """IANA names containing what was typed (spaces read as underscores), common ones first."""
    needle = typed.strip().lower().replace(" ", "_")
    if not needle:
        return list(COMMON[:limit])
    found = [name for name in _all_zones() if needle in name.lower()]
    if not found:
        try:
            found = [resolve_zone(typed, now=now).name]
        except UnknownZone as unknown:
            found = list(unknown.suggestions)
    return found[:limit]
