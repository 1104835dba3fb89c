"""`content/checkin.yaml` is checked like code: the shipped file passes, mistakes are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.checkins.content import ContentError, load, parse, parse_hours
from bot.content.loader import check_content, content_dir


def test_the_shipped_questions_fit_a_discord_form() -> None:
    content = load()
    assert [q.id for q in content.questions] == ["done", "plan", "blockers", "hours", "confidence"]
    assert content.by_kind("scale") is not None and content.by_kind("hours") is not None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("questions: []", "at least 1"),
        ("questions:\n" + "  - {id: q%d, label: L}\n" * 0, "valid"),
        ("questions:\n  - {id: a, label: A}\n  - {id: a, label: B}", "distinct"),
        ("questions:\n  - {id: a, label: " + "x" * 46 + "}", "at most 45"),
        ("questions:\n  - {id: a, label: A, colour: red}", "Extra inputs"),
    ],
)
def test_mistakes_are_refused(text: str, problem: str) -> None:
    with pytest.raises(ContentError, match=problem):
        parse(text)


def test_six_questions_are_more_than_a_form_holds() -> None:
    six = "questions:\n" + "".join(f"  - {{id: q{n}, label: Q{n}}}\n" for n in range(6))
    with pytest.raises(ContentError, match="at most 5"):
        parse(six)


def test_content_check_reports_a_bad_checkin_file(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content_dir(), folder)
    (folder / "checkin.yaml").write_text("questions:\n  - {id: a, label: A, kind: stars}\n")
    problems = check_content(folder)
    assert [problem.file for problem in problems] == ["checkin.yaml"]
    assert check_content(content_dir()) == []


@pytest.mark.parametrize(
    ("typed", "hours"), [("6", 6.0), ("2.5", 2.5), ("2,5", 2.5), ("1h30", 1.5), ("3 hours", 3.0)]
)
def test_hours_as_people_type_them(typed: str, hours: float) -> None:
    assert parse_hours(typed) == hours


@pytest.mark.parametrize("typed", ["lots", "200", "1h75", ""])
def test_hours_that_cannot_be_read(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(typed)


def test_a_community_copy_without_questions_keeps_the_shipped_ones(tmp_path: Path) -> None:
    shutil.copytree(content_dir(), tmp_path / "content")
    (tmp_path / "content" / "checkin.yaml").unlink()
    assert check_content(tmp_path / "content") == []
    assert len(load(tmp_path / "content").questions) == 5


def test_a_community_copy_may_replace_the_questions(tmp_path: Path) -> None:
    shutil.copytree(content_dir(), tmp_path / "content")
    (tmp_path / "content" / "checkin.yaml").write_text(
        "questions:\n"
        "  - {id: done, label: 'What did you ship?'}\n"
        "  - {id: hours, label: Hours, kind: hours}\n"
    )
    labels = [q.label for q in load(tmp_path / "content").questions]
    assert labels == ["What did you ship?", "Hours"]
