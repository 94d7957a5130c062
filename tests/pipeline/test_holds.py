"""Quiet hours and daily digests: when a push queued now may go out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Schedule
from bot.pipeline.holds import next_local_hour, release_at
from bot.query.schedule import describe, describe_offset, parse_offset


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
    assert next_local_hour(at(0), 8, india) == at(2, 30)
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
