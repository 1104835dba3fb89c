"""Slack payloads in, `bot.chat` events out: pure functions, no I/O, no business rules.

Slack gives mentorbot one slash command, so `/mentor <sub> <rest>` is split here into the core's
command name and options (the free text goes to the command's `rest` option, as on the console).
Button ids, modal metadata and replay keys are encoded and decoded here too, so the wire format
lives in one place.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.chat import (
    ActionClicked,
    Actor,
    Autocomplete,
    FormSubmitted,
    Invocation,
    MessageRef,
    Place,
)
from bot.router import CommandSpec, options_from_text

Body = Mapping[str, Any]

PLATFORM = "slack"
COMMAND = "/mentor"
MENU_FORM = "mentorbot.menu"  # the global shortcut and the modal it opens
MENU_COMMAND = "command"
MENU_DETAILS = "details"
HELP = "help"
HOME = Place(channel_id="home", is_dm=True)
NOWHERE = Place(channel_id="", is_dm=True)  # a global shortcut: no conversation at all
LINK_ACTION = "mentorbot.link"  # a link button: Slack reports the click, nothing to do
COMPLETE_ACTION = "mentorbot.complete"  # an external select standing in for autocomplete
_ACTION_SEP = "~"
_COMPLETE_SEP = ":"
_SINGLE = ("static_select", "external_select", "radio_buttons")
_MULTI = ("multi_static_select", "multi_external_select", "checkboxes")
_SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


@dataclass(frozen=True)
class Profile:
    """What Slack's `users.info` tells us about a member."""

    tz: str | None = None
    display_name: str = ""
    is_admin: bool = False
    locale: str | None = None


@dataclass(frozen=True)
class Origin:
    """Where the answers to one interaction can go."""

    channel_id: str = ""
    is_dm: bool = True
    response_url: str | None = None
    trigger_id: str | None = None
    home: bool = False


def profile_from_user(user: Mapping[str, Any]) -> Profile:
    profile = user.get("profile") or {}
    name = profile.get("display_name") or user.get("real_name") or user.get("name") or ""
    return Profile(
        tz=user.get("tz") or None,
        display_name=str(name),
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        locale=user.get("locale") or None,
    )


def member_of(body: Body) -> tuple[str, str]:
    """(team id, user id) of whoever caused any Slack request."""
    if "event" in body:
        event = body["event"]
        return str(body.get("team_id") or event.get("team", "")), str(event.get("user", ""))
    if "user_id" in body:  # slash command
        return str(body.get("team_id", "")), str(body["user_id"])
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return str(team), str(user.get("id", ""))


def actor(team_id: str, user_id: str, profile: Profile) -> Actor:
    return Actor(
        platform=PLATFORM,
        workspace_id=team_id,
        user_id=user_id,
        display_name=profile.display_name,
        is_admin=profile.is_admin,
        locale=profile.locale,
        platform_tz=profile.tz,
    )


def origin_of(body: Body) -> Origin:
    """Where to answer a slash command, a shortcut or a button press."""
    if "user_id" in body:  # slash command
        channel = str(body.get("channel_id", ""))
        return Origin(
            channel,
            _is_dm(channel, body.get("channel_name")),
            body.get("response_url"),
            body.get("trigger_id"),
        )
    container = body.get("container") or {}
    view = body.get("view") or {}
    if container.get("type") == "view" and view.get("type") == "home":
        return Origin(home=True, trigger_id=body.get("trigger_id"))
    channel_info = body.get("channel") or {}
    channel = str(channel_info.get("id") or container.get("channel_id") or "")
    return Origin(
        channel,
        _is_dm(channel, channel_info.get("name")),
        body.get("response_url"),
        body.get("trigger_id"),
    )


def place_of(origin: Origin, thread_id: str | None = None) -> Place:
    if origin.home:
        return HOME
    if not origin.channel_id:
        return NOWHERE
    return Place(origin.channel_id, origin.is_dm, thread_id)


def _is_dm(channel: str, name: object) -> bool:
    return not channel or channel.startswith("D") or name == "directmessage"


# -- the one slash command -------------------------------------------------------------------


def command_invocation(
    text: str, catalogue: Iterable[CommandSpec], who: Actor, place: Place
) -> Invocation:
    """`remind in 5 days check the thread` -> Invocation("remind", {"when": "in 5 days ..."})."""
    text = slack_unescape(text).strip()
    name, _, rest = text.partition(" ")
    name = name.lower().removeprefix("/") or HELP
    spec = next((spec for spec in catalogue if spec.name == name), None)
    return Invocation(name, options_from_text(spec, rest.strip()), who, place)


# -- shortcuts, buttons, modals --------------------------------------------------------------


def message_invocation(body: Body, who: Actor, permalink: str | None) -> Invocation:
    """A message shortcut ("Remind me about this") as the core's message action."""
    message = body.get("message") or {}
    origin = origin_of(body)
    ref = MessageRef(
        message_id=str(message.get("ts") or body.get("message_ts", "")),
        channel_id=origin.channel_id,
        link=permalink,
        excerpt=readable(str(message.get("text", ""))),
        author_id=message.get("user"),
    )
    place = place_of(origin, message.get("thread_ts"))
    return Invocation(str(body.get("callback_id", "")), {}, who, place, message=ref)


def first_action(body: Body) -> Body:
    """The one action of a `block_actions` payload (Slack sends one per request)."""
    action: Body = (body.get("actions") or [{}])[0]
    return action


def chosen_values(element: Body) -> tuple[str, ...]:
    """What a button, a select or a multi-select (in a message or a modal's state) holds."""
    kind = element.get("type")
    if kind in _SINGLE:
        chosen = (element.get("selected_option") or {}).get("value")
        return (str(chosen),) if chosen else ()
    if kind in _MULTI:
        return tuple(str(o.get("value", "")) for o in element.get("selected_options") or ())
    value = element.get("value")
    return (str(value),) if value else ()


def action_clicked(body: Body, who: Actor) -> ActionClicked:
    """A button press or a choice in a select; a multi-select brings every chosen value."""
    action = first_action(body)
    values = chosen_values(action)
    message = body.get("message") or {}
    place = place_of(origin_of(body), message.get("thread_ts"))
    return ActionClicked(
        decode_action(str(action.get("action_id", ""))),
        values[0] if values else "",
        who,
        place,
        values=values,
    )


def is_link(body: Body) -> bool:
    """A click on a link button: the browser opened the page; the core has nothing to do."""
    return decode_action(str(first_action(body).get("action_id", ""))) == LINK_ACTION


# -- autocomplete as an external-data select ---------------------------------------------------


def encode_complete(command: str, option: str) -> str:
    """The block id of an external select standing in for `option` of `command`."""
    return _COMPLETE_SEP.join((COMPLETE_ACTION, command, option))


def decode_complete(block_id: str) -> tuple[str, str] | None:
    """(command, option) from such a block id, or None for any other block."""
    prefix, _, rest = block_id.partition(_COMPLETE_SEP)
    command, _, option = rest.partition(_COMPLETE_SEP)
    return (command, option) if prefix == COMPLETE_ACTION and command and option else None


def suggestion(body: Body, who: Actor) -> Autocomplete | None:
    """A `block_suggestion` (the member typing into an external select) as the core's
    autocomplete event; None for a select that is not ours."""
    target = decode_complete(str(body.get("block_id", "")))
    if target is None:
        return None
    command, option = target
    return Autocomplete(command, option, str(body.get("value", "")), who)


def completion_invocation(body: Body, who: Actor) -> Invocation | None:
    """A choice in a stand-in select: the command again, with that option filled in."""
    action = first_action(body)
    target = decode_complete(str(action.get("block_id", "")))
    values = chosen_values(action)
    if target is None or not values:
        return None
    command, option = target
    message = body.get("message") or {}
    place = place_of(origin_of(body), message.get("thread_ts"))
    return Invocation(command, {option: values[0]}, who, place)


def encode_action(action_id: str, index: int) -> str:
    """Slack wants action ids unique within a block; the index keeps two `rem.cancel`s apart."""
    return f"{action_id}{_ACTION_SEP}{index}"


def decode_action(slack_action_id: str) -> str:
    return slack_action_id.rsplit(_ACTION_SEP, 1)[0]


def form_values(view: Body) -> dict[str, str]:
    """`view.state.values` -> {input id: text}; block and action ids are both the input id."""
    values: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for state in actions.values():
            chosen = chosen_values(state)
            values[block_id] = chosen[0] if chosen else ""
    return values


def form_event(
    body: Body, catalogue: Iterable[CommandSpec], who: Actor
) -> tuple[Invocation | FormSubmitted, Origin]:
    """A submitted modal: the shortcut menu becomes a command; any other is a core form."""
    view = body.get("view") or {}
    context, origin = decode_metadata(str(view.get("private_metadata", "")))
    origin = Origin(
        origin.channel_id, origin.is_dm, origin.response_url, body.get("trigger_id"), origin.home
    )
    place = place_of(origin)
    values = form_values(view)
    if view.get("callback_id") == MENU_FORM:
        text = f"{values.get(MENU_COMMAND, HELP)} {values.get(MENU_DETAILS, '')}"
        return command_invocation(text, catalogue, who, place), origin
    form = FormSubmitted(str(view.get("callback_id", "")), values, who, place, context)
    return form, origin


def encode_metadata(context: str, origin: Origin) -> str:
    """A modal's `private_metadata`: the core's form context plus where to answer afterwards."""
    data: dict[str, Any] = {"c": context, "ch": origin.channel_id, "dm": origin.is_dm}
    if origin.home:
        data["h"] = True
    if origin.response_url:
        data["ru"] = origin.response_url
    encoded = json.dumps(data, separators=(",", ":"))
    if len(encoded) > 3000:  # Slack's limit; the answer then goes to the member's DM
        encoded = json.dumps({"c": context, "ch": "", "dm": True}, separators=(",", ":"))
    return encoded


def decode_metadata(raw: str) -> tuple[str, Origin]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    origin = Origin(
        str(data.get("ch", "")),
        bool(data.get("dm", True)),
        data.get("ru"),
        home=bool(data.get("h", False)),
    )
    return str(data.get("c", "")), origin


# -- replay protection -----------------------------------------------------------------------


def replay_key(
    mode: str, headers: Mapping[str, Any], context: Mapping[str, Any], body: Body
) -> str:
    """What makes one delivery of a request unique, so a replay of it is recognised.

    Events carry an `event_id` that survives Slack's retries; Socket Mode envelopes have an
    `envelope_id`; in HTTP mode the signature covers timestamp and body, so a byte-for-byte
    replay has the same one while any new request has another.
    """
    if body.get("event_id"):
        return f"slack:event:{body['event_id']}"
    if mode == "socket_mode":
        return f"slack:envelope:{context.get('envelope_id', '')}"
    signature = headers.get("x-slack-signature") or [""]
    return f"slack:sig:{signature[0] if isinstance(signature, list | tuple) else signature}"


# -- Slack's own text encoding ---------------------------------------------------------------


def slack_unescape(text: str) -> str:
    """Slack sends `&`, `<`, `>` as entities; the core wants what the member typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def readable(text: str) -> str:
    """A message's mrkdwn as plain words: `<@U1>` -> `@U1`, `<url|label>` -> `label`."""

    def plain(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label:
            return label
        if target.startswith(("@", "#")):
            return target
        if target.startswith("!"):
            return "@" + target[1:].split("^", 1)[0]
        return target

    return html.unescape(_SLACK_LINK.sub(plain, text))
