"""The platform-neutral chat model: what adapters hand to the core and what the core hands back.

Adapters translate platform payloads into these frozen dataclasses and render replies from them;
nothing platform-specific crosses this line. Sizes are capped to what both Discord and Slack can
show, so a reply that is valid here renders on every platform.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

# Limits both platforms can show (Discord is usually the tighter one; Slack's in comments).
MAX_TEXT = 16_000  # markup; Discord splits it into 2,000-character messages, Slack into sections
MAX_BUTTONS_PER_ROW = 5  # Discord action row; Slack actions block takes 25
MAX_BUTTON_ROWS = 5  # Discord: 5 rows a message (each select takes one row too)
MAX_BUTTON_LABEL = 75  # Slack button text 75, Discord 80
MAX_URL = 512  # Discord link button URL; Slack takes 3,000
MAX_CHOICES = 25  # Discord autocomplete/choices; Slack static_select takes 100
MAX_CHOICE_LABEL = 75  # Slack option text 75; Discord 100
MAX_CHOICE_DESCRIPTION = 75  # Slack option description 75; Discord 100
MAX_FORM_INPUTS = 5  # Discord modal; Slack allows 100 blocks a view
MAX_FIELDS = 10  # Slack section fields; Discord embeds allow 25
MAX_FIELD_TEXT = 1000  # Discord embed field value 1,024; Slack field 2,000
MAX_FORM_TITLE = 24  # Slack modal title and submit label 24; Discord 45
MAX_VALUE = 100  # button value / custom_id budget (Discord custom_id is 100 chars)
MAX_ATTACHMENTS = 10  # Discord: 10 files a message; Slack completes up to 10 in one call
MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024  # all files of one reply; Discord allows 10 MiB unboosted
MAX_FILENAME = 100

OptionValue = str | int | float | bool


def without_nul(text: str) -> str:
    """Text with NUL characters removed: PostgreSQL refuses them in text, and they mean nothing.

    Every event strips them from what a member typed (options, form values, button values,
    message excerpts) as it is built, so no feature has to remember and no command fails whole.
    """
    return text.replace("\x00", "") if "\x00" in text else text


def _clean(values: Mapping[str, OptionValue]) -> Mapping[str, OptionValue]:
    if not any(isinstance(value, str) and "\x00" in value for value in values.values()):
        return values
    return {k: without_nul(v) if isinstance(v, str) else v for k, v in values.items()}


def _strip_nul(event: object, *names: str) -> None:
    """Strip NUL from the named str fields of a frozen event (in `__post_init__`)."""
    for name in names:
        value = getattr(event, name)
        if isinstance(value, str) and "\x00" in value:
            object.__setattr__(event, name, without_nul(value))


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

    def __post_init__(self) -> None:
        _strip_nul(self, "workspace_id", "user_id", "display_name", "locale", "platform_tz")


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

    def __post_init__(self) -> None:
        _strip_nul(self, "message_id", "channel_id", "link", "excerpt", "author_id")


@dataclass(frozen=True)
class Invocation:
    """A slash command with typed options (or the console/Slack text form parsed into options)."""

    command: str
    options: Mapping[str, OptionValue]
    actor: Actor
    place: Place
    message: MessageRef | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _clean(self.options))


@dataclass(frozen=True)
class ActionClicked:
    """A button press or a select-menu choice.

    For selects `values` holds every chosen option (several for a multi-select) and `value` the
    first of them, so single-choice handlers read `value` alone.
    """

    action_id: str
    value: str
    actor: Actor
    place: Place
    message: MessageRef | None = None
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _strip_nul(self, "value")
        if any("\x00" in value for value in self.values):
            object.__setattr__(self, "values", tuple(without_nul(v) for v in self.values))
        if not self.values and self.value:
            object.__setattr__(self, "values", (self.value,))


@dataclass(frozen=True)
class FormSubmitted:
    """A submitted form (Discord modal, Slack view); `context` is what the form was opened with."""

    form_id: str
    values: Mapping[str, str]
    actor: Actor
    place: Place
    context: str = ""

    def __post_init__(self) -> None:
        _strip_nul(self, "context")
        if any("\x00" in value for value in self.values.values()):
            cleaned = {key: without_nul(value) for key, value in self.values.items()}
            object.__setattr__(self, "values", cleaned)


@dataclass(frozen=True)
class Autocomplete:
    """The member is typing into an option that autocompletes; `options` are those filled so far."""

    command: str
    option: str
    typed: str
    actor: Actor
    options: Mapping[str, OptionValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _strip_nul(self, "typed")
        object.__setattr__(self, "options", _clean(self.options))


Event = Invocation | ActionClicked | FormSubmitted | Autocomplete


@dataclass(frozen=True)
class Channel:
    """A shared channel the bot posts into (a weekly digest, an admin report)."""

    platform: str
    workspace_id: str
    channel_id: str


class ButtonStyle(Enum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A button: ids only, never state; the handler re-reads the database when pressed.

    A button with a `url` is a link: it opens the page and never reaches the core, so it has no
    `action_id`. A `disabled` button is shown greyed out (e.g. the answer already chosen).
    """

    label: str
    action_id: str = ""
    value: str = ""
    style: ButtonStyle = ButtonStyle.DEFAULT
    url: str = ""
    disabled: bool = False


def link_button(label: str, url: str) -> Button:
    """A button that opens `url` in the browser."""
    return Button(label, url=url)


@dataclass(frozen=True)
class Choice:
    """An autocomplete suggestion, a select-menu option or a choice in a form."""

    label: str
    value: str
    description: str = ""


@dataclass(frozen=True)
class Select:
    """A select menu: choosing arrives as ActionClicked(action_id, value, values).

    `multi` lets the member choose between `min` and `max` options at once (all of them arrive
    in `ActionClicked.values`).
    """

    action_id: str
    placeholder: str
    choices: tuple[Choice, ...]
    multi: bool = False
    min: int = 1
    max: int = 1


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
class Attachment:
    """A file sent with a reply: a PNG chart, a CSV or JSON export."""

    filename: str
    data: bytes
    media_type: str = "application/octet-stream"

    @property
    def typed_name(self) -> str:
        """The file name with its media type's extension (`report` as image/png -> report.png):
        Discord and Slack tell a file's type from its name."""
        if "." in self.filename.lstrip("."):
            return self.filename
        return self.filename + (mimetypes.guess_extension(self.media_type) or "")


FormInputKind = Literal["text", "choice"]


@dataclass(frozen=True)
class FormInput:
    """One input of a form: free text, or one of `choices` (`kind="choice"`).

    A choice input's submitted value is the chosen `Choice.value`; its `default` names one.
    """

    input_id: str
    label: str
    placeholder: str = ""
    default: str = ""
    multiline: bool = False
    required: bool = True
    max_length: int = 1000
    kind: FormInputKind = "text"
    choices: tuple[Choice, ...] = ()


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
    show `text`. `attachments` are files sent with the message (where a platform cannot keep
    files private, e.g. Slack in a channel, a private reply's files go to the member's DM).
    """

    text: str = ""
    fields: tuple[Field, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    selects: tuple[Select, ...] = ()
    private: bool = True
    image: Image | None = None
    form: Form | None = None
    update: bool = False
    field_errors: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        if len(self.text) > MAX_TEXT:
            raise ValueError(f"text longer than {MAX_TEXT} characters")
        if len(self.buttons) + len(self.selects) > MAX_BUTTON_ROWS:
            raise ValueError("too many rows of buttons and selects")
        for row in self.buttons:
            if not 0 < len(row) <= MAX_BUTTONS_PER_ROW:
                raise ValueError("a button row holds 1 to 5 buttons")
            for button in row:
                _check_button(button)
        if len(self.fields) > MAX_FIELDS:
            raise ValueError("too many fields")
        for part in self.fields:
            if len(part.value) > MAX_FIELD_TEXT:
                raise ValueError(f"field {part.name!r} longer than {MAX_FIELD_TEXT} characters")
        for select in self.selects:
            _check_select(select)
        if self.form is not None:
            _check_form(self.form)
        _check_attachments(self.attachments)


def _check_button(button: Button) -> None:
    if len(button.label) > MAX_BUTTON_LABEL or len(button.value) > MAX_VALUE:
        raise ValueError(f"button too large: {button.label!r}")
    if button.url:
        if button.action_id or button.value:
            raise ValueError(f"a link button carries no action: {button.label!r}")
        if not button.url.startswith(("https://", "http://")) or len(button.url) > MAX_URL:
            raise ValueError(f"a link button needs an http(s) URL of at most {MAX_URL}")
    elif not button.action_id:
        raise ValueError(f"button {button.label!r} has neither an action nor a URL")


def _check_choices(choices: tuple[Choice, ...]) -> None:
    if not 0 < len(choices) <= MAX_CHOICES:
        raise ValueError("a select holds 1 to 25 choices")
    for choice in choices:
        too_long = len(choice.label) > MAX_CHOICE_LABEL or len(choice.value) > MAX_VALUE
        if too_long or len(choice.description) > MAX_CHOICE_DESCRIPTION:
            raise ValueError(f"choice too large: {choice.label!r}")


def _check_select(select: Select) -> None:
    _check_choices(select.choices)
    if select.multi and not 1 <= select.min <= select.max <= len(select.choices):
        raise ValueError("a multi-select needs 1 <= min <= max <= number of choices")


def _check_form(form: Form) -> None:
    if not 0 < len(form.inputs) <= MAX_FORM_INPUTS:
        raise ValueError("a form holds 1 to 5 inputs")
    if len(form.title) > MAX_FORM_TITLE or len(form.submit_label) > MAX_FORM_TITLE:
        raise ValueError(f"form title and submit label hold {MAX_FORM_TITLE} characters")
    for spec in form.inputs:
        if spec.kind == "choice":
            _check_choices(spec.choices)
        elif spec.choices:
            raise ValueError(f"text input {spec.input_id!r} has choices")


def _check_attachments(attachments: tuple[Attachment, ...]) -> None:
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValueError(f"a reply carries at most {MAX_ATTACHMENTS} files")
    if sum(len(attachment.data) for attachment in attachments) > MAX_ATTACHMENT_BYTES:
        raise ValueError(f"a reply's files hold at most {MAX_ATTACHMENT_BYTES} bytes")
    for attachment in attachments:
        name = attachment.filename
        if not name or len(name) > MAX_FILENAME or "/" in name or "\\" in name:
            raise ValueError(f"bad attachment file name {name!r}")
        if name.startswith(".") or "/" not in attachment.media_type:
            raise ValueError(f"bad attachment {name!r} ({attachment.media_type})")


@dataclass(frozen=True)
class Recipient:
    """Whom a direct message goes to."""

    platform: str
    workspace_id: str
    user_id: str
    # The DM channel the platform gave us before (stored), so a repeat DM need not open it again.
    dm_channel: str | None = None


@dataclass(frozen=True)
class Response:
    """What the core answers to one event: replies in order, or autocomplete choices."""

    replies: tuple[Reply, ...] = ()
    choices: tuple[Choice, ...] = ()

    @property
    def text(self) -> str:
        """All reply texts joined; handy in tests and the console."""
        return "\n".join(reply.text for reply in self.replies)


def reply(
    text: str = "",
    *,
    fields: tuple[Field, ...] = (),
    buttons: tuple[tuple[Button, ...], ...] = (),
    selects: tuple[Select, ...] = (),
    private: bool = True,
    image: Image | None = None,
    form: Form | None = None,
    update: bool = False,
    field_errors: tuple[tuple[str, str], ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> Response:
    """One-reply response: `reply("Done.", private=False)`."""
    return Response(
        replies=(
            Reply(
                text,
                fields=fields,
                buttons=buttons,
                selects=selects,
                private=private,
                image=image,
                form=form,
                update=update,
                field_errors=field_errors,
                attachments=attachments,
            ),
        )
    )
