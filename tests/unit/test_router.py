"""The router routes every event, enforces admin-only commands, and refuses duplicate names."""

from __future__ import annotations

import pytest

from bot.app import Core
from bot.chat import (
    ActionClicked,
    Actor,
    Autocomplete,
    FormSubmitted,
    Invocation,
    Place,
    Response,
    reply,
)
from bot.features import catalogue
from bot.router import CommandSpec, MessageActionSpec, Router

ADMIN = Actor("console", "local", "ada", is_admin=True)
MEMBER = Actor("console", "local", "max", is_admin=False)
HERE = Place("general", is_dm=False)
AUDIT = CommandSpec("audit", "Admins: what happened this week", admin_only=True)
OPEN = CommandSpec("hello", "Anyone may say hello")


async def answered(_event: object) -> Response:
    return reply("done")


def a_router() -> Router:
    router = Router()
    router.command(AUDIT, answered)
    router.command(OPEN, answered)
    return router


async def test_admin_only_commands_refuse_members_with_a_private_reply() -> None:
    router = a_router()
    refused = await router.handle(Invocation("audit", {}, MEMBER, HERE))
    assert [r.text for r in refused.replies] == ["⚠️ Only community admins can use `/audit`."]
    assert refused.replies[0].private
    allowed = await router.handle(Invocation("audit", {}, ADMIN, HERE))
    assert [r.text for r in allowed.replies] == ["done"]
    assert [r.text for r in (await router.handle(Invocation("hello", {}, MEMBER, HERE))).replies]


async def test_admin_only_buttons_and_forms_refuse_members_before_the_handler() -> None:
    called: list[object] = []

    async def handler(event: object) -> Response:
        called.append(event)
        return reply("done")

    router = Router()
    router.action("audit.page", handler, admin_only=True)
    router.form("audit.edit", handler, admin_only=True)
    router.action("hello.wave", handler)
    for event in (
        ActionClicked("audit.page", "2", MEMBER, HERE),
        FormSubmitted("audit.edit", {"note": "x"}, MEMBER, HERE),
    ):
        refused = await router.handle(event)
        assert [r.text for r in refused.replies] == ["⚠️ Only community admins can do that."]
        assert refused.replies[0].private
    assert called == []
    await router.handle(ActionClicked("audit.page", "2", ADMIN, HERE))
    await router.handle(FormSubmitted("audit.edit", {"note": "x"}, ADMIN, HERE))
    await router.handle(ActionClicked("hello.wave", "", MEMBER, HERE))
    assert len(called) == 3


def test_members_see_only_the_commands_they_may_use() -> None:
    router = a_router()
    assert [spec.name for spec in router.visible_to(MEMBER)] == ["hello"]
    assert [spec.name for spec in router.visible_to(ADMIN)] == ["audit", "hello"]


async def test_help_lists_admin_commands_to_admins_only(core: Core) -> None:
    core.router.command(AUDIT, answered)
    for_member = await core.dispatch(Invocation("help", {}, MEMBER, HERE))
    for_admin = await core.dispatch(Invocation("help", {}, ADMIN, HERE))
    assert "/audit" not in for_member.replies[0].text
    assert "/audit" in for_admin.replies[0].text


def test_every_kind_of_name_is_refused_twice() -> None:
    router = a_router()
    router.action("x.press", answered)
    router.form("x.form", answered)
    router.autocomplete("hello", "who", answered)
    router.message_action(MessageActionSpec("x-this", "Do X"), answered)
    with pytest.raises(ValueError, match="command 'hello'"):
        router.command(OPEN, answered)
    with pytest.raises(ValueError, match="action 'x.press'"):
        router.action("x.press", answered)
    with pytest.raises(ValueError, match="form 'x.form'"):
        router.form("x.form", answered)
    with pytest.raises(ValueError, match="autocomplete 'hello'/'who'"):
        router.autocomplete("hello", "who", answered)
    with pytest.raises(ValueError, match="message action 'x-this'"):
        router.message_action(MessageActionSpec("x-this", "Do X again"), answered)
    with pytest.raises(ValueError, match="registered twice"):
        router.message_action(MessageActionSpec("hello", "Clashes with a command"), answered)


async def test_unknown_names_get_a_friendly_answer() -> None:
    router = a_router()
    unknown = await router.handle(Invocation("nope", {}, MEMBER, HERE))
    assert unknown.replies[0].text == "⚠️ I don't know `/nope`. Try `/help`."
    button = await router.handle(ActionClicked("gone", "1", MEMBER, HERE))
    assert "no longer does anything" in button.replies[0].text
    form = await router.handle(FormSubmitted("gone", {}, MEMBER, HERE))
    assert "expired" in form.replies[0].text
    assert await router.handle(Autocomplete("hello", "who", "a", MEMBER)) == Response()


def test_the_catalogue_is_built_from_the_feature_list_without_a_core() -> None:
    router = catalogue()
    names = {spec.name for spec in router.catalogue}
    assert {"remind", "reminders", "timezone", "help"} <= names
    assert [action.name for action in router.message_catalogue] == ["remind-message"]
    remind = router.spec("remind")
    assert remind is not None and remind.rest == "when"
    assert router.spec("nope") is None
