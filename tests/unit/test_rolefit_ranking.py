"""The ranking engine: personas from the seed threads, transparent reasons, strict answers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.rolefit import content
from bot.rolefit.ranking import AnswerError, parse_pairs, rank, span
from tests.unit.rolefit_personas import PERSONAS, Persona

BOOK = content.roles()
QUIZ = content.questionnaire()


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_a_persona_gets_the_two_roles_a_practitioner_would_give(persona: Persona) -> None:
    ranking = rank(QUIZ, BOOK, persona.answers)

    assert ranking.answered == ranking.total == len(QUIZ.questions)
    assert {score.role_id for score in ranking.top(2)} == persona.top_two, [
        (s.role_id, s.percent) for s in ranking.scores
    ]


def test_the_personas_answer_every_question_and_cover_six_different_top_roles() -> None:
    assert len(PERSONAS) >= 6
    for persona in PERSONAS:
        assert set(persona.answers) == {q.id for q in QUIZ.questions}, persona.name
    tops = {rank(QUIZ, BOOK, p.answers).order[0] for p in PERSONAS}
    assert len(tops) >= 6


def test_a_score_is_the_sum_of_the_chosen_weights_and_its_reasons_name_them() -> None:
    answers = {"maths": ("lots",), "background": ("academia",)}
    ranking = rank(QUIZ, BOOK, answers)

    top = ranking.scores[0]
    assert top.role_id == "research-scientist"
    assert top.points == 3 + 3
    assert [r.reason for r in top.reasons] == [
        "you want to use maths every day",
        "you come from academia",
    ]
    assert top.fit == 1 and top.percent == 100
    mlops = next(s for s in ranking.scores if s.role_id == "mlops-engineer")
    assert [(c.question_id, c.points) for c in mlops.against] == [("maths", -1)]


def test_fit_is_the_place_between_the_lowest_and_highest_possible_totals() -> None:
    maths = QUIZ.question("maths")
    assert maths is not None
    assert span(maths, "research-scientist") == (-3, 3)
    ranking = rank(QUIZ, BOOK, {"maths": ("some",)})
    research = next(s for s in ranking.scores if s.role_id == "research-scientist")
    assert (research.points, research.lowest, research.highest) == (0, -3, 3)
    assert research.fit == Fraction(1, 2) and research.percent == 50


def test_a_multiple_choice_question_adds_each_pick_and_its_range_counts_two_picks() -> None:
    enjoy = QUIZ.question("enjoy")
    assert enjoy is not None and enjoy.pick_up_to == 2
    assert span(enjoy, "ml-engineer") == (0, 4)
    ranking = rank(QUIZ, BOOK, {"enjoy": ("modelling", "infrastructure")})
    mle = next(s for s in ranking.scores if s.role_id == "ml-engineer")
    assert mle.points == 4 and mle.fit == 1


def test_the_same_answers_always_give_the_same_ranking_whatever_their_order() -> None:
    answers = dict(PERSONAS[0].answers)
    shuffled = dict(reversed(list(answers.items())))
    assert rank(QUIZ, BOOK, answers) == rank(QUIZ, BOOK, shuffled)


def test_ties_go_to_the_bigger_total_then_to_the_order_of_the_role_profiles() -> None:
    ranking = rank(QUIZ, BOOK, {})
    assert ranking.answered == 0
    assert ranking.order == tuple(role.id for role in BOOK.roles)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": ("x",)}, "no question `nope`"),
        ({"maths": ("plenty",)}, "no answer `plenty`"),
        ({"maths": ("lots", "some")}, "at most 1"),
        ({"enjoy": ("research", "research")}, "answer twice"),
    ],
)
def test_answers_that_do_not_fit_the_questionnaire_are_refused_kindly(
    answers: dict[str, tuple[str, ...]], message: str
) -> None:
    with pytest.raises(AnswerError, match=message):
        rank(QUIZ, BOOK, answers)


def test_question_equals_answer_words_parse_with_commas_for_several_answers() -> None:
    assert parse_pairs(["maths=some", "enjoy=modelling, research"]) == {
        "maths": ("some",),
        "enjoy": ("modelling", "research"),
    }
    for bad in (["maths"], ["=some"], ["maths="], ["maths=a", "maths=b"]):
        with pytest.raises(AnswerError):
            parse_pairs(bad)


@pytest.mark.parametrize(
    ("software", "background", "level"),
    [
        ("years", "software", "intermediate"),
        ("scripts", "data-science", "intermediate"),
        ("scripts", "academia", "intermediate"),
        ("scripts", "devops", "beginner"),
        ("little", "data-science", "beginner"),
        ("little", "academia", "beginner"),
    ],
)
def test_the_level_for_resource_picks_comes_from_what_the_member_has_done(
    software: str, background: str, level: str
) -> None:
    from bot.rolefit.library import level_of

    assert level_of({"software": (software,), "background": (background,)}) == level
