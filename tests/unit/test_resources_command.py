"""`/resources` as a conversation on the console: search, page, save, remind, more like this."""

from __future__ import annotations

from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.app import Core
from bot.chat import ActionClicked, Actor, Autocomplete, Invocation, Place
from bot.clock import FakeClock

PLACE = Place("c1", is_dm=False)


def member(user: str = "ada", workspace: str = "w1", *, admin: bool = False) -> Actor:
    return Actor("discord", workspace, user, display_name=user.title(), is_admin=admin)


async def test_search_shows_ranked_results_with_every_button(chat: ConsoleChat) -> None:
    said = await chat.say("/resources statistical learnin")
    text = said.text
    assert "found** for" not in text  # markup is rendered, not shown raw
    assert "1. An Introduction to Statistical Learning" in text
    assert "Gareth James, Daniela Witten, Trevor Hastie et al." in text
    assert "book · beginner · free · 40 hours" in text
    for label in ("Save 1", "Remind me to read 1", "More like 1", "Next ▶"):
        assert label in said.buttons
    assert "🔗 Open 1 <https://www.statlearning.com/>" in text


async def test_next_and_previous_pages_keep_the_query_and_filters(chat: ConsoleChat) -> None:
    first = await chat.say("/resources deep learning level:advanced")
    assert "level advanced" in first.text
    assert "(page 1 of" in first.text
    second = await chat.say(first.button("Next ▶"))
    assert second[0] == "(updated)"
    assert "(page 2 of" in second.text
    assert "4. " in second.text
    assert "beginner ·" not in second.text and "intermediate ·" not in second.text
    back = await chat.say(second.button("◀ Previous"))
    assert "(page 1 of" in back.text


async def test_filters_narrow_and_an_unknown_one_is_explained_not_refused(
    chat: ConsoleChat,
) -> None:
    said = await chat.say("/resources llm role:astronaut kind:paper free:true")
    assert "didn't understand role “astronaut”" in said.text
    assert "kind paper" in said.text
    assert "paper · " in said.text
    assert "book · " not in said.text


async def test_nothing_found_is_friendly_for_any_input(chat: ConsoleChat) -> None:
    for line in ("/resources !!! ???", "/resources 🤖🤖🤖", "/resources zzqxjv wvvkp"):
        said = await chat.say(line)
        assert "Nothing found" in said.text, line
        assert "/resources statistical learning" in said.text
    long = await chat.say("/resources " + "ml " * 2000)
    assert "found" in long.text


async def test_save_lists_in_saved_and_remove_takes_it_out(chat: ConsoleChat) -> None:
    found = await chat.say("/resources designing machine learning systems")
    saved = await chat.say(found.button("Save 1"))
    assert "Saved **" not in saved.text and "Saved Designing Machine Learning Systems" in saved.text
    again = await chat.say(found.button("Save 1"))
    assert "already in your saved resources" in again.text
    listing = await chat.say("/resources saved")
    assert "Your saved resources (1, page 1 of 1)" in listing.text
    assert "Designing Machine Learning Systems" in listing.text
    searched_again = await chat.say("/resources designing machine learning systems")
    assert "(Saved 1)" in searched_again.text  # shown disabled
    removed = await chat.say(listing.button("Remove 1"))
    assert "🗑 Removed." in removed.text
    assert "You have no saved resources yet" in removed.text


async def test_remind_me_to_read_this_creates_a_normal_reminder_that_links_it(
    chat: ConsoleChat, clock: FakeClock
) -> None:
    found = await chat.say("/resources attention is all you need")
    form = await chat.say(found.button("Remind me to read 1"))
    assert "📝 Remind me to read" in form.text
    wrong = await chat.say("whenever the moon is blue")
    assert "⚠" in wrong.text
    assert "whenever the moon is blue" in wrong.text
    await chat.say(found.button("Remind me to read 1"))
    answered = await chat.say("in 2 hours")
    assert "I'll remind you" in answered.text
    assert "Attention Is All You Need <https://arxiv.org/abs/1706.03762>" in answered.text
    listed = await chat.say("/reminders")
    assert "Read: Attention Is All You Need" in listed.text
    clock.advance(timedelta(hours=2))
    dm = await chat.next_dm()
    assert "Read: Attention Is All You Need" in dm.text
    assert "https://arxiv.org/abs/1706.03762" in dm.text


async def test_more_like_this_shows_neighbours_with_their_own_buttons(chat: ConsoleChat) -> None:
    found = await chat.say("/resources polars")
    more = await chat.say(found.button("More like 1"))
    assert "More like** Polars" not in more.text and "More like Polars user guide" in more.text
    assert "Polars user guide —" not in more.text.split("\n", 1)[1]
    assert "Save 1" in more.buttons


async def test_autocomplete_offers_at_most_25_titles_as_you_type(core: Core) -> None:
    typed = await core.dispatch(Autocomplete("resources", "query", "desig", member()))
    assert 1 <= len(typed.choices) <= 25
    assert typed.choices[0].value == "Designing Machine Learning Systems"
    assert typed.choices[0].description == "Chip Huyen"
    empty = await core.dispatch(Autocomplete("resources", "query", "", member()))
    assert "saved" in [c.value for c in empty.choices]
    many = await core.dispatch(Autocomplete("resources", "query", "a", member()))
    assert len(many.choices) <= 25


async def test_a_forged_or_stale_button_is_answered_kindly(core: Core) -> None:
    for action, value in (
        ("rs.save", "no-such-resource"),
        ("rs.more", "s999999"),
        ("rs.remind", "'; drop table x"),
    ):
        answer = await core.dispatch(ActionClicked(action, value, member(), PLACE))
        assert "can't find that resource" in answer.text, action
    page = await core.dispatch(ActionClicked("rs.page", "garbage:x", member(), PLACE))
    assert "found" in page.text


async def test_bookmarks_are_per_member(core: Core) -> None:
    ada, bob = member("ada"), member("bob")
    await core.dispatch(ActionClicked("rs.save", "islp", ada, PLACE))
    theirs = await core.dispatch(Invocation("resources", {"query": "saved"}, bob, PLACE))
    assert "no saved resources" in theirs.text
    removed = await core.dispatch(ActionClicked("rs.unsave", "islp", bob, PLACE))
    assert "was not in your saved resources" in removed.text
    mine = await core.dispatch(Invocation("resources", {"query": "saved"}, ada, PLACE))
    assert "An Introduction to Statistical Learning" in mine.text
