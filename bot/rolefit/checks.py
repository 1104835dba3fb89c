"""Content rules that need the profiles and the questionnaire together (`mentorbot content check`).

- every weight names a role that has a profile;
- every role can come out on top: some set of answers ranks it first, alone;
- every question can change the result: for some answers to the others, two of its answers give
  a different top three;
- no two answers of one question weigh the same (choosing between them would change nothing).

Each rule returns problems as sentences a content author can act on; an empty list passes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import ValidationError

from bot.content.loader import Problem, content_dir
from bot.rolefit.content import Questionnaire, RoleBook, parse_questionnaire, parse_roles
from bot.rolefit.ranking import options, rank, span

EXHAUSTIVE_LIMIT = 300_000  # answer sets tried before giving up on a role (after the climb)

Choice = tuple[str, ...]  # the answer ids chosen for one question
T = TypeVar("T")


@dataclass(frozen=True)
class Witness:
    """Answers that put `role_id` first: proof that the role is reachable."""

    role_id: str
    answers: dict[str, Choice]


def check(
    questionnaire: Questionnaire, book: RoleBook, *, limit: int = EXHAUSTIVE_LIMIT
) -> list[str]:
    """Every rule; the shipped content must return []."""
    problems = unknown_roles(questionnaire, book) + same_weights(questionnaire)
    if problems:
        return problems  # the search below assumes names resolve
    witnesses, unreachable = reachability(questionnaire, book, limit=limit)
    problems += [
        f"role `{role_id}` never comes out on top, whatever the answers" for role_id in unreachable
    ]
    problems += inert_questions(questionnaire, book, witnesses)
    return problems


def unknown_roles(questionnaire: Questionnaire, book: RoleBook) -> list[str]:
    known = {role.id for role in book.roles}
    return [
        f"answer `{question.id}={answer.id}` weighs unknown role `{role_id}`"
        for question in questionnaire.questions
        for answer in question.answers
        for role_id in answer.weights
        if role_id not in known
    ]


def same_weights(questionnaire: Questionnaire) -> list[str]:
    problems = []
    for question in questionnaire.questions:
        seen: dict[tuple[tuple[str, int], ...], str] = {}
        for answer in question.answers:
            key = tuple(sorted((r, w) for r, w in answer.weights.items() if w))
            if key in seen:
                problems.append(
                    f"answers `{question.id}={seen[key]}` and `{question.id}={answer.id}` "
                    "weigh the same, so choosing between them changes nothing"
                )
            seen[key] = answer.id
    return problems


class _Table:
    """Each option's points per role and each role's range, for fast what-if ranking."""

    def __init__(self, questionnaire: Questionnaire, book: RoleBook) -> None:
        self.roles = [role.id for role in book.roles]
        self.questions = questionnaire.questions
        self.options = [options(question) for question in self.questions]
        self.points: list[dict[Choice, tuple[int, ...]]] = []
        for question, opts in zip(self.questions, self.options, strict=True):
            weights = {answer.id: answer.weights for answer in question.answers}
            self.points.append(
                {
                    opt: tuple(sum(weights[a].get(r, 0) for a in opt) for r in self.roles)
                    for opt in opts
                }
            )
        low = [0] * len(self.roles)
        high = [0] * len(self.roles)
        for question in self.questions:
            for i, role_id in enumerate(self.roles):
                lo, hi = span(question, role_id)
                low[i] += lo
                high[i] += hi
        self.low, self.high = low, high

    def fits(self, choice: Sequence[Choice]) -> list[Fraction]:
        totals = [0] * len(self.roles)
        for table, opt in zip(self.points, choice, strict=True):
            for i, value in enumerate(table[opt]):
                totals[i] += value
        return [
            Fraction(t - lo, hi - lo) if hi > lo else Fraction(0)
            for t, lo, hi in zip(totals, self.low, self.high, strict=True)
        ]

    def margin(self, choice: Sequence[Choice], target: int) -> Fraction:
        fits = self.fits(choice)
        return fits[target] - max(f for i, f in enumerate(fits) if i != target)

    def answers(self, choice: Sequence[Choice]) -> dict[str, Choice]:
        return {q.id: opt for q, opt in zip(self.questions, choice, strict=True)}


def reachability(
    questionnaire: Questionnaire, book: RoleBook, *, limit: int = EXHAUSTIVE_LIMIT
) -> tuple[list[Witness], list[str]]:
    """A witness for every role that can be first, and the ids of those that cannot."""
    table = _Table(questionnaire, book)
    witnesses: list[Witness] = []
    unreachable: list[str] = []
    for target, role_id in enumerate(table.roles):
        choice = _climb(table, target) or _exhaustive(table, target, limit)
        if choice is None:
            unreachable.append(role_id)
        else:
            witnesses.append(Witness(role_id, table.answers(choice)))
    return witnesses, unreachable


def _climb(table: _Table, target: int) -> list[Choice] | None:
    """Change one question at a time while the target's lead grows (deterministic)."""
    choice = [opts[0] for opts in table.options]
    best = table.margin(choice, target)
    improved = True
    while improved:
        improved = False
        for q, opts in enumerate(table.options):
            for opt in opts:
                trial = [*choice[:q], opt, *choice[q + 1 :]]
                margin = table.margin(trial, target)
                if margin > best:
                    choice, best, improved = trial, margin, True
    return choice if best > 0 else None


def _exhaustive(table: _Table, target: int, limit: int) -> list[Choice] | None:
    for count, combo in enumerate(product(*table.options)):
        if count >= limit:
            return None
        if table.margin(combo, target) > 0:
            return list(combo)
    return None


def inert_questions(
    questionnaire: Questionnaire, book: RoleBook, witnesses: Sequence[Witness]
) -> list[str]:
    """Questions none of whose answers changes the top three, from any of the witnesses."""
    bases = [witness.answers for witness in witnesses]
    bases.append({q.id: options(q)[0] for q in questionnaire.questions})
    problems = []
    for question in questionnaire.questions:
        if not any(_moves(questionnaire, book, base, question.id) for base in bases):
            problems.append(
                f"question `{question.id}` never changes the top three: its answers weigh too "
                "little or too alike"
            )
    return problems


def _moves(
    questionnaire: Questionnaire, book: RoleBook, base: dict[str, Choice], question_id: str
) -> bool:
    question = questionnaire.question(question_id)
    assert question is not None
    tops = {
        rank(questionnaire, book, {**base, question_id: opt}).order[:3] for opt in options(question)
    }
    return len(tops) > 1


def check_folder(folder: str | os.PathLike[str] | None = None) -> list[Problem]:
    """`mentorbot content check`'s part for role fit: both files' schema, then every rule."""
    where = content_dir(folder)
    found: list[Problem] = []
    book = _parse(where, "roles.yaml", parse_roles, found)
    quiz = _parse(where, "rolefit.yaml", parse_questionnaire, found)
    if book is not None and quiz is not None:
        found += [Problem("rolefit.yaml", "rules", message) for message in check(quiz, book)]
    return found


def _parse(folder: Path, name: str, parse: Callable[[str], T], found: list[Problem]) -> T | None:
    try:
        return parse((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        found.append(Problem(name, "-", f"missing (looked in {folder})"))
    except yaml.YAMLError as error:
        found.append(Problem(name, "-", f"not valid YAML: {error}"))
    except ValidationError as error:
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or "file"
            found.append(Problem(name, where, item["msg"]))
    return None
