"""Quiet hours and daily digests: when a push queued now may go out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Schedule
from bot.pipeline.holds import next_local_hour, release_at
from bot.query.schedule import apply_words, describe, describe_offset, parse_offset


def at(hour: int, minute: int = 0, day: int = 21) -> float:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp()


def test_immediate_by_default() -> None:
    assert release_at(Schedule(), at(3)) is None
    assert Schedule().immediate


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(23, 30), at(7, day=22)),  # inside, before midnight
        (at(2), at(7)),  # inside, after midnight
        (at(7), None),  # the window ends at 07:00
        (at(12), None),
        (at(22), at(7, day=22)),  # begins at 22:00
    ],
)
def test_quiet_hours_across_midnight(now: float, expected: float | None) -> None:
    assert release_at(Schedule(quiet_start=22, quiet_end=7), now) == expected


def test_quiet_hours_in_the_chats_time_zone() -> None:
    lima = Schedule(tz_offset_minutes=-5 * 60, quiet_start=22, quiet_end=7)
    # 04:00 UTC is 23:00 in Lima: quiet until 07:00 Lima = 12:00 UTC
    assert release_at(lima, at(4)) == at(12)
    assert release_at(lima, at(13)) is None  # 08:00 in Lima


def test_daily_digest_holds_everything_until_its_hour() -> None:
    digest = Schedule(digest_hour=8)
    assert release_at(digest, at(6)) == at(8)
    assert release_at(digest, at(8)) == at(8, day=22)
    assert release_at(digest, at(20)) == at(8, day=22)
    # the digest wins over quiet hours: one delivery a day
    assert release_at(Schedule(quiet_start=22, quiet_end=7, digest_hour=18), at(23)) == at(
        18, day=22
    )


def test_next_local_hour_with_half_hour_zone() -> None:
    india = 5 * 60 + 30
    assert next_local_hour(Schedule(tz_offset_minutes=india), at(0), 8) == at(2, 30)
    assert describe_offset(india) == "UTC+5:30" and describe_offset(-300) == "UTC-5"


def test_describe() -> None:
    lines = describe(Schedule(tz_offset_minutes=60, quiet_start=22, quiet_end=7))
    assert lines == [
        "🌙 Quiet hours: 22:00-07:00",
        "📬 Delivery: as articles arrive",
        "🕒 Time zone: UTC+1",
    ]


@pytest.mark.parametrize(
    ("word", "minutes"), [("+2", 120), ("-5", -300), ("+5:30", 330), ("UTC+1", 60), ("0", 0)]
)
def test_parse_offset(word: str, minutes: int) -> None:
    assert parse_offset(word) == minutes


@pytest.mark.parametrize("word", ["+5:99", "+15", "-13", "noon", ""])
def test_parse_offset_refuses_what_is_no_time_zone(word: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(word)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def test_quiet_hours_in_a_named_zone_follow_daylight_saving_time() -> None:
    madrid = Schedule(60, 22, 7, None, "Europe/Madrid")
    # 22:30 in Madrid is 21:30 UTC in winter (UTC+1) and 20:30 UTC in summer (UTC+2)
    assert release_at(madrid, utc(2026, 1, 15, 21, 30)) == utc(2026, 1, 16, 6)
    assert release_at(madrid, utc(2026, 7, 15, 20, 30)) == utc(2026, 7, 16, 5)
    # the fixed offset it was chosen with would still think 20:30 UTC is 21:30, not quiet
    assert release_at(Schedule(60, 22, 7), utc(2026, 7, 15, 20, 30)) is None


def test_a_digest_hour_across_the_night_the_clocks_change() -> None:
    madrid = Schedule(60, None, None, 8, "Europe/Madrid")
    # Spain moves to UTC+2 at 01:00 UTC on 29 March 2026: 08:00 that day is 06:00 UTC
    assert release_at(madrid, utc(2026, 3, 28, 12)) == utc(2026, 3, 29, 6)
    lima = Schedule(-300, None, None, 8, "America/Lima")  # no DST: always UTC-5
    assert release_at(lima, utc(2026, 3, 28, 12)) == utc(2026, 3, 28, 13)  # 07:00 there


@pytest.mark.parametrize(
    ("words", "name", "offset"),
    [
        ("tz America/Lima", "America/Lima", -300),
        ("tz europe/madrid", "Europe/Madrid", 120),  # in July
        ("tz Madrid", "Europe/Madrid", 120),
        ("timezone Buenos Aires", "America/Argentina/Buenos_Aires", -180),
        ("tz +2", None, 120),
        ("tz UTC-5", None, -300),
    ],
)
def test_time_zone_words(words: str, name: str | None, offset: int) -> None:
    schedule = apply_words(Schedule(quiet_start=22, quiet_end=7), words, utc(2026, 7, 1, 12))
    assert (schedule.tz_name, schedule.tz_offset_minutes) == (name, offset)
    assert (schedule.quiet_start, schedule.quiet_end) == (22, 7)


def test_an_unknown_zone_is_refused_and_a_zone_is_described_with_its_offset() -> None:
    with pytest.raises(ValueError, match="not a time zone"):
        apply_words(Schedule(), "tz Narnia/Cair_Paravel", 0.0)
    madrid = Schedule(60, None, None, None, "Europe/Madrid")
    assert describe(madrid, utc(2026, 7, 1, 12))[-1] == "🕒 Time zone: Europe/Madrid (UTC+2)"
    assert describe(madrid, utc(2026, 1, 1, 12))[-1] == "🕒 Time zone: Europe/Madrid (UTC+1)"
