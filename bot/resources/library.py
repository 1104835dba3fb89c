"""The loaded library: validated content plus its search index, built once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content.loader import Content, content_dir, load_content
from bot.content.schema import Resource
from bot.resources.search import SearchIndex


@dataclass(frozen=True)
class Library:
    content: Content
    index: SearchIndex

    def resource(self, resource_id: str) -> Resource | None:
        return self.content.resource(resource_id)

    def best_for(self, role: str, level: str, limit: int = 5) -> list[Resource]:
        """The resources to start with for `role` at `level`, curators' order (for role fit)."""
        return self.index.best_for(role, level, limit)


@lru_cache(maxsize=4)
def _load(folder: Path) -> Library:
    content = load_content(folder)
    return Library(content, SearchIndex(content.resources, content.topics, content.roles))


def library(configured: str | os.PathLike[str] | None = None) -> Library:
    """The library in `configured` (or `MENTORBOT_CONTENT_DIR`, or the shipped one), cached."""
    return _load(content_dir(configured).resolve())
