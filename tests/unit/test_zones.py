"""Zone resolution: IANA names, cities, abbreviations, offsets and fuzzy matches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.time.zones import (
    ABBREVIATIONS,
    CITY_ALIASES,
    BadOffset,
    UnknownZone,
    get_zone,
    resolve_zone,
    safe_zone,
    zone_in_phrase,
    zone_label,
)

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  Europe/Berlin  ", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("NYC", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("pdt", "America/Los_Angeles"),
        ("EST", "America/New_York"),
        ("IST", "Asia/Kolkata"),
        ("CET", "Europe/Berlin"),
        ("CEST", "Europe/Berlin"),
        ("BST", "Europe/London"),
        ("JST", "Asia/Tokyo"),
        ("AEST", "Australia/Sydney"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("GMT+2", "Etc/GMT-2"),
        ("UTC-05:00", "Etc/GMT+5"),
        ("utc+10", "Etc/GMT-10"),
        ("+03:00", "Etc/GMT-3"),
        ("UTC+0", "UTC"),
        ("mumbai", "Asia/Kolkata"),
        ("Kolkata", "Asia/Kolkata"),
        ("san francisco", "America/Los_Angeles"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Lord_Howe", "Australia/Lord_Howe"),
        ("tokyo", "Asia/Tokyo"),
        ("Japan", "Asia/Tokyo"),
    ],
)
def test_exact(text: str, name: str) -> None:
    match = resolve_zone(text, now=NOW)
    assert (match.name, match.exact) == (name, True)
    assert match.zone == ZoneInfo(name)


def test_fixed_offsets_use_posix_inverted_etc_names() -> None:
    match = resolve_zone("GMT+2", now=NOW)
    assert datetime(2026, 7, 1, tzinfo=match.zone).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Berlni", "Europe/Berlin"),
        ("Nwe York", "America/New_York"),
        ("londn", "Europe/London"),
        ("Amsterdm", "Europe/Amsterdam"),
    ],
)
def test_fuzzy(text: str, name: str) -> None:
    match = resolve_zone(text, now=NOW)
    assert (match.name, match.exact) == (name, False)


@pytest.mark.parametrize("text", ["", "   ", "xyzzy", "Atlantis/Lost", "UTC+25", "GMT+3:75"])
def test_unknown(text: str) -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone(text, now=NOW)
    assert len(info.value.suggestions) <= 5
    assert "UTC+2" in str(info.value)


def test_unknown_gives_close_suggestions() -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone("Berlinnnnxx", now=NOW)
    assert "Europe/Berlin" in info.value.suggestions


def test_half_hour_offset_suggests_zones_using_it() -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone("UTC+05:30", now=NOW)
    assert "Asia/Kolkata" in info.value.suggestions


def test_half_hour_suggestions_follow_the_callers_clock() -> None:
    """UTC+10:30 is Adelaide in the southern summer and Lord Howe in the southern winter."""
    january, july = datetime(2027, 1, 15, tzinfo=UTC), datetime(2027, 7, 15, tzinfo=UTC)
    with pytest.raises(UnknownZone) as summer:
        resolve_zone("UTC+10:30", now=january)
    with pytest.raises(UnknownZone) as winter:
        resolve_zone("UTC+10:30", now=july)
    assert "Australia/Adelaide" in summer.value.suggestions
    assert "Australia/Lord_Howe" not in summer.value.suggestions
    assert "Australia/Lord_Howe" in winter.value.suggestions
    assert "Australia/Adelaide" not in winter.value.suggestions


@pytest.mark.parametrize(
    ("raw", "label", "offset_hours"),
    [
        ("Z", "UTC", 0),
        ("utc", "UTC", 0),
        ("PST", "PST", -8),
        ("cet", "CET", 1),
        ("UTC+2", "UTC+02:00", 2),
        ("gmt - 5", "UTC-05:00", -5),
        ("+05:30", "UTC+05:30", 5.5),
        ("-0930", "UTC-09:30", -9.5),
        ("america/new_york", "America/New_York", -5),
        ("Europe/Berlin", "Europe/Berlin", 1),
    ],
)
def test_zone_in_phrase_allows_any_real_offset(raw: str, label: str, offset_hours: float) -> None:
    zone, shown = zone_in_phrase(raw)
    assert shown == label
    assert NOW.astimezone(zone).utcoffset() == timedelta(hours=offset_hours)


def test_zone_in_phrase_offsets_are_fixed_but_names_follow_dst() -> None:
    july = datetime(2027, 7, 1, 12, tzinfo=UTC)
    assert zone_in_phrase("UTC+1")[0] == timezone(timedelta(hours=1))
    assert july.astimezone(zone_in_phrase("europe/berlin")[0]).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("raw", ["UTC+15", "+03:75", "gmt-20"])
def test_zone_in_phrase_refuses_impossible_offsets(raw: str) -> None:
    with pytest.raises(BadOffset):
        zone_in_phrase(raw)


@pytest.mark.parametrize("raw", ["atlantis/lost", "foo/bar_baz"])
def test_zone_in_phrase_refuses_unknown_names(raw: str) -> None:
    with pytest.raises(UnknownZone) as info:
        zone_in_phrase(raw)
    assert not isinstance(info.value, BadOffset)


def test_resolve_zone_reports_impossible_offsets_as_bad_offsets() -> None:
    with pytest.raises(BadOffset):
        resolve_zone("UTC+25", now=NOW)


@pytest.mark.parametrize(
    ("name", "fallback", "expected"),
    [
        ("Asia/Tokyo", "Europe/Berlin", "Asia/Tokyo"),
        (None, "Europe/Berlin", "Europe/Berlin"),
        ("Gone/Renamed", "Europe/Berlin", "Europe/Berlin"),
        ("Gone/Renamed", "Also/Gone", "UTC"),
        ("", "", "UTC"),
        ("../etc/passwd", "Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_safe_zone_falls_back_instead_of_failing(
    name: str | None, fallback: str, expected: str
) -> None:
    assert safe_zone(name, fallback).key == expected


def test_tables_point_at_real_zones() -> None:
    assert len(ABBREVIATIONS) >= 30
    for name in (*ABBREVIATIONS.values(), *CITY_ALIASES.values()):
        assert get_zone(name).key == name
    assert ABBREVIATIONS["PST"] == "America/Los_Angeles"
    assert ABBREVIATIONS["IST"] == "Asia/Kolkata"


def test_get_zone_is_cached() -> None:
    assert get_zone("Europe/Berlin") is get_zone("Europe/Berlin")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Etc/GMT-2", "UTC+2"),
        ("Etc/GMT+5", "UTC-5"),
        ("Etc/GMT-14", "UTC+14"),
        ("Etc/UTC", "UTC"),
        ("Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_zone_label_says_utc_plus_not_the_inverted_iana_name(name: str, label: str) -> None:
    assert zone_label(name) == label


def test_an_offset_setting_reads_as_typed() -> None:
    assert resolve_zone("GMT+2", now=NOW).label == "UTC+2"


@pytest.mark.parametrize("text", ["asdf", "foo", "abc", "hello world", "Nowhereville", "xy"])
def test_gibberish_gets_no_suggestions(text: str) -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone(text, now=NOW)
    assert info.value.suggestions == ()


def test_suggestions_are_similar_to_the_input_closest_first() -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone("hermo", now=NOW)
    assert "America/Hermosillo" in info.value.suggestions
    for key in info.value.suggestions:
        last = key.rsplit("/", 1)[-1].lower()
        assert last[0] == "h", key  # nothing unrelated to what was typed
