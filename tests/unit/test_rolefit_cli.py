"""`mentorbot rolefit questions|rank`: what content authors see is what the chat computes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from adapters.cli import app
from bot import markup
from bot.rolefit import content, views
from bot.rolefit.ranking import rank
from tests.unit.rolefit_personas import PERSONAS

QUIZ = content.questionnaire()
BOOK = content.roles()


def _pairs(answers: dict[str, tuple[str, ...]]) -> list[str]:
    return [f"{question}={','.join(chosen)}" for question, chosen in answers.items()]


def test_questions_lists_every_question_and_answer_id_with_its_weights() -> None:
    result = CliRunner().invoke(app, ["rolefit", "questions"])
    assert result.exit_code == 0, result.output
    for item in QUIZ.questions:
        for answer in item.answers:
            assert f"{item.id}={answer.id}: {answer.text}" in result.output
    assert "enjoy (pick up to 2)" in result.output
    assert "enjoy=modelling: Training and tuning models until they predict well  [" in (
        result.output
    )
    assert "data-scientist +3" in result.output


def test_questions_as_json_is_the_questionnaire() -> None:
    result = CliRunner().invoke(app, ["rolefit", "questions", "--json"])
    data = json.loads(result.output)
    assert [q["id"] for q in data["questions"]] == [q.id for q in QUIZ.questions]
    assert data["questions"][0]["answers"][0]["weights"]["data-scientist"] == 3


def test_rank_gives_the_chats_ranking_scores_and_reasons() -> None:
    persona = PERSONAS[1]
    result = CliRunner().invoke(app, ["rolefit", "rank", *_pairs(persona.answers), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ranking = rank(QUIZ, BOOK, persona.answers)
    assert [r["role"] for r in data["ranking"]] == list(ranking.order)
    assert [r["fit_percent"] for r in data["ranking"]] == [s.percent for s in ranking.scores]

    chat = markup.to_plain(views.result(ranking, BOOK, 1, {}, update=False).text)
    top = data["ranking"][0]
    assert f"{top['label']}: {top['fit_percent']}% fit" in chat
    why = "; ".join([r["reason"] for r in top["reasons"] if r["points"] > 0][:3])
    assert f"Why: {why}." in chat


def test_rank_as_text_shows_points_ranges_and_signed_reasons() -> None:
    result = CliRunner().invoke(app, ["rolefit", "rank", "maths=lots", "background=academia"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Answered 2 of 10 questions."
    assert lines[1] == (
        "1. Research scientist / research engineer (research-scientist): 100% fit, "
        "6 points of -3..6"
    )
    assert "   +3 you want to use maths every day (maths=lots)" in lines
    assert "   -1 you want to use maths every day (maths=lots)" in lines  # against a role


def test_rank_refuses_answers_that_do_not_exist_with_the_ones_that_do() -> None:
    result = CliRunner().invoke(app, ["rolefit", "rank", "maths=plenty"])
    assert result.exit_code == 2
    assert "maths has no answer plenty (try lots, some, little)." in result.output
    result = CliRunner().invoke(app, ["rolefit", "rank", "maths"])
    assert result.exit_code == 2 and "is not QUESTION=ANSWER" in result.output
