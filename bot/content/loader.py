"""Load and check the content files: every problem is reported with its file and entry.

`check_content(folder)` lists problems (an empty list means the content is good);
`load_content(folder)` returns the validated `Content` or raises `ContentError` with the same
list. Both read a folder holding `resources.yaml`, `topics.yaml` and `roles.yaml`; other files
there belong to other features and are left alone.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources as package_files
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.schema import LEVELS, Resource, Role, Topic

FILES = {"resources": Resource, "topics": Topic, "roles": Role}
ENV = "MENTORBOT_CONTENT_DIR"

M = TypeVar("M", bound=BaseModel)
# The C parser when PyYAML was built with libyaml (about ten times faster); both are safe loaders.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located well enough to fix without searching."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class ContentError(Exception):
    """The content folder has problems; `problems` lists each."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Content:
    """The validated library: resources in file order, and the roles and topics they refer to."""

    resources: tuple[Resource, ...]
    topics: tuple[Topic, ...]
    roles: tuple[Role, ...]
    source: str = ""
    _by_id: dict[str, Resource] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((r.id, r) for r in self.resources)

    def resource(self, resource_id: str) -> Resource | None:
        return self._by_id.get(resource_id)


def content_dir(configured: str | os.PathLike[str] | None = None) -> Path:
    """The folder to read: `configured`, else `MENTORBOT_CONTENT_DIR`, else the shipped files."""
    chosen = configured or os.environ.get(ENV)
    if chosen:
        return Path(chosen)
    return Path(str(package_files.files("content")))


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _read(folder: Path, name: str, problems: list[Problem]) -> list[Any]:
    path = folder / f"{name}.yaml"
    file = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
    except FileNotFoundError:
        problems.append(Problem(file, "-", f"missing (looked in {folder})"))
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        problems.append(Problem(file, where, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get(name), list):
        problems.append(Problem(file, "-", f"must be a mapping with a `{name}:` list"))
        return []
    entries: list[Any] = raw[name]
    return entries


def _entry_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"entry {index + 1} ({raw['id']})"
    return f"entry {index + 1}"


def _validate(
    file: str, model: type[M], entries: list[Any], problems: list[Problem]
) -> Iterator[M]:
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        where = _entry_name(raw, index)
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                loc = ".".join(str(part) for part in error["loc"]) or "entry"
                problems.append(Problem(file, where, f"{loc}: {error['msg']}"))
            continue
        item_id = str(getattr(item, "id", ""))
        if item_id in seen:
            problems.append(Problem(file, where, f"id {item_id!r} is used twice"))
            continue
        seen.add(item_id)
        yield item


def _cross_check(
    resources: list[Resource], topics: list[Topic], roles: list[Role], problems: list[Problem]
) -> None:
    role_ids = {r.id for r in roles}
    topic_ids = {t.id for t in topics}
    titles: dict[str, str] = {}
    urls: dict[str, str] = {}
    for r in resources:
        where = f"{r.id}"
        for role in r.roles:
            if role not in role_ids:
                problems.append(
                    Problem("resources.yaml", where, f"role {role!r} is not in roles.yaml")
                )
        for topic in r.topics:
            if topic not in topic_ids:
                problems.append(
                    Problem("resources.yaml", where, f"topic {topic!r} is not in topics.yaml")
                )
        title = _normal(r.title)
        if title in titles:
            problems.append(
                Problem("resources.yaml", where, f"same title as {titles[title]}: {r.title!r}")
            )
        titles.setdefault(title, r.id)
        url = r.url.rstrip("/")
        if url in urls:
            problems.append(Problem("resources.yaml", where, f"same url as {urls[url]}"))
        urls.setdefault(url, r.id)
    for role_entry in roles:
        for level in LEVELS:
            if not any(role_entry.id in r.roles and r.level == level for r in resources):
                problems.append(Problem("roles.yaml", role_entry.id, f"has no {level} resource"))
    for kind, named in (("topics.yaml", topics), ("roles.yaml", roles)):
        labels: dict[str, str] = {}
        for n in named:
            label = _normal(n.label)
            if label in labels:
                problems.append(Problem(kind, n.id, f"same label as {labels[label]}"))
            labels.setdefault(label, n.id)


def _gather(folder: Path) -> tuple[Content, list[Problem]]:
    problems: list[Problem] = []
    topics = list(_validate("topics.yaml", Topic, _read(folder, "topics", problems), problems))
    roles = list(_validate("roles.yaml", Role, _read(folder, "roles", problems), problems))
    resources = list(
        _validate("resources.yaml", Resource, _read(folder, "resources", problems), problems)
    )
    _cross_check(resources, topics, roles, problems)
    content = Content(tuple(resources), tuple(topics), tuple(roles), source=str(folder))
    return content, problems


def check_content(folder: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in the content folder (none means `mentorbot content check` passes)."""
    return _gather(content_dir(folder))[1]


def load_content(folder: str | os.PathLike[str] | None = None) -> Content:
    """The validated content, or `ContentError` listing every problem."""
    content, problems = _gather(content_dir(folder))
    if problems:
        raise ContentError(problems)
    return content
