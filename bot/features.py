"""Features as modules: the `Feature` protocol and the ONE list of features mentorbot runs.

A feature is a package under `bot/` with a class built from a `Context`. It registers its
commands, buttons, forms and autocompletes on the router and its delivery kinds on the queue,
and may contribute to the member's home, a notice after a command, the retention sweep,
calendar jobs, and the export and deletion of one member's data. `Core` loops over the list
and holds no feature code; adding a feature is its package plus one entry in `feature_list()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.calendar import CalendarJob
from bot.chat import Actor, Reply
from bot.clock import Clock, SystemClock
from bot.context import Context
from bot.profile.service import MemberInfo, Profiles
from bot.queue import DeliveryKind
from bot.router import Router
from bot.settings import Settings

JSON = Mapping[str, object]


class Feature(Protocol):
    """What `Core` asks of every feature (`FeatureBase` gives the optional hooks' defaults)."""

    name: str  # also the key of its part in a member's data export

    def register(self, router: Router) -> None:
        """Add the feature's commands, actions, forms and autocompletes (names are unique)."""
        ...

    def delivery_kinds(self) -> Sequence[DeliveryKind]:
        """The kinds of queued message the feature composes (see `bot.queue`)."""
        ...

    async def home_section(self, actor: Actor) -> Reply | None:
        """The feature's part of a member's overview (Slack App Home), if any."""
        ...

    async def notice(self, actor: Actor) -> Reply | None:
        """Something to tell `actor` privately after their command, if any (kept cheap)."""
        ...

    async def sweep(self, session: AsyncSession, now: datetime) -> int:
        """Retention: delete the feature's rows past their time; returns how many."""
        ...

    def calendar_jobs(self) -> Sequence[CalendarJob]:
        """Coarse jobs at calendar times (weekly summaries); ids must be unique."""
        ...

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        """Everything the feature stores about `member`, as JSON-ready values."""
        ...

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        """Delete everything the feature stores about `member`; returns how many rows."""
        ...


class FeatureBase:
    """Defaults for the optional hooks: a feature overrides what it contributes."""

    name = "feature"

    def __init__(self, context: Context) -> None:
        self.context = context

    def register(self, router: Router) -> None:
        return None

    def delivery_kinds(self) -> Sequence[DeliveryKind]:
        return ()

    async def home_section(self, actor: Actor) -> Reply | None:
        return None

    async def notice(self, actor: Actor) -> Reply | None:
        return None

    async def sweep(self, session: AsyncSession, now: datetime) -> int:
        return 0

    def calendar_jobs(self) -> Sequence[CalendarJob]:
        return ()

    async def export_member(self, session: AsyncSession, member: MemberInfo) -> JSON:
        return {}

    async def delete_member(self, session: AsyncSession, member: MemberInfo) -> int:
        return 0


FeatureFactory = Callable[[Context], Feature]


def feature_list() -> tuple[FeatureFactory, ...]:
    """THE list of features, in the order `/help` and the home show them.

    A feature may depend on those before it (every one on the profile, which owns the member
    row), so a member's data is deleted in reverse order. Imported inside the function because
    the features themselves import this module.
    """
    from bot.admin.feature import AdminFeature
    from bot.checkins.feature import CheckinFeature
    from bot.help import HelpFeature
    from bot.privacy.feature import PrivacyFeature
    from bot.profile.feature import ProfileFeature
    from bot.reminders.feature import ReminderFeature
    from bot.resources.feature import ResourceFeature
    from bot.rolefit.feature import RolefitFeature

    return (
        ProfileFeature,
        PrivacyFeature,  # deleted just before the profile: it sweeps up the core's rows last
        ReminderFeature,
        ResourceFeature,
        RolefitFeature,
        CheckinFeature,
        AdminFeature,
        HelpFeature,
    )


def build(
    context: Context, factories: Sequence[FeatureFactory] | None = None
) -> tuple[list[Feature], Router]:
    """Build each feature and register its names on one new router."""
    router = Router()
    features = [factory(context) for factory in (factories or feature_list())]
    names = [feature.name for feature in features]
    if len(set(names)) != len(names):
        raise ValueError(f"two features share a name: {names}")
    for feature in features:
        feature.register(router)
    context.member_data.hooks = tuple(features)
    return features, router


def catalogue(
    settings: Settings | None = None,
    factories: Sequence[FeatureFactory] | None = None,
    *,
    clock: Clock | None = None,
) -> Router:
    """The command catalogue alone (the Slack manifest): no engine, no database, no tasks."""
    settings = settings or Settings(database_url="sqlite+aiosqlite://")
    clock = clock or SystemClock()
    context = Context(
        settings=settings,
        sessions=async_sessionmaker(),  # bound to nothing: handlers are never called
        clock=clock,
        profiles=Profiles(settings.default_timezone, clock),
        wake_queue=lambda _at: None,
    )
    return build(context, factories)[1]
