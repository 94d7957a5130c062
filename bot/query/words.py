"""Reading a reader's whole input: one boolean filter, or comma-separated terms.

Used alike by /subscribe, /latest and `newsbot resolve`, so all three understand the same words.
"""

from __future__ import annotations

from bot.i18n import ENGLISH, N_, Translator
from bot.models import Target, Unresolved, UnresolvedReason
from bot.query.filters import FilterError, looks_like_filter, parse_filter
from bot.query.resolver import (
    MAX_TERMS,
    Reading,
    Resolver,
    as_json,
    split_all_terms,
    split_terms,
)

FILTER_HELP = N_(
    "Filters combine countries, topics and words with AND, OR, NOT (or -word) and "
    "parentheses, e.g. /subscribe Peru AND (strike OR protest) -football"
)


def read_all(
    resolver: Resolver, text: str, *, keyword_hint: bool = True, tr: Translator = ENGLISH
) -> list[Reading]:
    """Everything a reader asked for, in order: a filter is one target, else each term.

    `keyword_hint=False` leaves "send /subscribe keyword …" out of unknown words' messages;
    messages and a filter's label are in `tr`'s language.
    """
    if looks_like_filter(text):  # "Peru AND (strike OR protest) -football": one subscription
        try:
            return [Reading(parse_filter(resolver, text, tr))]
        except FilterError as exc:
            message = f"{exc} {tr.gettext(FILTER_HELP)}"
            return [Reading(Unresolved(text, UnresolvedReason.BAD_FILTER, message))]
    terms = split_terms(text)
    if not terms and text.strip():  # "???": say there is no word, rather than nothing
        return [resolver.read(text, keyword_hint=keyword_hint, tr=tr)]
    return [resolver.read(term, keyword_hint=keyword_hint, tr=tr) for term in terms]


def dropped_terms(text: str) -> list[str]:
    """The terms past MAX_TERMS, which one command does not read (a filter drops none)."""
    return [] if looks_like_filter(text) else split_all_terms(text)[MAX_TERMS:]


def resolve_all(
    resolver: Resolver, text: str, tr: Translator = ENGLISH
) -> tuple[list[Target], list[Unresolved]]:
    """The targets (each once) and the unresolved terms of a reader's input."""
    return split_readings(read_all(resolver, text, tr=tr))


def split_readings(readings: list[Reading]) -> tuple[list[Target], list[Unresolved]]:
    """The targets, each once, apart from the terms that did not resolve."""
    targets: list[Target] = []
    unresolved: list[Unresolved] = []
    for reading in readings:
        result = reading.result
        if isinstance(result, Target):
            if result not in targets:
                targets.append(result)
        else:
            unresolved.append(result)
    return targets, unresolved


def notes(readings: list[Reading]) -> list[str]:
    """How loosely read terms were taken ("Argentna → 🇦🇷 Argentina"), for the reply."""
    return [reading.note for reading in readings if reading.note]


def resolve_line(resolver: Resolver, text: str) -> dict[str, object]:
    """One whole input (as typed after /subscribe) as the CLI prints it, filters included."""
    try:
        if looks_like_filter(text):
            try:
                found = parse_filter(resolver, text)
            except FilterError as exc:
                return {"error": f"{exc} {FILTER_HELP}", "suggestions": []}
            return {"filter": found.label.split(" ", 1)[-1]}
        reading = resolver.read(text)
        out = as_json(reading.result)
        if reading.note:
            out["read_as"] = reading.note
        return out
    except RecursionError:  # defensive: whatever the input, the CLI never crashes
        return {"error": "I could not read that.", "suggestions": []}
