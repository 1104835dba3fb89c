"""Answers -> ranked roles with fit scores and the reasons behind them; pure and deterministic.

Transparent on purpose: each chosen answer adds the whole-number weights written next to it in
content/rolefit.yaml, and nothing else moves a score. A role's fit is where its total sits between
the lowest and the highest total the answered questions could give that role, so a role that
few answers mention is not at a disadvantage. Ties go to the larger total, then to the order of
content/roles.yaml, so the same answers always give the same ranking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from bot.errors import Problem
from bot.rolefit.content import Question, Questionnaire, RoleBook

Answers = Mapping[str, Sequence[str]]  # question id -> the chosen answer ids


class AnswerError(Problem):
    """An answer set that does not fit the questionnaire (unknown id, too many picks)."""


@dataclass(frozen=True)
class Contribution:
    """One chosen answer's effect on one role: quoted under "why"."""

    question_id: str
    answer_id: str
    reason: str
    points: int


@dataclass(frozen=True)
class RoleScore:
    role_id: str
    label: str
    fit: Fraction  # 0..1: where `points` sits between `lowest` and `highest`
    points: int
    lowest: int
    highest: int
    reasons: tuple[Contribution, ...]  # answers that added to this role, most first
    against: tuple[Contribution, ...]  # answers that took away from it, most first

    @property
    def percent(self) -> int:
        """The fit as a whole percentage (half rounds up, so 0.5% never shows as 0)."""
        return int(self.fit * 100 + Fraction(1, 2))


@dataclass(frozen=True)
class Ranking:
    scores: tuple[RoleScore, ...]  # best first
    answered: int  # questions answered
    total: int  # questions in the questionnaire

    def top(self, n: int = 3) -> tuple[RoleScore, ...]:
        return self.scores[:n]

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(score.role_id for score in self.scores)


def options(question: Question) -> tuple[tuple[str, ...], ...]:
    """Every allowed choice for `question`: single answers, or sets of up to `pick_up_to`."""
    ids = [answer.id for answer in question.answers]
    return tuple(
        combo for size in range(1, question.pick_up_to + 1) for combo in combinations(ids, size)
    )


def span(question: Question, role_id: str) -> tuple[int, int]:
    """The lowest and highest points `question` can give `role_id` (at least one answer)."""
    weights = sorted(answer.weights.get(role_id, 0) for answer in question.answers)
    k = question.pick_up_to
    negatives = [w for w in weights if w < 0][:k]
    positives = [w for w in reversed(weights) if w > 0][:k]
    lowest = sum(negatives) if negatives else weights[0]
    highest = sum(positives) if positives else weights[-1]
    return lowest, highest


def validate(questionnaire: Questionnaire, answers: Answers) -> dict[str, tuple[str, ...]]:
    """The answers, checked against the questionnaire, in its question order."""
    unknown = [qid for qid in answers if questionnaire.question(qid) is None]
    if unknown:
        raise AnswerError(f"There is no question `{unknown[0]}`.")
    checked: dict[str, tuple[str, ...]] = {}
    for question in questionnaire.questions:
        chosen = tuple(answers.get(question.id, ()))
        if not chosen:
            continue
        if len(set(chosen)) != len(chosen):
            raise AnswerError(f"`{question.id}` has an answer twice.")
        if len(chosen) > question.pick_up_to:
            raise AnswerError(
                f"`{question.id}` takes at most {question.pick_up_to} answer(s), not {len(chosen)}."
            )
        for answer_id in chosen:
            if question.answer(answer_id) is None:
                ids = ", ".join(answer.id for answer in question.answers)
                raise AnswerError(f"`{question.id}` has no answer `{answer_id}` (try {ids}).")
        checked[question.id] = chosen
    return checked


def rank(questionnaire: Questionnaire, book: RoleBook, answers: Answers) -> Ranking:
    """Rank every role in `book` for `answers` (unanswered questions count for nothing)."""
    checked = validate(questionnaire, answers)
    scores: list[tuple[tuple[Fraction, int, int], RoleScore]] = []
    for position, role in enumerate(book.roles):
        points = lowest = highest = 0
        contributions: list[Contribution] = []
        for question in questionnaire.questions:
            chosen = checked.get(question.id)
            if chosen is None:
                continue
            low, high = span(question, role.id)
            lowest += low
            highest += high
            for answer_id in chosen:
                answer = question.answer(answer_id)
                assert answer is not None  # validated above
                weight = answer.weights.get(role.id, 0)
                points += weight
                if weight:
                    contributions.append(
                        Contribution(question.id, answer_id, answer.reason, weight)
                    )
        fit = Fraction(points - lowest, highest - lowest) if highest > lowest else Fraction(0)
        score = RoleScore(
            role_id=role.id,
            label=role.label,
            fit=fit,
            points=points,
            lowest=lowest,
            highest=highest,
            reasons=tuple(sorted((c for c in contributions if c.points > 0), key=_strongest)),
            against=tuple(sorted((c for c in contributions if c.points < 0), key=_strongest)),
        )
        scores.append(((-fit, -points, position), score))
    scores.sort(key=lambda pair: pair[0])
    return Ranking(
        scores=tuple(score for _, score in scores),
        answered=len(checked),
        total=len(questionnaire.questions),
    )


def _strongest(contribution: Contribution) -> int:
    return -abs(contribution.points)  # stable sort keeps question order among equals


def parse_pairs(pairs: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """`QUESTION=ANSWER` words (several answers: `enjoy=modelling,research`) to answers."""
    answers: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        question_id, sep, value = pair.partition("=")
        chosen = tuple(part.strip() for part in value.split(",") if part.strip())
        if not sep or not question_id.strip() or not chosen:
            raise AnswerError(f"`{pair}` is not QUESTION=ANSWER (for example `maths=some`).")
        if question_id.strip() in answers:
            raise AnswerError(f"`{question_id.strip()}` is answered twice.")
        answers[question_id.strip()] = chosen
    return answers
