"""The shape of every entry in content/*.yaml, validated by pydantic on load."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

Kind = Literal["book", "course", "certification", "paper", "tool", "article", "video", "community"]
Level = Literal["beginner", "intermediate", "advanced"]
Cost = Literal["free", "paid", "freemium"]

KINDS: tuple[Kind, ...] = (
    "book",
    "course",
    "certification",
    "paper",
    "tool",
    "article",
    "video",
    "community",
)
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
COSTS: tuple[Cost, ...] = ("free", "paid", "freemium")

_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


def check_https_url(url: str) -> str:
    """A well-formed absolute https URL with a real-looking host, or ValueError saying why."""
    if url != url.strip() or any(c.isspace() for c in url):
        raise ValueError("a URL has no spaces")
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise ValueError("must start with https://")
    host = (parts.hostname or "").lower()
    if not _HOST.match(host):
        raise ValueError(f"{host or 'no host'} is not a host name")
    if parts.username or parts.password or parts.port not in (None, 443):
        raise ValueError("no user, password or port in a shared link")
    return url


class Named(BaseModel):
    """An entry other entries refer to by id: a role or a topic."""

    id: str = Field(pattern=_ID, max_length=40)
    label: str = Field(min_length=1, max_length=60)
    synonyms: list[str] = Field(default_factory=list)

    @field_validator("synonyms")
    @classmethod
    def _no_blank(cls, value: list[str]) -> list[str]:
        if any(not s.strip() for s in value):
            raise ValueError("a synonym is blank")
        return value


class Topic(Named):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(Named):
    # Role fit adds its own profile fields to these entries: they are kept, not refused.
    model_config = ConfigDict(extra="allow", frozen=True)


class Resource(BaseModel):
    """One book, course, paper, tool... a mentor would point someone at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    authors: list[str] = Field(min_length=1)
    url: str = Field(max_length=500)
    kind: Kind
    level: Level
    roles: list[str] = Field(min_length=1)
    topics: list[str] = Field(min_length=1)
    cost: Cost
    time: str = Field(min_length=1, max_length=60)
    why: str = Field(min_length=10, max_length=200)
    aliases: list[str] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return check_https_url(value)

    @field_validator("authors", "aliases")
    @classmethod
    def _no_blank(cls, value: list[str]) -> list[str]:
        if any(not s.strip() for s in value):
            raise ValueError("an entry is blank")
        return value
