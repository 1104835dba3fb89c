"""The shipped role profiles and questionnaire load, and every content rule can fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.content.loader import content_dir
from bot.rolefit import checks, content
from bot.rolefit.content import SHARED_ROLE_IDS, Questionnaire, RoleBook
from bot.rolefit.ranking import rank

BOOK = content.roles()
QUIZ = content.questionnaire()


def _raw(name: str) -> dict[str, object]:
    data = yaml.safe_load((content_dir() / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_shipped_content_passes_every_rule() -> None:
    assert checks.check(QUIZ, BOOK) == []
    assert 8 <= len(QUIZ.questions) <= 12
    assert {role.id for role in BOOK.roles} >= set(SHARED_ROLE_IDS)


def test_every_role_profile_is_complete_and_cites_sources_that_exist() -> None:
    for role in BOOK.roles:
        assert len(role.first_steps) == 3
        assert {way.from_ for way in role.ways_in} <= {
            "data-science",
            "software",
            "devops",
            "academia",
            "data-engineering",
        }
        for claim in role.sources:
            assert claim.source in BOOK.sources
    for source in BOOK.sources.values():
        assert source.url is None or source.url.startswith("https://")


def test_each_role_has_answers_that_put_it_first() -> None:
    witnesses, unreachable = checks.reachability(QUIZ, BOOK)
    assert unreachable == []
    for witness in witnesses:
        assert rank(QUIZ, BOOK, witness.answers).order[0] == witness.role_id


def test_a_role_no_answer_favours_is_reported_unreachable() -> None:
    data = _raw("rolefit.yaml")
    for question in data["questions"]:  # type: ignore[attr-defined]
        for answer in question["answers"]:
            answer["weights"].pop("decision-scientist", None)
            if not answer["weights"]:
                answer["weights"] = {"data-scientist": 1}
    quiz = Questionnaire.model_validate(data)
    problems = checks.check(quiz, BOOK, limit=2_000)  # the climb fails; a short search too
    assert "role `decision-scientist` never comes out on top, whatever the answers" in problems


def test_a_question_whose_answers_cannot_move_the_top_three_is_reported() -> None:
    data = _raw("rolefit.yaml")
    questions = data["questions"]
    assert isinstance(questions, list)
    questions[1]["answers"] = [
        {"id": "a", "text": "A", "reason": "a", "weights": {"data-engineer": 0}},
        {"id": "b", "text": "B", "reason": "b", "weights": {"data-engineer": 0, "ml-engineer": 0}},
    ]
    quiz = Questionnaire.model_validate(data)
    problems = checks.check(quiz, BOOK)
    assert any("answers `analysis=a` and `analysis=b` weigh the same" in p for p in problems)
    no_alike = checks.inert_questions(quiz, BOOK, checks.reachability(quiz, BOOK)[0])
    assert no_alike == [
        "question `analysis` never changes the top three: its answers weigh too little or too alike"
    ]


def test_a_weight_for_a_role_without_a_profile_is_reported() -> None:
    data = _raw("rolefit.yaml")
    questions = data["questions"]
    assert isinstance(questions, list)
    questions[0]["answers"][0]["weights"]["astronaut"] = 2
    problems = checks.check(Questionnaire.model_validate(data), BOOK)
    assert problems == ["answer `enjoy=modelling` weighs unknown role `astronaut`"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["roles"][0]["sources"].append({"claim": "x", "source": "nowhere"}),
            "unknown sources",
        ),
        (lambda d: d["sources"].update({"spare": {"title": "t"}}), "nobody cites"),
        (lambda d: d["roles"][0]["first_steps"].pop(), "first_steps"),
        (lambda d: d["roles"].pop(), "at least 8"),
        (lambda d: d["sources"]["islr"].update({"url": "http://www.statlearning.com/"}), "url"),
        (lambda d: d["roles"][1].update({"id": "data-scientist"}), "repeat"),
        (lambda d: d["roles"][0]["demands"].update({"maths": "extreme"}), "maths"),
    ],
)
def test_a_malformed_role_file_is_refused(change: object, message: str) -> None:
    data = _raw("roles.yaml")
    assert callable(change)
    change(data)
    with pytest.raises(ValidationError, match=message):
        RoleBook.model_validate(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"][2]["answers"][0]["weights"].update({"ml-engineer": 5}),
            "less than or equal to 3",
        ),
        (
            lambda d: d["questions"][2]["answers"].pop() and d["questions"][2]["answers"].pop(),
            "at least 2",
        ),
        (lambda d: d["questions"].__delitem__(slice(7, None)), "at least 8"),
        (lambda d: d["questions"][0].update({"pick_up_to": 5}), "pick_up_to"),
        (lambda d: d["questions"][1].update({"id": "enjoy"}), "repeat"),
    ],
)
def test_a_malformed_questionnaire_is_refused(change: object, message: str) -> None:
    data = _raw("rolefit.yaml")
    assert callable(change)
    change(data)
    with pytest.raises(ValidationError, match=message):
        Questionnaire.model_validate(data)


def test_content_check_runs_the_role_fit_rules_on_the_folder_it_checks(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from adapters.cli import app

    for name in ("resources.yaml", "topics.yaml", "roles.yaml", "rolefit.yaml"):
        shutil.copy(content_dir() / name, tmp_path / name)
    passed = CliRunner().invoke(app, ["content", "check", "--dir", str(tmp_path)])
    assert passed.exit_code == 0, passed.output

    data = _raw("rolefit.yaml")
    questions = data["questions"]
    assert isinstance(questions, list)
    questions[0]["answers"][0]["weights"]["astronaut"] = 2
    questions[1]["answers"][0]["text"] = "x" * 80
    (tmp_path / "rolefit.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    failed = CliRunner().invoke(app, ["content", "check", "--dir", str(tmp_path)])
    assert failed.exit_code == 1
    assert "rolefit.yaml: questions.1.answers.0.text: String should have at most 75" in (
        failed.output
    )

    questions[1]["answers"][0]["text"] = "Fine"
    (tmp_path / "rolefit.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    failed = CliRunner().invoke(app, ["content", "check", "--dir", str(tmp_path)])
    assert "rolefit.yaml: rules: answer `enjoy=modelling` weighs unknown role `astronaut`" in (
        failed.output
    )
    (tmp_path / "rolefit.yaml").unlink()
    missing = CliRunner().invoke(app, ["content", "check", "--dir", str(tmp_path)])
    assert "rolefit.yaml: -: missing" in missing.output
