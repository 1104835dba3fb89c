"""`/checkin setup`: a weekly time in the member's zone, by options or by the form."""

from __future__ import annotations

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.rolefit import content
from bot.rolefit.ranking import rank
from bot.rolefit.service import Results
from bot.storage.tables import Checkin, Delivery
from tests.unit.rolefit_personas import PERSONAS


async def test_setup_with_a_phrase_queues_the_first_prompt(chat: ConsoleChat, core: Core) -> None:
    await chat.say("/timezone Europe/Berlin")
    answer = await chat.say("/checkin setup monday 9am")
    assert "Weekly check-in set" in answer.text
    assert "every Monday at 09:00" in answer.text
    async with core.sessions() as session:
        row = await session.scalar(select(Delivery).where(Delivery.kind == "checkin.prompt"))
    assert row is not None and row.status == "pending"
    # Monday 30 Nov 2026, 09:00 in Berlin is 08:00 UTC.
    assert row.due_at.isoformat() == "2026-11-30T08:00:00+00:00"


async def test_setup_form_asks_every_field(chat: ConsoleChat, core: Core) -> None:
    shown = await chat.say("/checkin setup")
    assert "Weekly check-in" in shown.text
    await chat.say("tuesday 7pm")
    await chat.say("deploy a model behind an API by March")
    await chat.say("ML engineer")
    await chat.say("1")  # share: yes
    saved = await chat.say("22:00-08:00")
    assert "every Tuesday at 19:00" in saved.text
    assert "weekly team digest" in saved.text
    async with core.sessions() as session:
        checkin = await session.scalar(select(Checkin))
    assert checkin is not None
    assert checkin.goal == "deploy a model behind an API by March"
    assert checkin.target_role == "ML engineer" and checkin.share


async def test_a_time_that_is_not_weekly_is_explained(chat: ConsoleChat) -> None:
    answer = await chat.say("/checkin setup every day 9am")
    assert "Check-ins are weekly" in answer.text


async def test_status_without_a_checkin_says_how_to_start(chat: ConsoleChat) -> None:
    answer = await chat.say("/checkin")
    assert "/checkin setup monday 9am" in answer.text


async def test_the_setup_form_offers_the_latest_rolefit_result(
    chat: ConsoleChat, core: Core
) -> None:
    quiz, book = content.questionnaire(), content.roles()
    persona = PERSONAS[0]
    ranking = rank(quiz, book, persona.answers)
    async with core.context.transaction(chat.actor()) as (session, member):
        await Results(core.clock.now).record(session, member, persona.answers, ranking)
    top = book.get(ranking.scores[0].role_id)
    assert top is not None
    await chat.say("/checkin setup")
    form = chat.replies[-1].form
    assert form is not None
    role = next(field for field in form.inputs if field.input_id == "role")
    assert role.default == top.label
    assert role.label == "Target role (your role-fit result)"
