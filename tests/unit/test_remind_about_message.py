"""“Remind me about this” on a message: asks when, keeps an excerpt, and the DM quotes it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import FormSubmitted, Invocation, MessageRef
from bot.clock import FakeClock
from bot.storage.tables import Delivery, Flow, Reminder
from tests.support.conversation import count


async def test_remind_about_a_message_quotes_it_in_the_dm(
    chat: ConsoleChat, core: Core, clock: FakeClock
) -> None:
    said = await chat.say("the deploy checklist is in the wiki")
    assert said == ["(you said it as message m1)"]
    form = await chat.say("/remind-message")
    assert form[0] == "📝 Remind me about this"
    assert "When?" in form[1]
    assert await count(core, Flow) == 1

    what = await chat.say("in 2 hours")
    assert what[0] == "  What about? (optional, Enter to skip):"
    done = await chat.say("")
    assert "✅ I'll remind you Mon 23 Nov 2026, 15:00 UTC, in 2 hours" in done[0]
    assert "the message you picked" in done[0]
    async with core.sessions() as session:
        reminder = (await session.scalars(select(Reminder))).one()
    assert reminder.source_excerpt == "the deploy checklist is in the wiki"
    assert await count(core, Flow) == 0  # used up

    clock.advance(timedelta(hours=2))
    dm = await chat.next_dm()
    assert "> the deploy checklist is in the wiki" in dm


async def test_optional_text_and_a_named_message(chat: ConsoleChat, core: Core) -> None:
    await chat.say("first message")
    await chat.say("second message", as_user="bob")
    await chat.say("/remind-message m1")
    await chat.say("tomorrow 9am")
    done = await chat.say("reply to this")
    assert "Tue 24 Nov 2026, 09:00 UTC" in done[0]
    assert "reply to this" in done[0]
    async with core.sessions() as session:
        reminder = (await session.scalars(select(Reminder))).one()
    assert (reminder.text, reminder.source_excerpt) == ("reply to this", "first message")


async def test_in_a_channel_it_stays_private(core: Core) -> None:
    chat = ConsoleChat(core, in_channel=True)
    await chat.say("let's pair on the eval harness on friday")
    await chat.say("/remind-message")
    await chat.say("friday 10am")
    done = await chat.say("")
    assert done[0] == "(only you can see this)"
    assert "Remind me too" not in done.buttons


async def test_link_to_the_message_is_in_the_dm(core: Core, chat: ConsoleChat) -> None:
    actor, place = chat.actor(), chat.place
    message = MessageRef(
        "1234", "C1", link="https://chat.example.org/m/1234", excerpt="read the RFC"
    )
    opened = await core.dispatch(Invocation("remind-message", {}, actor, place, message=message))
    form = opened.replies[0].form
    assert form is not None
    done = await core.dispatch(
        FormSubmitted(form.form_id, {"when": "in 1 hour", "what": ""}, actor, place, form.context)
    )
    assert "[the message](https://chat.example.org/m/1234)" in done.text


async def test_without_any_message_it_asks_for_one(chat: ConsoleChat, core: Core) -> None:
    lines = await chat.say("/remind-message")
    assert "Say something first" in lines[0]
    assert await count(core, Flow) == 0


async def test_a_bad_time_in_the_form_saves_nothing(chat: ConsoleChat, core: Core) -> None:
    await chat.say("the deploy checklist is in the wiki")
    await chat.say("/remind-message")
    await chat.say("at some point")
    answer = await chat.say("")
    assert answer[0].startswith("⚠")
    assert await count(core, Reminder) == 0
    assert await count(core, Delivery) == 0


async def test_an_expired_flow_gets_a_friendly_answer(chat: ConsoleChat, core: Core) -> None:
    await chat.say("the deploy checklist is in the wiki")
    await chat.say("/remind-message")
    async with core.sessions.begin() as session:
        await session.execute(delete(Flow))  # e.g. cleaned up while the form was open
    await chat.say("in 2 hours")
    answer = await chat.say("")
    assert "That form has expired; choose “Remind me about this” again." in answer[0]
    assert await count(core, Reminder) == 0


async def test_an_unknown_or_foreign_flow_id_is_refused(chat: ConsoleChat, core: Core) -> None:
    await chat.say("my private note")
    await chat.say("/remind-message")
    async with core.sessions() as session:
        flow_id = await session.scalar(select(Flow.id))
    for context, user in (("999", "you"), ("not-a-number", "you"), (str(flow_id), "mallory")):
        event = FormSubmitted(
            "rem.message", {"when": "in 2 hours"}, chat.actor(user), chat.place, context
        )
        response = await core.dispatch(event)
        assert "That form has expired" in response.text
    assert await count(core, Reminder) == 0
    assert await count(core, Flow) == 1  # still there for its owner


async def test_a_bad_time_in_the_form_names_the_when_input(core: Core, chat: ConsoleChat) -> None:
    actor, place = chat.actor(), chat.place
    message = MessageRef("1234", "C1", excerpt="read the RFC")
    opened = await core.dispatch(Invocation("remind-message", {}, actor, place, message=message))
    form = opened.replies[0].form
    assert form is not None

    bad = await core.dispatch(
        FormSubmitted(form.form_id, {"when": "whenever", "what": ""}, actor, place, form.context)
    )

    [warning] = bad.replies
    assert warning.private and warning.text.startswith("⚠️")
    assert [input_id for input_id, _ in warning.field_errors] == ["when"]
    assert warning.field_errors[0][1]
    assert await count(core, Reminder) == 0
    assert await count(core, Flow) == 1  # the form can be fixed and sent again


async def test_a_bad_time_in_a_command_has_no_field_errors(core: Core, chat: ConsoleChat) -> None:
    bad = await core.dispatch(
        Invocation("remind", {"when": "whenever", "what": "x"}, chat.actor(), chat.place)
    )
    assert bad.replies[0].text.startswith("⚠️")
    assert bad.replies[0].field_errors == ()
