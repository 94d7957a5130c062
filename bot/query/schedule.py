"""A chat's schedule in the reader's words: parsed from /settings, described back."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.errors import ScheduleError
from bot.models import Schedule

MIN_OFFSET_MINUTES = 12 * 60  # UTC-12:00 … UTC+14:00 are the zones people live in
MAX_OFFSET_MINUTES = 14 * 60
_HOUR_WORD = re.compile(r"^(\d{1,2})(?::00)?$")
_OFFSET_WORD = re.compile(r"^(?:utc|gmt)?\s*([+-])?\s*(\d{1,2})(?::?(\d{2}))?$")


def describe_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def describe(schedule: Schedule) -> list[str]:
    """The schedule in the reader's words, one line per setting."""
    quiet = (
        f"{schedule.quiet_start:02d}:00-{schedule.quiet_end:02d}:00"
        if schedule.quiet_start is not None and schedule.quiet_end is not None
        else "off"
    )
    delivery = (
        f"one digest a day at {schedule.digest_hour:02d}:00"
        if schedule.digest_hour is not None
        else "as articles arrive"
    )
    return [
        f"🌙 Quiet hours: {quiet}",
        f"📬 Delivery: {delivery}",
        f"🕒 Time zone: {describe_offset(schedule.tz_offset_minutes)}",
    ]


def _hour(word: str) -> int:
    match = _HOUR_WORD.match(word)
    if not match or int(match.group(1)) > 23:
        raise ScheduleError(f"“{word}” is not an hour from 0 to 23")
    return int(match.group(1))


def parse_offset(word: str) -> int:
    """'+2', '-5', '+5:30', 'UTC+1', '0' → minutes east of UTC."""
    match = _OFFSET_WORD.match(word.strip().lower())
    if not match:
        raise ScheduleError(f"“{word}” is not a UTC offset such as +2, -5 or +5:30")
    if int(match.group(3) or 0) > 59:
        raise ScheduleError(f"“{word}” has more than 59 minutes")
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    minutes = -minutes if match.group(1) == "-" else minutes
    if not -MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        raise ScheduleError("a UTC offset is between -12 and +14 hours")
    return minutes


def apply_words(schedule: Schedule, text: str) -> Schedule:
    """Change a schedule from the reader's words: 'quiet 22-7', 'digest 8', 'tz +2', '… off'."""
    setting, _, value = text.strip().lower().partition(" ")
    value = value.strip()
    if setting == "quiet":
        if value in ("off", "none", "no"):
            return replace(schedule, quiet_start=None, quiet_end=None)
        start, sep, end = value.replace("\u2013", "-").partition("-")
        if not sep:
            raise ScheduleError("say the quiet hours as start-end, e.g. /settings quiet 22-7")
        first, last = _hour(start.strip()), _hour(end.strip())
        if first == last:
            raise ScheduleError("quiet hours need a different start and end")
        return replace(schedule, quiet_start=first, quiet_end=last)
    if setting == "digest":
        if value in ("off", "none", "no"):
            return replace(schedule, digest_hour=None)
        return replace(schedule, digest_hour=_hour(value))
    if setting in ("tz", "timezone", "utc"):
        return replace(schedule, tz_offset_minutes=parse_offset(value))
    raise ScheduleError(
        "I know three settings: quiet (e.g. quiet 22-7 or quiet off), "
        "digest (e.g. digest 8 or digest off) and tz (e.g. tz +2)"
    )
