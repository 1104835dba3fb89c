"""Role-fit results on SQLite and PostgreSQL: a member keeps the newest `KEEP`, history is
newest first, and every read is the member's own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import Core
from bot.chat import Actor
from bot.clock import FakeClock
from bot.rolefit import content
from bot.rolefit.ranking import rank
from bot.rolefit.service import KEEP, ResultGone, Results
from tests.conftest import make_settings
from tests.unit.rolefit_personas import PERSONAS


async def test_results_keep_the_newest_and_stay_their_members_own(
    database_url: str, clock: FakeClock
) -> None:
    quiz, book = content.questionnaire(), content.roles()
    core = Core(make_settings(database_url), clock=clock)
    await core.migrate()
    results = Results(clock.now)
    ann, bob = Actor("console", "w", "ann"), Actor("console", "w", "bob")
    try:
        for n in range(KEEP + 2):
            persona = PERSONAS[n % len(PERSONAS)]
            async with core.context.transaction(ann) as (session, member):
                await results.record(
                    session, member, persona.answers, rank(quiz, book, persona.answers)
                )
            clock.advance(timedelta(minutes=1))
        async with core.context.transaction(bob) as (session, member):
            bobs = await results.record(
                session, member, PERSONAS[0].answers, rank(quiz, book, PERSONAS[0].answers)
            )

        async with core.context.transaction(ann) as (session, member):
            everything = await results.export(session, member)
            newest = await results.history(session, member, limit=2)
            with pytest.raises(ResultGone):
                await results.get(session, member, str(bobs.id))
        assert len(everything) == KEEP
        last = PERSONAS[(KEEP + 1) % len(PERSONAS)]
        assert newest[0].answers == last.answers and newest[0].taken_at > newest[1].taken_at
        assert newest[0].top == rank(quiz, book, last.answers).order[0]
    finally:
        await core.close()
