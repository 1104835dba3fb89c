"""Table-driven tests for the reminder time parser (cases in timeparse_cases.py)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest

from bot.time.recurrence import next_occurrence, validate_rule
from bot.time.timeparse import ParsedWhen, TimeParseError, parse_when
from bot.time.zones import get_zone
from tests.unit.timeparse_cases import CASES, Case


def _now(case: Case) -> datetime:
    """`now` as written: local wall time in the case's zone, or an explicit offset."""
    tz = get_zone(case.tz)
    parsed = datetime.fromisoformat(case.now)
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)


def _ids(cases: list[Case]) -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for case in cases:
        base = re.sub(r"\s+", "_", case.phrase.strip()) or "<empty>"
        if case.now != "2026-11-23T14:00" or case.tz != "Europe/Berlin":
            base += f"@{case.now}/{case.tz.rsplit('/', 1)[-1]}"
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return ids


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 300
    assert len({(c.phrase, c.now, c.tz) for c in CASES}) == len(CASES), "duplicate cases"


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_phrase(case: Case) -> None:
    now = _now(case)
    if case.reason is not None:
        with pytest.raises(TimeParseError) as info:
            parse_when(case.phrase, now=now, tz=get_zone(case.tz))
        assert info.value.reason == case.reason, info.value.message
        assert "`" in info.value.message, "error messages show a working example"
        return
    assert case.at is not None
    result = parse_when(case.phrase, now=now, tz=get_zone(case.tz))
    expected = datetime.fromisoformat(case.at)
    assert (result.at.isoformat(), result.rule, result.message) == (
        expected.isoformat(),
        case.rule,
        case.message,
    ), result.understood
    assert result.at.utcoffset() == expected.utcoffset()
    assert result.at > now
    assert result.understood
    if result.rule is not None:
        _check_rule(result, now, case)


def _check_rule(result: ParsedWhen, now: datetime, case: Case) -> None:
    """The stored rule must agree with the first firing the parser promised."""
    validate_rule(result.rule or "")
    tz = get_zone(case.tz)
    again = next_occurrence(result.rule or "", first=result.at, after=result.at, tz=tz)
    assert again is not None and again > result.at
    if result.at.replace(tzinfo=None).time() == result.at.astimezone(tz).time():
        first = next_occurrence(result.rule or "", first=result.at, after=now, tz=tz)
        # a DST-shifted first firing (02:30 -> 03:30) is not itself a rule occurrence
        assert first == result.at or first is None or first > result.at
