"""The platform-neutral chat model: what adapters hand to the core and what the core hands back.

Adapters translate platform payloads into these frozen dataclasses and render replies from them;
nothing platform-specific crosses this line. Sizes are capped to what both Discord and Slack can
show, so a reply that is valid here renders on every platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

# Limits both platforms can show (Discord is usually the tighter one; Slack's in comments).
MAX_TEXT = 2000  # Discord message content; Slack section text is 3,000
MAX_BUTTONS_PER_ROW = 5  # Discord action row; Slack actions block takes 25
MAX_BUTTON_ROWS = 5  # Discord: 5 rows a message
MAX_BUTTON_LABEL = 75  # Slack button text 75, Discord 80
MAX_CHOICES = 25  # Discord autocomplete/choices; Slack static_select takes 100
MAX_FORM_INPUTS = 5  # Discord modal; Slack allows 100 blocks a view
MAX_FIELDS = 10  # Slack section fields; Discord embeds allow 25
MAX_FIELD_TEXT = 1000  # Discord embed field value 1,024; Slack field 2,000
MAX_FORM_TITLE = 24  # Slack modal title 24; Discord 45
MAX_VALUE = 100  # button value / custom_id budget (Discord custom_id is 100 chars)

Platform = Literal["console", "discord", "slack"]
OptionValue = str | int | float | bool


@dataclass(frozen=True)
class Actor:
    """Who did something: one member of one workspace on one platform."""

    platform: str
    workspace_id: str
    user_id: str
    display_name: str = ""
    is_admin: bool = False
    locale: str | None = None
    platform_tz: str | None = None  # IANA zone the platform knows for this user (Slack profile)


@dataclass(frozen=True)
class Place:
    """Where it happened: a channel (shared) or a DM, optionally a thread."""

    channel_id: str
    is_dm: bool
    thread_id: str | None = None


MAX_EXCERPT = 280  # characters of a message the core keeps (adapters pass its whole text)


@dataclass(frozen=True)
class MessageRef:
    """A chat message that an action refers to (e.g. "remind me about this message")."""

    message_id: str
    channel_id: str
    link: str | None = None
    excerpt: str = ""
    author_id: str | None = None


@dataclass(frozen=True)
class Invocation:
    """A slash command with typed options (or the console/Slack text form parsed into options)."""

    command: str
    options: Mapping[str, OptionValue]
    actor: Actor
    place: Place
    message: MessageRef | None = None


@dataclass(frozen=True)
class ActionClicked:
    """A button press or a select-menu choice (`value` is the chosen option for selects)."""

    action_id: str
    value: str
    actor: Actor
    place: Place
    message: MessageRef | None = None


@dataclass(frozen=True)
class FormSubmitted:
    """A submitted form (Discord modal, Slack view); `context` is what the form was opened with."""

    form_id: str
    values: Mapping[str, str]
    actor: Actor
    place: Place
    context: str = ""


@dataclass(frozen=True)
class Autocomplete:
    """The member is typing into an option that autocompletes; `options` are those filled so far."""

    command: str
    option: str
    typed: str
    actor: Actor
    options: Mapping[str, OptionValue] = field(default_factory=dict)


Event = Invocation | ActionClicked | FormSubmitted | Autocomplete


class ButtonStyle(Enum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A button: ids only, never state; the handler re-reads the database when pressed."""

    label: str
    action_id: str
    value: str = ""
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Choice:
    """An autocomplete suggestion or a select-menu option."""

    label: str
    value: str


@dataclass(frozen=True)
class Select:
    """A select menu; choosing an option arrives as ActionClicked(action_id, value=choice.value)."""

    action_id: str
    placeholder: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True)
class Image:
    url: str
    alt: str


@dataclass(frozen=True)
class FormInput:
    input_id: str
    label: str
    placeholder: str = ""
    default: str = ""
    multiline: bool = False
    required: bool = True
    max_length: int = 1000


@dataclass(frozen=True)
class Form:
    """A form to open (a modal). Forms can only be opened in answer to a command or a click."""

    form_id: str
    title: str
    inputs: tuple[FormInput, ...]
    submit_label: str = "Save"
    context: str = ""


@dataclass(frozen=True)
class Reply:
    """One message from the bot.

    `text` is in the markup of `bot.markup`. `private` replies are seen only by the actor
    (ephemeral). `update` replaces the message the clicked button was on instead of posting anew.
    A reply with a `form` opens that form; its other parts are ignored by platforms that cannot
    show both. `field_errors` ((input_id, message), ...) on a reply to a FormSubmitted names
    which inputs were wrong: platforms that can show errors on the form keep it open, others
    show `text`.
    """

    text: str = ""
    fields: tuple[Field, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    select: Select | None = None
    private: bool = True
    image: Image | None = None
    form: Form | None = None
    update: bool = False
    field_errors: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if len(self.buttons) > MAX_BUTTON_ROWS - (1 if self.select else 0):
            raise ValueError("too many button rows")
        for row in self.buttons:
            if not 0 < len(row) <= MAX_BUTTONS_PER_ROW:
                raise ValueError("a button row holds 1 to 5 buttons")
            for button in row:
                if len(button.label) > MAX_BUTTON_LABEL or len(button.value) > MAX_VALUE:
                    raise ValueError(f"button too large: {button.label!r}")
        if len(self.fields) > MAX_FIELDS:
            raise ValueError("too many fields")
        if self.select and not 0 < len(self.select.choices) <= MAX_CHOICES:
            raise ValueError("a select holds 1 to 25 choices")
        if self.form and not 0 < len(self.form.inputs) <= MAX_FORM_INPUTS:
            raise ValueError("a form holds 1 to 5 inputs")


@dataclass(frozen=True)
class Recipient:
    """Whom a direct message goes to."""

    platform: str
    workspace_id: str
    user_id: str


@dataclass(frozen=True)
class Response:
    """What the core answers to one event: replies in order, or autocomplete choices."""

    replies: tuple[Reply, ...] = ()
    choices: tuple[Choice, ...] = ()

    @property
    def text(self) -> str:
        """All reply texts joined; handy in tests and the console."""
        return "\n".join(reply.text for reply in self.replies)


def reply(text: str = "", **parts: object) -> Response:
    """One-reply response: `reply("Done.", private=False)`."""
    return Response(replies=(Reply(text, **parts),))  # type: ignore[arg-type]
