"""JSON payloads shaped like Discord's API v10, for the fake Discord and the tests that drive it.

Only the fields discord.py reads are filled in; everything is plain dicts so a test can see
exactly what the client receives.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Interaction types and callback types (Discord's numbers).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

Json = dict[str, Any]


class Snowflakes:
    """Increasing snowflake ids that look like real ones (timestamp in the high bits)."""

    def __init__(self) -> None:
        base = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._counter = itertools.count(base)

    def __call__(self) -> str:
        return str(next(self._counter))


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Member:
    """A test member: who clicks and types in the scenarios."""

    id: str
    name: str
    permissions: int = 0  # guild permission bits the member has where they act


def user_payload(user_id: str, name: str, *, bot: bool = False) -> Json:
    return {
        "id": user_id,
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def member_payload(member: Member) -> Json:
    return {
        "user": user_payload(member.id, member.name),
        "roles": [],
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
        "avatar": None,
        "pending": False,
        "premium_since": None,
        "communication_disabled_until": None,
        "permissions": str(member.permissions),
    }


def text_channel_payload(channel_id: str, guild_id: str) -> Json:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "topic": None,
        "last_message_id": None,
        "flags": 0,
    }


def dm_channel_payload(channel_id: str, recipient: Json) -> Json:
    return {"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None}


def message_payload(
    message_id: str,
    channel_id: str,
    author: Json,
    body: Json,
    *,
    guild_id: str | None = None,
    flags: int = 0,
    interaction_id: str | None = None,
) -> Json:
    """A message as Discord returns it, built from what the client sent (`body`)."""
    message: Json = {
        "id": message_id,
        "channel_id": channel_id,
        "type": 0 if interaction_id is None else 20,
        "author": author,
        "content": body.get("content") or "",
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "attachments": body.get("attachments") or [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "flags": flags | int(body.get("flags") or 0),
    }
    if body.get("nonce") is not None:
        message["nonce"] = body["nonce"]
    if guild_id is not None:
        message["guild_id"] = guild_id
    return message


def command_option(name: str, value: Any, *, focused: bool = False) -> Json:
    kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
    option: Json = {"name": name, "type": kind, "value": value}
    if focused:
        option["focused"] = True
    return option


def slash_data(command: Json, options: dict[str, Any], focused: str | None = None) -> Json:
    data: Json = {
        "id": command["id"],
        "name": command["name"],
        "type": 1,
        "options": [command_option(k, v, focused=k == focused) for k, v in options.items()],
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def message_command_data(command: Json, target: Json) -> Json:
    data: Json = {
        "id": command["id"],
        "name": command["name"],
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def button_data(custom_id: str) -> Json:
    return {"custom_id": custom_id, "component_type": 2}


def select_data(custom_id: str, values: list[str]) -> Json:
    return {"custom_id": custom_id, "component_type": 3, "values": values}


def modal_data(custom_id: str, values: dict[str, str]) -> Json:
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
        for key, value in values.items()
    ]
    return {"custom_id": custom_id, "components": rows}


def label_modal_data(custom_id: str, values: dict[str, str | list[str]]) -> Json:
    """A submitted modal in Discord's current layout: each input inside a Label (type 18); a
    text input carries `value`, a select `values`."""
    labels = []
    for key, value in values.items():
        inner: Json = (
            {"type": 3, "custom_id": key, "values": value}
            if isinstance(value, list)
            else {"type": 4, "custom_id": key, "value": value}
        )
        labels.append({"type": 18, "component": inner})
    return {"custom_id": custom_id, "components": labels}


def interaction_payload(
    *,
    interaction_id: str,
    application_id: str,
    kind: int,
    data: Json,
    member: Member,
    channel_id: str,
    guild_id: str | None,
    message: Json | None = None,
    locale: str = "en-US",
) -> Json:
    """INTERACTION_CREATE data: in a guild (`member`) or in the bot's DM (`user`)."""
    payload: Json = {
        "id": interaction_id,
        "application_id": application_id,
        "type": kind,
        "data": data,
        "token": f"itoken-{interaction_id}",
        "version": 1,
        "locale": locale,
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": guild_id} if guild_id else {"1": member.id},
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if guild_id is not None:
        payload["guild_id"] = guild_id
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": guild_id, "locale": "en-US", "features": []}
        payload["channel"] = text_channel_payload(channel_id, guild_id)
        payload["member"] = member_payload(member)
        payload["context"] = 0
    else:
        payload["channel"] = dm_channel_payload(channel_id, user_payload(member.id, member.name))
        payload["user"] = user_payload(member.id, member.name)
        payload["context"] = 1
    payload["channel_id"] = channel_id
    if message is not None:
        payload["message"] = message
    return payload
