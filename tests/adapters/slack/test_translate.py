"""Translating Slack payloads: `/mentor <sub> <rest>`, ids, metadata and replay keys."""

from __future__ import annotations

from adapters.slack import translate
from adapters.slack.translate import Origin, Profile
from bot.chat import Actor, Place
from bot.router import CommandSpec, OptionSpec

REMIND = CommandSpec("remind", "", (OptionSpec("when", ""), OptionSpec("what", "")), rest="when")
LIST = CommandSpec("reminders", "", (OptionSpec("page", "", kind="integer"),), rest="page")
ZONE = CommandSpec(
    "timezone",
    "",
    (OptionSpec("zone", ""), OptionSpec("workspace", "", kind="boolean")),
    rest="zone",
)
CATALOGUE = (REMIND, LIST, ZONE)
WHO = Actor("slack", "T1", "U1")
HERE = Place("C1", is_dm=False)


def invocation(text: str) -> tuple[str, dict[str, object]]:
    event = translate.command_invocation(text, CATALOGUE, WHO, HERE)
    return event.command, dict(event.options)


def test_free_text_goes_to_the_rest_option() -> None:
    assert invocation("remind in 5 days check the thread") == (
        "remind",
        {"when": "in 5 days check the thread"},
    )


def test_trailing_named_options_are_taken_apart() -> None:
    assert invocation("remind in 3 days what:stretch") == (
        "remind",
        {"when": "in 3 days", "what": "stretch"},
    )
    assert invocation("timezone berlin workspace:yes") == (
        "timezone",
        {"zone": "berlin", "workspace": True},
    )
    assert invocation("remind at 10:30 standup") == ("remind", {"when": "at 10:30 standup"})


def test_options_are_typed() -> None:
    assert invocation("reminders 2") == ("reminders", {"page": 2})
    assert invocation("reminders two") == ("reminders", {"page": "two"})


def test_no_subcommand_means_help_and_unknown_ones_pass_through() -> None:
    assert invocation("") == ("help", {})
    assert invocation("  REMIND  tomorrow ") == ("remind", {"when": "tomorrow"})
    assert invocation("fly away") == ("fly", {})


def test_slack_entities_are_decoded_before_the_core_sees_them() -> None:
    assert invocation("remind tomorrow fix &lt;b&gt; &amp; c") == (
        "remind",
        {"when": "tomorrow fix <b> & c"},
    )


def test_message_text_is_made_readable() -> None:
    assert translate.readable("hi <@U1> see <https://x.org|docs> <!here> &lt;3") == (
        "hi @U1 see docs @here <3"
    )


def test_button_ids_round_trip() -> None:
    assert translate.decode_action(translate.encode_action("rem.cancel", 3)) == "rem.cancel"
    assert translate.decode_action("plain") == "plain"


def test_modal_metadata_round_trips() -> None:
    origin = Origin("C1", False, "https://hooks.example/r", home=False)

    context, back = translate.decode_metadata(translate.encode_metadata("42", origin))

    assert context == "42"
    assert back == Origin("C1", False, "https://hooks.example/r")
    assert translate.decode_metadata("not json") == ("", Origin())


def test_profile_fields_come_from_users_info() -> None:
    user = {
        "id": "U1",
        "tz": "Asia/Tokyo",
        "is_admin": True,
        "real_name": "Ann",
        "profile": {"display_name": ""},
    }

    assert translate.profile_from_user(user) == Profile("Asia/Tokyo", "Ann", True)


def test_replay_keys() -> None:
    assert translate.replay_key("http", {"x-slack-signature": ["v0=ab"]}, {}, {}) == (
        "slack:sig:v0=ab"
    )
    assert translate.replay_key("socket_mode", {}, {"envelope_id": "e1"}, {}) == (
        "slack:envelope:e1"
    )
    assert translate.replay_key("http", {}, {}, {"event_id": "Ev1"}) == "slack:event:Ev1"


def test_places() -> None:
    command = {"user_id": "U1", "channel_id": "D1", "channel_name": "directmessage"}
    assert translate.place_of(translate.origin_of(command)) == Place("D1", is_dm=True)
    home = {"container": {"type": "view"}, "view": {"type": "home"}, "user": {"id": "U1"}}
    assert translate.place_of(translate.origin_of(home)) == translate.HOME


def test_a_select_choice_arrives_as_the_chosen_value() -> None:
    body = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "channel": {"id": "C1"},
        "response_url": "https://hooks.example/r",
        "actions": [
            {"type": "static_select", "action_id": "pick~0", "selected_option": {"value": "v2"}}
        ],
    }

    clicked = translate.action_clicked(body, WHO)

    assert (clicked.action_id, clicked.value, clicked.place) == ("pick", "v2", HERE)
