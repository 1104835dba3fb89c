"""The seam between role fit and the resource library: "best resources for role R at level L".

Role fit only needs a title, a link and a short note per resource; this module turns the
member's answers into a level and asks the library (`LibraryShelf`). `NoLibrary` answers
nothing (a build without the library, or a test of the result without picks): the result then
simply has no "Show resources" button.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.resources.library import Library

Level = str  # "beginner", "intermediate" or "advanced", as the resource library spells them


@dataclass(frozen=True)
class ResourceLink:
    title: str
    url: str
    note: str = ""  # why it is worth the time, in a line


class Shelf(Protocol):
    def best_for(self, role_id: str, level: Level, limit: int) -> Sequence[ResourceLink]:
        """The library's best picks for `role_id` at `level`, best first."""
        ...


class LibraryShelf:
    """The resource library's curated picks (`bot.resources`), as role fit shows them."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def best_for(self, role_id: str, level: Level, limit: int) -> Sequence[ResourceLink]:
        return [
            ResourceLink(resource.title, resource.url, resource.why)
            for resource in self.library.best_for(role_id, level, limit)
        ]


class NoLibrary:
    """No resource library in this build: no picks."""

    def best_for(self, role_id: str, level: Level, limit: int) -> Sequence[ResourceLink]:
        return ()


def level_of(answers: Mapping[str, Sequence[str]]) -> Level:
    """A member's level from their answers: what they have already done, not how keen they are.

    Years of production software is "intermediate"; so are scripts and notebooks for someone
    coming from data science or academia (the modelling side is not new to them). Anyone else
    starts at "beginner". Nobody is told they are advanced by a ten-question questionnaire.
    """
    software = set(answers.get("software", ()))
    background = set(answers.get("background", ()))
    if "years" in software:
        return "intermediate"
    if "scripts" in software and background & {"data-science", "academia"}:
        return "intermediate"
    return "beginner"


def picks(
    shelf: Shelf, role_ids: Sequence[str], level: Level, limit: int = 3
) -> dict[str, Sequence[ResourceLink]]:
    return {role_id: shelf.best_for(role_id, level, limit) for role_id in role_ids}
