"""`/rolefit` and `/roles` through the real discord.py client against the fake Discord: the
questionnaire in place (multi-select, buttons, Back), resumed after a restart from the same
message, the result's buttons, history, and the role autocomplete."""

from __future__ import annotations

from typing import Any

from bot.app import Core
from bot.clock import FakeClock
from bot.rolefit import content
from tests.conftest import make_settings
from tests.fakes import discord_payloads as p
from tests.fakes.discord_payloads import Member
from tests.fakes.discord_server import FakeDiscord
from tests.support.discord import DiscordHarness, buttons_of, is_ephemeral, text_of
from tests.unit.rolefit_personas import PERSONAS

QUIZ = content.questionnaire()


def menu_of(message: dict[str, Any]) -> dict[str, Any]:
    [menu] = [
        component
        for row in message.get("components") or []
        for component in row.get("components", [])
        if component.get("type") == 3
    ]
    return menu


async def pick(
    harness: DiscordHarness, message: dict[str, Any], labels: list[str], member: Member
) -> None:
    menu = menu_of(message)
    values = [o["value"] for o in menu["options"] if o["label"] in labels]
    record = await harness.fake.interact(
        p.MESSAGE_COMPONENT, p.select_data(menu["custom_id"], values), member, message=message
    )
    await harness.fake.answered(record)


async def answer(
    harness: DiscordHarness,
    message: dict[str, Any],
    question_id: str,
    member: Member,
    chosen: tuple[str, ...],
) -> None:
    """Answer the question `message` shows; the message is updated in place."""
    item = QUIZ.question(question_id)
    assert item is not None and item.text in text_of(message)
    labels = [next(a.text for a in item.answers if a.id == i) for i in chosen]
    if item.pick_up_to > 1:
        await pick(harness, message, labels, member)
    else:
        record = await harness.click(message, labels[0], member)
        assert record.callback_type == p.UPDATE_MESSAGE


async def test_the_questionnaire_resumes_on_the_same_message_after_a_restart(
    fake: FakeDiscord, core: Core, store_url: str, clock: FakeClock
) -> None:
    harness = DiscordHarness(fake, core)
    await harness.start()
    ann = harness.member("ann")
    persona = PERSONAS[3]
    message = (await harness.slash("rolefit", ann)).messages[0]
    assert is_ephemeral(message) and "Role fit 1/10" in text_of(message)
    assert menu_of(message)["max_values"] == 2
    for item in QUIZ.questions[:4]:
        await answer(harness, message, item.id, ann, persona.answers[item.id])
    assert "Role fit 5/10" in text_of(message)
    await harness.click(message, "◀ Back", ann)
    assert "Role fit 4/10" in text_of(message)
    await harness.stop()
    await core.close()

    restarted = Core(make_settings(store_url, send_rate_per_second=1000.0), clock=clock)
    async with restarted:
        await harness.start(core=restarted)
        try:
            for item in QUIZ.questions[3:]:
                await answer(harness, message, item.id, ann, persona.answers[item.id])
            shown = text_of(message)
            assert "🥇 **ML engineer: 86% fit**" in shown
            assert "🥈 **Data engineer: 75% fit**" in shown
            assert {"Remind me in a week to revisit", "Retake"} <= set(buttons_of(message))

            bob = harness.member("bob")
            refused = await harness.click(message, "Remind me in a week to revisit", bob)
            assert "That result is not there any more" in text_of(refused.messages[0])
            history = (await harness.slash("rolefit", ann, view="history")).messages[0]
            assert "ML engineer 86%" in text_of(history)
        finally:
            await harness.stop()


async def test_a_question_button_pressed_by_someone_else_moves_nothing(
    discord_: DiscordHarness,
) -> None:
    ann, bob = discord_.member("ann"), discord_.member("bob")
    message = (await discord_.slash("rolefit", ann)).messages[0]
    await answer(discord_, message, "enjoy", ann, ("research",))
    refused = await discord_.click(message, "Fine now and then", bob)
    assert "not yours" in text_of(refused.messages[0])
    assert "Role fit 2/10" in text_of(message)


async def test_roles_autocompletes_and_opens_a_profile(discord_: DiscordHarness) -> None:
    ann = discord_.member("ann")
    choices = await discord_.autocomplete("roles", ann, "role", "mlo")
    assert choices[0] == {"name": "MLOps / ML platform engineer", "value": "mlops-engineer"}
    profile = (await discord_.slash("roles", ann, role="mlops-engineer")).messages
    shown = "\n".join(text_of(m) for m in profile)
    assert "**MLOps / ML platform engineer**" in shown and "**Ways in**" in shown
