"""`/rolefit` as a conversation on the console: one question at a time, Back, resume after a
restart, the result with reasons, Retake, history with what changed, the revisit reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.console.chat import ConsoleChat, Said
from bot.app import Core
from bot.clock import FakeClock
from bot.rolefit import content
from bot.rolefit.commands import REVISIT_TEXT
from bot.storage.tables import Flow, Reminder, RolefitResult
from tests.conftest import make_settings
from tests.support.conversation import count
from tests.unit.rolefit_personas import PERSONAS

QUIZ = content.questionnaire()
BOOK = content.roles()
FORECASTER = PERSONAS[0]
MATHEMATICIAN = PERSONAS[2]


async def choose(chat: ConsoleChat, said: Said, question_id: str, chosen: tuple[str, ...]) -> Said:
    """Press the answers `chosen` (by their labels) of the question `said` shows."""
    item = QUIZ.question(question_id)
    assert item is not None
    assert item.text in said.text, (question_id, said.text)
    labels = [next(a.text for a in item.answers if a.id == answer_id) for answer_id in chosen]
    return await chat.say(",".join(said.button(label) for label in labels))


async def answer_all(chat: ConsoleChat, said: Said, answers: dict[str, tuple[str, ...]]) -> Said:
    for item in QUIZ.questions[len(QUIZ.questions) - _left(said) :]:
        said = await choose(chat, said, item.id, answers[item.id])
    return said


def _left(said: Said) -> int:
    """Questions still to answer, read from the progress marker ("Role fit 3/10")."""
    marker = next(line for line in said if line.startswith("Role fit "))
    number, total = marker.split()[2].split("/")
    return int(total) - int(number) + 1


async def test_the_questionnaire_asks_one_question_at_a_time_with_progress(
    chat: ConsoleChat,
) -> None:
    first = await chat.say("/rolefit")
    assert first[0].startswith(f"Role fit 1/{len(QUIZ.questions)}")
    assert QUIZ.questions[0].text in first.text
    assert "◀ Back" not in first.buttons  # nothing to go back to yet
    second = await choose(chat, first, "enjoy", ("infrastructure", "modelling"))
    assert second[0] == "(updated)" and second[1].startswith("Role fit 2/10")
    assert "◀ Back" in second.buttons


async def test_a_finished_questionnaire_shows_the_top_three_with_why_and_next_steps(
    chat: ConsoleChat, core: Core
) -> None:
    result = await answer_all(chat, await chat.say("/rolefit"), FORECASTER.answers)

    text = result.text
    assert "Your role fit" in text
    assert "🥇 ML engineer: 86% fit" in text
    assert "🥈 MLOps / ML platform engineer: 69% fit" in text
    assert "🥉" in text
    assert "Why: you enjoy deploying, scaling and automating systems" in text
    assert "Against:" in text  # an answer that counted against a top role is named
    assert "First steps: 1. Take one model you trained" in text
    assert {"Remind me in a week to revisit", "Retake"} <= set(result.buttons)
    assert await count(core, Flow) == 0  # the flow is finished and forgotten
    async with core.sessions() as session:
        row = (await session.scalars(select(RolefitResult))).one()
    assert '"ml-engineer", 86' in row.scores and '"clients": ["avoid"]' in row.answers


async def test_back_returns_to_the_previous_question_and_its_answer_can_change(
    chat: ConsoleChat, core: Core
) -> None:
    said = await chat.say("/rolefit")
    said = await choose(chat, said, "enjoy", ("research",))
    said = await choose(chat, said, "analysis", ("love",))
    assert said[1].startswith("Role fit 3/10")
    back = await chat.say(said.button("◀ Back"))
    assert back[1].startswith("Role fit 2/10") and QUIZ.questions[1].text in back.text
    stale = await chat.say(said.button("As much as possible, every day"))
    assert stale.text == "⚠️ That was an earlier question; please answer the newest one."
    said = await choose(chat, back, "analysis", ("build",))
    said = await answer_all(chat, said, MATHEMATICIAN.answers)
    async with core.sessions() as session:
        row = (await session.scalars(select(RolefitResult))).one()
    assert '"analysis": ["build"]' in row.answers


async def test_the_questionnaire_resumes_where_it_was_left_after_a_restart(
    store_url: str, clock: FakeClock
) -> None:
    first = Core(make_settings(store_url), clock=clock)
    await first.migrate()
    async with first:
        chat = ConsoleChat(first)
        said = await chat.say("/rolefit")
        for item in QUIZ.questions[:3]:
            said = await choose(chat, said, item.id, MATHEMATICIAN.answers[item.id])
        old_button = said.button("Years of production code (tests, reviews, deployments)")
        assert said[1].startswith("Role fit 4/10")

    clock.advance(timedelta(days=3))
    async with Core(make_settings(store_url), clock=clock) as second:
        chat = ConsoleChat(second)
        resumed = await chat.say("/rolefit")
        assert resumed[0] == "Welcome back: you were at question 4."
        assert resumed[1].startswith("Role fit 4/10")
        result = await answer_all(chat, resumed, MATHEMATICIAN.answers)
        assert "🥇 Research scientist / research engineer" in result.text
        assert int(old_button) < int(result.button("Retake"))  # a new chat, new numbers


async def test_a_button_of_someone_elses_questionnaire_is_refused(chat: ConsoleChat) -> None:
    said = await chat.say("/rolefit")
    await chat.say("/as bob")
    refused = await chat.say(said.button("Reading papers and trying new methods"))
    assert refused.text.startswith("⚠️ Those answers have expired or are not yours")
    await chat.say("/as you")
    moved = await choose(chat, said, "enjoy", ("research",))
    assert moved[1].startswith("Role fit 2/10")


async def test_retake_then_history_shows_both_results_and_what_changed(
    chat: ConsoleChat, clock: FakeClock
) -> None:
    none = await chat.say("/rolefit history")
    assert none.text.startswith("You have no role-fit results yet")
    first = await answer_all(chat, await chat.say("/rolefit"), FORECASTER.answers)
    clock.advance(timedelta(days=8))
    again = await chat.say(first.button("Retake"))
    assert again[0].startswith("Role fit 1/10")
    answers = dict(FORECASTER.answers, maths=("lots",), background=("academia",))
    answers.update(enjoy=("research", "modelling"), models=("invent",), production=("offline",))
    await answer_all(chat, again, answers)

    history = (await chat.say("/rolefit history")).text
    assert "Your role-fit results (newest first, 2 shown)" in history
    assert "What changed since" in history
    assert "Your top role changed from ML engineer to Research scientist / research engineer." in (
        history
    )
    assert "• Research scientist / research engineer: " in history
    assert (
        "You answered “How much maths do you want in your work?” with “As much as possible, "
        "every day” instead of “Enough to understand what the models do”." in history
    )
    assert history.count("1. ") == 2  # two columns, each with its own top three


async def test_remind_me_in_a_week_sets_one_normal_reminder(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    result = await answer_all(chat, await chat.say("/rolefit"), FORECASTER.answers)
    set_ = await chat.say(result.button("Remind me in a week to revisit"))
    assert set_.text.startswith("✅ I'll remind you") and "Revisit your role fit" in set_.text
    again = await chat.say(result.button("Remind me in a week to revisit"))
    assert again.text.startswith("You already have that reminder")
    async with core.sessions() as session:
        reminder = (await session.scalars(select(Reminder))).one()
    assert reminder.text == REVISIT_TEXT and reminder.next_at == clock.now() + timedelta(weeks=1)

    clock.advance(timedelta(weeks=1))
    dm = await chat.next_dm()
    assert "Revisit your role fit" in dm.text


async def test_a_result_button_pressed_by_someone_else_is_refused(chat: ConsoleChat) -> None:
    result = await answer_all(chat, await chat.say("/rolefit"), FORECASTER.answers)
    await chat.say("/as bob")
    refused = await chat.say(result.button("Remind me in a week to revisit"))
    assert refused.text.startswith("⚠️ That result is not there any more")


@pytest.mark.parametrize(
    "typed", ["mle", "ML Engineer", "machine-learning engineer", "ml-engineer"]
)
async def test_roles_opens_a_profile_by_id_label_or_synonym(chat: ConsoleChat, typed: str) -> None:
    said = await chat.say(f"/roles {typed}")
    assert said[0] == "ML engineer"
    assert "Ways in" in said.text and "Sources" in said.text
    assert "rules-of-ml <" not in said.text
    assert "Rules of Machine Learning" in said.text


async def test_roles_lists_every_role_with_a_select_and_refuses_an_unknown_one_kindly(
    chat: ConsoleChat,
) -> None:
    listing = await chat.say("/roles")
    for role in BOOK.roles:
        assert f"• {role.label}:" in listing.text
    opened = await chat.say(listing.button("MLOps / ML platform engineer"))
    assert "MLOps / ML platform engineer" in opened.text and "Day to day" in opened.text
    unknown = await chat.say("/roles astronaut <@U1>")
    assert unknown.text.startswith("⚠️ I don't know the role “astronaut <@U1>”")
    close = await chat.say("/roles mlosp")
    assert "`mlops-engineer`" in close.replies[0].text


async def test_unknown_rolefit_words_get_the_ones_that_work(chat: ConsoleChat) -> None:
    said = await chat.say("/rolefit sideways")
    assert said.text == "⚠️ I know /rolefit, /rolefit history and /rolefit retake."


async def test_the_role_option_autocompletes_from_labels_and_synonyms(core: Core) -> None:
    from bot.chat import Actor, Autocomplete

    actor = Actor("console", "local", "you")
    found = await core.dispatch(Autocomplete("roles", "role", "mlo", actor))
    assert [c.value for c in found.choices][:1] == ["mlops-engineer"]
    everything = await core.dispatch(Autocomplete("roles", "role", "", actor))
    assert [c.value for c in everything.choices] == [role.id for role in BOOK.roles]
    typo = await core.dispatch(Autocomplete("roles", "role", "reserch scientist", actor))
    assert typo.choices[0].value == "research-scientist"


async def test_the_result_points_to_the_resource_library_at_the_members_level(
    chat: ConsoleChat,
) -> None:
    from bot.resources.library import library

    shelf = library()
    result = await answer_all(chat, await chat.say("/rolefit"), FORECASTER.answers)
    [first, second] = shelf.best_for("ml-engineer", "intermediate", 2)
    assert f"Start with: {first.title} <{first.url}>; {second.title} <{second.url}>" in result.text

    shown = await chat.say(result.button("Show resources"))
    assert shown[0] == "Resources for your top roles (level: intermediate)"
    for role_id in ("ml-engineer", "mlops-engineer", "data-scientist"):
        for resource in shelf.best_for(role_id, "intermediate", 3):
            assert f"• {resource.title} <{resource.url}> — {resource.why}" in shown.text
    await chat.say("/as bob")
    refused = await chat.say(result.button("Show resources"))
    assert refused.text.startswith("⚠️ That result is not there any more")
