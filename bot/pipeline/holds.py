"""When a chat wants its pushes: right away, after its quiet hours, or in one daily digest."""

from __future__ import annotations

from bot.models import Schedule

HOUR = 3600
DAY = 24 * HOUR


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
