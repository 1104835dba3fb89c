"""`/mentor rolefit` and `/mentor roles` through the real Bolt app against the fake Slack: the
questionnaire's multi-select and buttons, Back, the result, Retake, history, the revisit
reminder, and the role profiles with their select."""

from __future__ import annotations

from typing import Any

from bot.rolefit import content
from tests.support.slack import CHANNEL, MEMBER, Exchange, SlackDriver, _who, button, buttons
from tests.unit.rolefit_personas import PERSONAS

QUIZ = content.questionnaire()
DM = "D0ALICE"


def select_of(message: dict[str, Any]) -> dict[str, Any]:
    [element] = [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") in ("static_select", "multi_static_select")
    ]
    return element


def labelled(message: dict[str, Any], label: str) -> dict[str, Any]:
    found = [b for b in buttons(message) if b["text"]["text"] == label]
    assert found, f"no button {label!r} in {[b['text']['text'] for b in buttons(message)]}"
    return found[0]


async def pick_many(
    slack: SlackDriver, element: dict[str, Any], values: list[str], *, user: str = MEMBER
) -> Exchange:
    """Choose several options of a multi-select, as Slack reports it."""
    name = slack.new_name("multi")
    ack = await slack.send(
        "interactive",
        {
            "type": "block_actions",
            "trigger_id": slack.new_name("trigger-"),
            **_who(user),
            "actions": [
                {
                    "action_id": element["action_id"],
                    "block_id": "b",
                    "type": "multi_static_select",
                    "action_ts": "1.3",
                    "selected_options": [{"value": v} for v in values],
                }
            ],
            "container": {"type": "message", "message_ts": "1.0", "channel_id": DM},
            "channel": {"id": DM, "name": "directmessage"},
            "message": {"type": "message", "ts": "1.0", "text": ""},
            "response_url": slack.fake.response_url(name),
        },
    )
    return Exchange(ack, name, slack.fake)


async def answer_all(
    slack: SlackDriver, first: dict[str, Any], answers: dict[str, tuple[str, ...]]
) -> dict[str, Any]:
    message = first
    for item in QUIZ.questions:
        labels = [next(a.text for a in item.answers if a.id == i) for i in answers[item.id]]
        if item.pick_up_to > 1:
            menu = select_of(message)
            values = [o["value"] for o in menu["options"] if o["text"]["text"] in labels]
            exchange = await pick_many(slack, menu, values)
        else:
            exchange = await slack.click(labelled(message, labels[0]), channel=DM)
        [message] = exchange.posts
        assert message.get("replace_original") is True  # the question message is replaced
    return message


async def test_the_questionnaire_end_to_end_with_back_retake_and_history(
    slack: SlackDriver,
) -> None:
    started = await slack.command("rolefit", channel=DM)
    [first] = started.posts
    assert "Role fit 1/10" in started.text and select_of(first)["type"] == "multi_static_select"

    menu = select_of(first)
    second = (await pick_many(slack, menu, [menu["options"][3]["value"]])).posts[0]
    assert "Role fit 2/10" in str(second)
    back = (await slack.click(labelled(second, "◀ Back"), channel=DM)).posts[0]
    assert "Role fit 1/10" in str(back)

    result = await answer_all(slack, back, PERSONAS[4].answers)
    text = str(result)
    assert "🥇 *AI engineer: 100% fit*" in text
    assert "_Why:_ you enjoy building products on general-purpose models" in text

    again = await slack.click(labelled(result, "Retake"), channel=DM)
    assert "Role fit 1/10" in again.text
    await answer_all(slack, again.posts[0], PERSONAS[1].answers)
    history = await slack.command("rolefit history", channel=DM)
    assert "Your top role changed from AI engineer to Software engineer on an ML team." in (
        history.text
    )


async def test_remind_me_in_a_week_and_someone_elses_press(slack: SlackDriver) -> None:
    first = (await slack.command("rolefit", channel=DM)).posts[0]
    result = await answer_all(slack, first, PERSONAS[0].answers)

    refused = await slack.click(button(result, "rf.remind"), user="U0MALLORY")
    assert "That result is not there any more" in refused.text
    reminded = await slack.click(button(result, "rf.remind"), channel=DM)
    assert "I'll remind you" in reminded.text and "Revisit your role fit" in reminded.text
    assert "Revisit your role fit" in (await slack.command("reminders", channel=DM)).text

    shown = await slack.click(button(result, "rf.resources"), channel=DM)
    assert "*Resources for your top roles* (level: intermediate)" in shown.text
    assert "Designing Machine Learning Systems" in shown.text


async def test_roles_offers_a_select_and_opens_a_profile(slack: SlackDriver) -> None:
    listing = await slack.command("roles", channel=CHANNEL)
    assert "ML career roles" in listing.text
    menu = select_of(listing.posts[0])
    opened = await slack.click(menu, selected="mlops-engineer")
    assert "MLOps / ML platform engineer" in opened.text and "Ways in" in opened.text
    start = await slack.click(
        labelled(opened.posts[0], "Which role fits me? Take the questionnaire")
    )
    assert "Role fit 1/10" in start.text

    profile = await slack.command("roles data scientist")
    assert "Day to day" in profile.text and "Sources" in profile.text
