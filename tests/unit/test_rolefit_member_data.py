"""Role fit through the feature hooks: the home line, a member's export, and deletion."""

from __future__ import annotations

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.storage.tables import RolefitResult
from tests.support.conversation import count
from tests.unit.rolefit_personas import PERSONAS
from tests.unit.test_rolefit_chat import answer_all


async def test_home_export_and_deletion_cover_role_fit_results(
    chat: ConsoleChat, core: Core
) -> None:
    you = chat.actor()
    assert "role fit" not in (await core.home(you)).text.lower()
    await answer_all(chat, await chat.say("/rolefit"), PERSONAS[2].answers)
    await chat.say("/as bob")
    await answer_all(chat, await chat.say("/rolefit"), PERSONAS[4].answers)

    home = (await core.home(you)).text
    assert "**Your role fit:** Research scientist / research engineer 96%, Data scientist 80%" in (
        home
    )
    exported = await core.export_member(you)
    [result] = exported["rolefit"]["results"]  # type: ignore[index]
    assert result["answers"]["maths"] == ["lots"]
    assert result["scores"][0] == ["research-scientist", 96]

    deleted = await core.delete_member(you)
    assert deleted["rolefit"] == 1
    assert await count(core, RolefitResult) == 1  # bob's stays
