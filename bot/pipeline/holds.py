"""When a chat wants its pushes: right away, after its quiet hours, or in one daily digest.

A chat's hours are local to its IANA time zone when it named one (so they follow daylight
saving time), else to its fixed UTC offset.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import Schedule


@functools.lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or None when this machine's time zone data lacks it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def chat_clock(schedule: Schedule) -> tzinfo:
    """The chat's clock: its named zone, else (or if the name is unknown here) its offset."""
    named = zone(schedule.tz_name) if schedule.tz_name else None
    return named or timezone(timedelta(minutes=schedule.tz_offset_minutes))


def offset_minutes_at(schedule: Schedule, now: float) -> int:
    """The chat's offset from UTC at `now` (epoch seconds), daylight saving time included."""
    offset = datetime.fromtimestamp(now, chat_clock(schedule)).utcoffset()
    return 0 if offset is None else int(offset.total_seconds() // 60)


def next_local_hour(schedule: Schedule, now: float, hour: int) -> float:
    """The next moment after `now` when the chat's clock shows hour:00, across DST changes."""
    clock = chat_clock(schedule)
    day = datetime.fromtimestamp(now, clock).date()
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=clock).timestamp()
    while moment <= now:  # at most twice: a DST change can skip a day's hour:00
        day += timedelta(days=1)
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=clock).timestamp()
    return moment


def release_at(schedule: Schedule, now: float) -> float | None:
    """When a push queued at `now` may go out; None means right away."""
    if schedule.digest_hour is not None:
        return next_local_hour(schedule, now, schedule.digest_hour)
    local_hour = datetime.fromtimestamp(now, chat_clock(schedule)).hour
    if schedule.quiet_end is not None and schedule.quiet_at(local_hour):
        return next_local_hour(schedule, now, schedule.quiet_end)
    return None
