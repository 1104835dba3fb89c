"""The role profiles and the questionnaire as typed, validated content (content/*.yaml).

Both files are data reviewed like code: the models here refuse a malformed file when it is
loaded (a wrong type, a missing field, an unknown source), and `bot.rolefit.checks` adds the rules
that need the two files together (every role reachable, every question able to change the result).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.content.loader import content_dir

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,29}$")]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=75)]
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$", max_length=300)]
Level = Literal["low", "medium", "high"]
Background = Literal["data-science", "software", "devops", "academia", "data-engineering"]
Weight = Annotated[int, Field(ge=-3, le=3)]

# The ids every feature shares (the resource library tags resources with them too).
SHARED_ROLE_IDS = (
    "data-scientist",
    "ml-engineer",
    "mlops-engineer",
    "ai-engineer",
    "data-engineer",
    "research-scientist",
    "ml-software-engineer",
    "decision-scientist",
)


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Strict):
    """Where claims come from: a seed thread or a public page we are sure of."""

    title: Line
    author: str = ""
    url: Url | None = None


class Claim(Strict):
    """One statement in a profile and the source it comes from."""

    claim: Line
    source: Id


class Demands(Strict):
    """How much of each kind of work a role usually takes."""

    maths: Level
    software: Level
    infrastructure: Level
    stakeholders: Level


class WayIn(Strict):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: Background = Field(alias="from")
    how: Line


class Role(Strict):
    """One career role's profile, as `/roles` shows it."""

    id: Id
    label: Label
    synonyms: tuple[Label, ...] = Field(min_length=1)
    summary: Line
    day_to_day: tuple[Line, ...] = Field(min_length=2, max_length=5)
    enjoys: Line
    demands: Demands
    ways_in: tuple[WayIn, ...] = Field(min_length=2, max_length=5)
    first_steps: tuple[Line, Line, Line]
    sources: tuple[Claim, ...] = Field(min_length=1)


class RoleBook(Strict):
    """content/roles.yaml: the sources and the roles that cite them."""

    sources: dict[Id, Source]
    roles: tuple[Role, ...] = Field(min_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> RoleBook:
        ids = [role.id for role in self.roles]
        if len(set(ids)) != len(ids):
            raise ValueError(f"role ids repeat: {ids}")
        missing = set(SHARED_ROLE_IDS) - set(ids)
        if missing:
            raise ValueError(f"roles missing: {sorted(missing)}")
        cited = {claim.source for role in self.roles for claim in role.sources}
        unknown = cited - set(self.sources)
        if unknown:
            raise ValueError(f"claims cite unknown sources: {sorted(unknown)}")
        unused = set(self.sources) - cited
        if unused:
            raise ValueError(f"sources nobody cites: {sorted(unused)}")
        return self

    def get(self, role_id: str) -> Role | None:
        return next((role for role in self.roles if role.id == role_id), None)


class Answer(Strict):
    """One answer: its button text, how it is quoted under "why", and what it adds to roles."""

    id: Id
    text: Label
    reason: Line
    weights: dict[Id, Weight] = Field(min_length=1)


class Question(Strict):
    id: Id
    text: Line
    pick_up_to: int = Field(default=1, ge=1, le=3)
    answers: tuple[Answer, ...] = Field(min_length=2, max_length=5)

    @model_validator(mode="after")
    def _answers(self) -> Question:
        ids = [answer.id for answer in self.answers]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id}: answer ids repeat: {ids}")
        if self.pick_up_to >= len(self.answers):
            raise ValueError(f"question {self.id}: pick_up_to must be below the answer count")
        return self

    def answer(self, answer_id: str) -> Answer | None:
        return next((answer for answer in self.answers if answer.id == answer_id), None)


class Questionnaire(Strict):
    """content/rolefit.yaml."""

    questions: tuple[Question, ...] = Field(min_length=8, max_length=12)

    @model_validator(mode="after")
    def _unique(self) -> Questionnaire:
        ids = [question.id for question in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids repeat: {ids}")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def parse_roles(text: str) -> RoleBook:
    return RoleBook.model_validate(yaml.safe_load(text))


def parse_questionnaire(text: str) -> Questionnaire:
    return Questionnaire.model_validate(yaml.safe_load(text))


def roles(configured: str | os.PathLike[str] | None = None) -> RoleBook:
    """The role profiles in `configured` (or `MENTORBOT_CONTENT_DIR`, or the shipped ones)."""
    return _roles(content_dir(configured).resolve())


def questionnaire(configured: str | os.PathLike[str] | None = None) -> Questionnaire:
    """The questionnaire in `configured` (or `MENTORBOT_CONTENT_DIR`, or the shipped one)."""
    return _questionnaire(content_dir(configured).resolve())


@cache
def _roles(folder: Path) -> RoleBook:
    return parse_roles((folder / "roles.yaml").read_text(encoding="utf-8"))


@cache
def _questionnaire(folder: Path) -> Questionnaire:
    return parse_questionnaire((folder / "rolefit.yaml").read_text(encoding="utf-8"))
