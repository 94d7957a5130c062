"""When a chat wants its pushes: right away, after its quiet hours, or in one daily digest."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

HOUR = 3600
DAY = 24 * HOUR
MIN_OFFSET_MINUTES = 12 * 60  # UTC-12:00 … UTC+14:00 are the zones people live in
MAX_OFFSET_MINUTES = 14 * 60


@dataclass(frozen=True, slots=True)
class Schedule:
    """A chat's delivery preferences; hours are local to the chat's UTC offset."""

    tz_offset_minutes: int = 0
    quiet_start: int | None = None  # hour the quiet hours begin, e.g. 22
    quiet_end: int | None = None  # hour they end, e.g. 7
    digest_hour: int | None = None  # deliver everything once a day at this hour

    @property
    def immediate(self) -> bool:
        return self.digest_hour is None and self.quiet_start is None

    def quiet_at(self, local_hour: int) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= local_hour < self.quiet_end
        return local_hour >= self.quiet_start or local_hour < self.quiet_end


def next_local_hour(now: float, hour: int, offset_minutes: int) -> float:
    """The next moment after `now` (epoch seconds) when the local clock shows hour:00."""
    local = now + offset_minutes * 60
    start_of_day = local - local % DAY
    moment = start_of_day + hour * HOUR
    if moment <= local:
        moment += DAY
    return moment - offset_minutes * 60


def release_at(schedule: Schedule, now: float) -> float | None:
    """When a push queued at `now` may go out; None means right away."""
    if schedule.digest_hour is not None:
        return next_local_hour(now, schedule.digest_hour, schedule.tz_offset_minutes)
    local_hour = int((now + schedule.tz_offset_minutes * 60) % DAY // HOUR)
    if schedule.quiet_end is not None and schedule.quiet_at(local_hour):
        return next_local_hour(now, schedule.quiet_end, schedule.tz_offset_minutes)
    return None


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


_HOUR_WORD = re.compile(r"^(\d{1,2})(?::00)?$")
_OFFSET_WORD = re.compile(r"^(?:utc|gmt)?\s*([+-])?\s*(\d{1,2})(?::?(\d{2}))?$")


def _hour(word: str) -> int:
    match = _HOUR_WORD.match(word)
    if not match or int(match.group(1)) > 23:
        raise ValueError(f"“{word}” is not an hour from 0 to 23")
    return int(match.group(1))


def parse_offset(word: str) -> int:
    """'+2', '-5', '+5:30', 'UTC+1', '0' → minutes east of UTC."""
    match = _OFFSET_WORD.match(word.strip().lower())
    if not match:
        raise ValueError(f"“{word}” is not a UTC offset such as +2, -5 or +5:30")
    if int(match.group(3) or 0) > 59:
        raise ValueError(f"“{word}” has more than 59 minutes")
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    minutes = -minutes if match.group(1) == "-" else minutes
    if not -MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        raise ValueError("a UTC offset is between -12 and +14 hours")
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
            raise ValueError("say the quiet hours as start-end, e.g. /settings quiet 22-7")
        first, last = _hour(start.strip()), _hour(end.strip())
        if first == last:
            raise ValueError("quiet hours need a different start and end")
        return replace(schedule, quiet_start=first, quiet_end=last)
    if setting == "digest":
        if value in ("off", "none", "no"):
            return replace(schedule, digest_hour=None)
        return replace(schedule, digest_hour=_hour(value))
    if setting in ("tz", "timezone", "utc"):
        return replace(schedule, tz_offset_minutes=parse_offset(value))
    raise ValueError(
        "I know three settings: quiet (e.g. quiet 22-7 or quiet off), "
        "digest (e.g. digest 8 or digest off) and tz (e.g. tz +2)"
    )
