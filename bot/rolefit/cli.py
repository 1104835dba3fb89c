"""`mentorbot rolefit ...`: the questionnaire and its ranking for content authors.

`questions` prints every question with its answer ids and weights; `rank` ranks a set of answers
with the same engine, scores and reasons the chat shows, so a weight change can be tried before
it ships.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot import markup
from bot.rolefit import content
from bot.rolefit.ranking import AnswerError, Ranking, parse_pairs, rank

app = typer.Typer(help="Role fit: the questionnaire and its ranking.", no_args_is_help=True)


@app.command("questions")
def questions(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Print the questionnaire: question and answer ids, texts and the weights they add."""
    quiz = content.questionnaire()
    if as_json:
        typer.echo(json.dumps(quiz.model_dump(mode="json"), indent=2))
        return
    for number, item in enumerate(quiz.questions, start=1):
        picks = f" (pick up to {item.pick_up_to})" if item.pick_up_to > 1 else ""
        typer.echo(f"{number}. {item.id}{picks}: {item.text}")
        for answer in item.answers:
            weights = ", ".join(f"{role} {points:+d}" for role, points in answer.weights.items())
            typer.echo(f"   {item.id}={answer.id}: {answer.text}  [{weights}]")


@app.command("rank")
def rank_answers(
    answers: Annotated[
        list[str] | None,
        typer.Argument(help="QUESTION=ANSWER pairs; several answers: enjoy=modelling,research"),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Rank the roles for a set of answers, with each role's fit, points and reasons."""
    try:
        ranking = rank(content.questionnaire(), content.roles(), parse_pairs(answers or []))
    except AnswerError as problem:
        typer.echo(markup.to_plain(str(problem)), err=True)
        raise typer.Exit(2) from problem
    typer.echo(json.dumps(as_data(ranking), indent=2) if as_json else as_text(ranking))


def as_data(ranking: Ranking) -> dict[str, object]:
    return {
        "answered": ranking.answered,
        "questions": ranking.total,
        "ranking": [
            {
                "role": score.role_id,
                "label": score.label,
                "fit_percent": score.percent,
                "points": score.points,
                "lowest": score.lowest,
                "highest": score.highest,
                "reasons": [
                    {
                        "question": c.question_id,
                        "answer": c.answer_id,
                        "points": c.points,
                        "reason": c.reason,
                    }
                    for c in (*score.reasons, *score.against)
                ],
            }
            for score in ranking.scores
        ],
    }


def as_text(ranking: Ranking) -> str:
    lines = [f"Answered {ranking.answered} of {ranking.total} questions."]
    for place, score in enumerate(ranking.scores, start=1):
        lines.append(
            f"{place}. {score.label} ({score.role_id}): {score.percent}% fit, "
            f"{score.points} points of {score.lowest}..{score.highest}"
        )
        for c in (*score.reasons, *score.against):
            lines.append(f"   {c.points:+d} {c.reason} ({c.question_id}={c.answer_id})")
    return "\n".join(lines)
