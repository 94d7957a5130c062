"""A chat's schedule in the reader's words: parsed from /settings, described back.

A time zone is an IANA name (`America/Lima`, `Europe/Madrid`, or its city alone, `Madrid`),
whose offset follows daylight saving time, or a fixed UTC offset (`+2`, `-5`, `+5:30`).
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import replace

from bot.classify.normalize import fold
from bot.errors import ScheduleError
from bot.i18n import ENGLISH, Translator
from bot.models import Schedule
from bot.pipeline.holds import offset_minutes_at, zone
from bot.text import echo

MIN_OFFSET_MINUTES = 12 * 60  # UTC-12:00 … UTC+14:00 are the zones people live in
MAX_OFFSET_MINUTES = 14 * 60
_HOUR_WORD = re.compile(r"^(\d{1,2})(?::00)?$")
_OFFSET_WORD = re.compile(r"^(?:utc|gmt)?\s*([+-])?\s*(\d{1,2})(?::?(\d{2}))?$")
# the words of /settings, understood in every chat whatever its language (English, Spanish)
SETTING_WORDS = {
    "quiet": ("quiet", "silencio"),
    "digest": ("digest", "resumen"),
    "tz": ("tz", "timezone", "utc", "zona", "huso"),
}
OFF_WORDS = ("off", "none", "no", "apagado", "ninguno", "nada")
_SETTINGS = {word: setting for setting, words in SETTING_WORDS.items() for word in words}


def describe_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def describe_zone(schedule: Schedule, now: float | None = None) -> str:
    """'America/Lima (UTC-5)' for a named zone (its offset at `now`), 'UTC+2' for an offset."""
    if schedule.tz_name is None:
        return describe_offset(schedule.tz_offset_minutes)
    offset = schedule.tz_offset_minutes if now is None else offset_minutes_at(schedule, now)
    return f"{schedule.tz_name} ({describe_offset(offset)})"


def describe(schedule: Schedule, now: float | None = None, tr: Translator = ENGLISH) -> list[str]:
    """The schedule in the reader's words, one line per setting."""
    quiet = (
        f"{schedule.quiet_start:02d}:00-{schedule.quiet_end:02d}:00"
        if schedule.quiet_start is not None and schedule.quiet_end is not None
        else tr.gettext("off")
    )
    delivery = (
        tr.gettext("one digest a day at {hour}").format(hour=f"{schedule.digest_hour:02d}:00")
        if schedule.digest_hour is not None
        else tr.gettext("as articles arrive")
    )
    return [
        tr.gettext("🌙 Quiet hours: {quiet}").format(quiet=quiet),
        tr.gettext("📬 Delivery: {delivery}").format(delivery=delivery),
        tr.gettext("🕒 Time zone: {zone}").format(zone=describe_zone(schedule, now)),
    ]


def _hour(word: str, tr: Translator) -> int:
    match = _HOUR_WORD.match(word)
    if not match or int(match.group(1)) > 23:
        raise ScheduleError(
            tr.gettext("“{word}” is not an hour from 0 to 23").format(word=echo(word))
        )
    return int(match.group(1))


def parse_offset(word: str, tr: Translator = ENGLISH) -> int:
    """'+2', '-5', '+5:30', 'UTC+1', '0' → minutes east of UTC."""
    match = _OFFSET_WORD.match(word.strip().lower())
    if not match:
        raise ScheduleError(
            tr.gettext(
                "“{word}” is not a time zone such as America/Lima, Europe/Madrid, +2 or -5"
            ).format(word=echo(word))
        )
    if int(match.group(3) or 0) > 59:
        raise ScheduleError(tr.gettext("“{word}” has more than 59 minutes").format(word=echo(word)))
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    minutes = -minutes if match.group(1) == "-" else minutes
    if not -MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        raise ScheduleError(tr.gettext("a UTC offset is between -12 and +14 hours"))
    return minutes


_LEGACY_AREAS = ("US/", "Etc/", "SystemV/", "Canada/", "Brazil/", "Chile/", "Mexico/")


@functools.cache
def _zone_names() -> dict[str, str]:
    """Folded name → IANA name: every zone by its full name, and by its city alone.

    A city under two names (America/Buenos_Aires is an old alias of
    America/Argentina/Buenos_Aires) goes to the current one: not a legacy area, the longest.
    """
    names = sorted(zoneinfo.available_timezones())
    cities: dict[str, list[str]] = {}
    for name in names:
        if "/" in name and not name.startswith(_LEGACY_AREAS):
            cities.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), []).append(name)
    found = {city: max(choices, key=len) for city, choices in cities.items()}
    found.update({name.lower(): name for name in names})
    return found


def zone_name(word: str) -> str | None:
    """The IANA name a reader means ('america/lima', 'Madrid', 'Buenos Aires'), or None."""
    key = " ".join(word.split()).lower()
    name = _zone_names().get(key) or _zone_names().get(key.replace(" ", "_"))
    return name if name is not None and zone(name) is not None else None


def parse_zone(schedule: Schedule, word: str, now: float, tr: Translator = ENGLISH) -> Schedule:
    """The schedule with the time zone the word names: an IANA zone, else a UTC offset."""
    name = zone_name(word) if not _OFFSET_WORD.match(word.strip().lower()) else None
    if name is None:
        return replace(schedule, tz_offset_minutes=parse_offset(word, tr), tz_name=None)
    named = replace(schedule, tz_name=name)
    return replace(named, tz_offset_minutes=offset_minutes_at(named, now))


def apply_words(schedule: Schedule, text: str, now: float, tr: Translator = ENGLISH) -> Schedule:
    """Change a schedule from the reader's words: 'quiet 22-7', 'digest 8', 'tz Europe/Madrid'.

    The Spanish words ('silencio 22-7', 'resumen no', 'zona America/Lima') work in any chat.
    """
    word, _, value = text.strip().partition(" ")
    setting, value = _SETTINGS.get(fold(word), word), value.strip()
    off = fold(value) in OFF_WORDS
    if setting == "quiet":
        if off:
            return replace(schedule, quiet_start=None, quiet_end=None)
        start, sep, end = value.replace("\u2013", "-").partition("-")
        if not sep:
            raise ScheduleError(
                tr.gettext("say the quiet hours as start-end, e.g. /settings quiet 22-7")
            )
        first, last = _hour(start.strip(), tr), _hour(end.strip(), tr)
        if first == last:
            raise ScheduleError(tr.gettext("quiet hours need a different start and end"))
        return replace(schedule, quiet_start=first, quiet_end=last)
    if setting == "digest":
        if off:
            return replace(schedule, digest_hour=None)
        return replace(schedule, digest_hour=_hour(value, tr))
    if setting == "tz":
        return parse_zone(schedule, value, now, tr)
    raise ScheduleError(
        tr.gettext(
            "I know three settings: quiet (e.g. quiet 22-7 or quiet off), "
            "digest (e.g. digest 8 or digest off) and tz (e.g. tz America/Lima or tz +2)"
        )
    )
