"""A test-only feature that answers with every newer chat part, registered on a real Core.

The adapters' tests install it on the real core (`Showcase().register(core.router)`), so the real
console, discord.py and slack-bolt clients carry files, link and disabled buttons, multi-selects
with descriptions, choice inputs in forms and autocompleting options both ways, and the test
reads what the core received from `events`.
"""

from __future__ import annotations

import asyncio
import struct
import zlib

from bot.chat import (
    ActionClicked,
    Attachment,
    Autocomplete,
    Button,
    Choice,
    Event,
    Form,
    FormInput,
    FormSubmitted,
    Invocation,
    Response,
    Select,
    link_button,
    reply,
)
from bot.router import CommandSpec, OptionSpec, Router


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG image: what a chart export will send."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


CHART = Attachment("chart.png", png(), "image/png")
EXPORT = Attachment("reminders.csv", b"when,what\n2026-11-24,stretch\n", "text/csv")
DOCS = "https://example.org/docs"
TRACKS = (
    Choice("MLOps", "mlops", "Pipelines, serving, monitoring"),
    Choice("Research engineering", "research", "Turning papers into code"),
    Choice("Data engineering", "data", "Warehouses and streams"),
)
LEVELS = (Choice("New", "new"), Choice("Some experience", "some"), Choice("Senior", "senior"))
TOPICS = ("pytorch basics", "python packaging", "pandas tricks", "prompt design")

REPORT = CommandSpec(
    "report",
    "A report with files",
    options=(OptionSpec("private", "Only for me", kind="boolean"),),
)
PICK = CommandSpec("pick", "Choose tracks")
SURVEY = CommandSpec("survey", "A short survey")
FIND = CommandSpec(
    "find",
    "Find a resource",
    options=(
        OptionSpec("topic", "What about", required=True, autocomplete=True),
        OptionSpec("note", "A note"),
    ),
    rest="topic",
)


class Showcase:
    """Every newer part of a reply, and a record of the events that came back."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.gate = asyncio.Event()  # `/report` answers once it is open (tests hold it shut)
        self.gate.set()

    def register(self, router: Router) -> None:
        router.command(REPORT, self.report)
        router.command(PICK, self.pick)
        router.command(SURVEY, self.survey)
        router.command(FIND, self.find)
        router.autocomplete("find", "topic", self.complete)
        router.action("show.tracks", self.chosen)
        router.action("show.level", self.chosen)
        router.form("show.survey", self.submitted)

    async def report(self, event: Invocation) -> Response:
        self.events.append(event)
        await self.gate.wait()
        row = (link_button("Docs", DOCS), Button("Sent", "show.sent", disabled=True))
        private = bool(event.options.get("private", False))
        return reply(
            "📊 Your **report**", attachments=(CHART, EXPORT), buttons=(row,), private=private
        )

    async def pick(self, event: Invocation) -> Response:
        self.events.append(event)
        tracks = Select("show.tracks", "Choose tracks", TRACKS, multi=True, min=1, max=2)
        level = Select("show.level", "Your level", LEVELS)
        return reply("Which tracks?", selects=(tracks, level))

    async def chosen(self, event: ActionClicked) -> Response:
        self.events.append(event)
        return reply(f"You chose {', '.join(event.values)}.", update=True)

    async def survey(self, event: Invocation) -> Response:
        self.events.append(event)
        form = Form(
            "show.survey",
            "Weekly check-in",
            (
                FormInput("level", "Your level", kind="choice", choices=LEVELS, default="some"),
                FormInput("wins", "Wins this week", multiline=True, required=False),
            ),
            context="week-48",
        )
        return reply(form=form)

    async def submitted(self, event: FormSubmitted) -> Response:
        self.events.append(event)
        return reply(f"Thanks: {event.values.get('level')} / {event.values.get('wins', '')}")

    async def find(self, event: Invocation) -> Response:
        self.events.append(event)
        return reply(f"Found `{event.options.get('topic')}`.")

    async def complete(self, event: Autocomplete) -> Response:
        self.events.append(event)
        typed = event.typed.lower()
        found = [topic for topic in TOPICS if typed in topic]
        return Response(choices=tuple(Choice(topic.title(), topic) for topic in found))

    def last(self, kind: type[Event]) -> Event:
        """The latest event of `kind` the core received."""
        matching = [event for event in self.events if isinstance(event, kind)]
        assert matching, f"no {kind.__name__} reached the core: {self.events}"
        return matching[-1]
