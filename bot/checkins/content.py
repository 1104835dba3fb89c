"""The check-in's questions: `content/checkin.yaml`, validated like code before the bot uses it.

The file is data a reviewer reads, so it is checked strictly (unknown keys, duplicate ids, more
inputs than a Discord form holds, labels Discord would cut) and a bad file fails at start-up or
in a test, never in the middle of a member's check-in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.chat import MAX_FORM_INPUTS, Choice, FormInput
from bot.content.loader import content_dir

MAX_LABEL = 45  # Discord's modal input label
MAX_HOURS = 168.0  # hours in a week


class Question(BaseModel):
    """One question of the weekly check-in form."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,19}$")
    label: str = Field(min_length=1, max_length=MAX_LABEL)
    placeholder: str = Field(default="", max_length=100)
    kind: Literal["text", "hours", "scale"] = "text"
    required: bool = True
    multiline: bool = False
    low: str = Field(default="", max_length=30)
    high: str = Field(default="", max_length=30)

    def form_input(self, typed: str = "") -> FormInput:
        """The question as a form input, holding what the member typed before (if anything)."""
        if self.kind == "scale":
            choices = tuple(
                Choice(_scale_label(n, self.low, self.high), str(n)) for n in range(1, 6)
            )
            default = typed if typed in {"1", "2", "3", "4", "5"} else ""
            return FormInput(self.id, self.label, default=default, kind="choice", choices=choices)
        return FormInput(
            self.id,
            self.label,
            placeholder=self.placeholder,
            default=typed[:1000],
            multiline=self.multiline,
            required=self.required,
            max_length=20 if self.kind == "hours" else 1000,
        )


def _scale_label(n: int, low: str, high: str) -> str:
    if n == 1 and low:
        return f"1 ({low})"
    if n == 5 and high:
        return f"5 ({high})"
    return str(n)


class CheckinContent(BaseModel):
    """The whole file: the questions, in the order the form asks them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    questions: tuple[Question, ...] = Field(min_length=1, max_length=MAX_FORM_INPUTS)

    @model_validator(mode="after")
    def _distinct(self) -> CheckinContent:
        ids = [question.id for question in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids must be distinct: {ids}")
        for kind in ("hours", "scale"):
            if sum(question.kind == kind for question in self.questions) > 1:
                raise ValueError(f"at most one {kind!r} question")
        return self

    def by_kind(self, kind: str) -> Question | None:
        return next((q for q in self.questions if q.kind == kind), None)

    def by_id(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class ContentError(ValueError):
    """The content file is not valid; the message says where."""


def parse(text: str, source: str = "checkin.yaml") -> CheckinContent:
    """Validate the YAML text of a check-in content file."""
    try:
        raw = yaml.safe_load(text)
        return CheckinContent.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as error:
        raise ContentError(f"{source}: {error}") from error


def load(folder: Path | None = None) -> CheckinContent:
    """The questions from the content folder (`MENTORBOT_CONTENT_DIR`); a folder without a
    `checkin.yaml` (a community copy of the library only) keeps the shipped questions."""
    path = content_dir(folder) / "checkin.yaml"
    if not path.exists():
        path = Path(str(package_files.files("content"))) / "checkin.yaml"
    return _load(path, path.stat().st_mtime)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: float) -> CheckinContent:
    return parse(path.read_text(encoding="utf-8"), path.name)


_HOURS = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)?\s*(?:(\d{1,2})\s*(?:m|min|mins)?)?\s*$"
)


def parse_hours(text: str) -> float:
    """Hours as typed ("6", "2.5", "2,5", "1h30", "3 hours"); ValueError with a kind message."""
    match = _HOURS.match(text.lower())
    if match is None:
        raise ValueError("Hours should be a number, like `6` or `2.5` or `1h30`.")
    hours = float(match.group(1).replace(",", "."))
    if match.group(2):
        minutes = int(match.group(2))
        if minutes >= 60:
            raise ValueError("Minutes after the hours go up to 59, like `1h30`.")
        hours += minutes / 60
    if hours > MAX_HOURS:
        raise ValueError(f"A week has {MAX_HOURS:.0f} hours; please type the hours you spent.")
    return round(hours, 2)
