"""Zone resolution: IANA names, cities, abbreviations, offsets and fuzzy matches."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.time.zones import ABBREVIATIONS, CITY_ALIASES, UnknownZone, get_zone, resolve_zone


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
    match = resolve_zone(text)
    assert (match.name, match.exact) == (name, True)
    assert match.zone == ZoneInfo(name)


def test_fixed_offsets_use_posix_inverted_etc_names() -> None:
    from datetime import datetime, timedelta

    match = resolve_zone("GMT+2")
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
    match = resolve_zone(text)
    assert (match.name, match.exact) == (name, False)


@pytest.mark.parametrize("text", ["", "   ", "xyzzy", "Atlantis/Lost", "UTC+25", "GMT+3:75"])
def test_unknown(text: str) -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone(text)
    assert len(info.value.suggestions) <= 5
    assert "UTC+2" in str(info.value)


def test_unknown_gives_close_suggestions() -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone("Berlinnnnxx")
    assert "Europe/Berlin" in info.value.suggestions


def test_half_hour_offset_suggests_zones_using_it() -> None:
    with pytest.raises(UnknownZone) as info:
        resolve_zone("UTC+05:30")
    assert "Asia/Kolkata" in info.value.suggestions


def test_tables_point_at_real_zones() -> None:
    assert len(ABBREVIATIONS) >= 30
    for name in (*ABBREVIATIONS.values(), *CITY_ALIASES.values()):
        assert get_zone(name).key == name
    assert ABBREVIATIONS["PST"] == "America/Los_Angeles"
    assert ABBREVIATIONS["IST"] == "Asia/Kolkata"


def test_get_zone_is_cached() -> None:
    assert get_zone("Europe/Berlin") is get_zone("Europe/Berlin")
