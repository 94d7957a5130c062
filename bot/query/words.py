"""Reading a reader's whole input: one boolean filter, or comma-separated terms.

Used alike by /subscribe, /latest and `newsbot resolve`, so all three understand the same words.
"""

from __future__ import annotations

from bot.models import Target, Unresolved, UnresolvedReason
from bot.query.filters import FilterError, looks_like_filter, parse_filter
from bot.query.resolver import Resolver, as_json, split_terms

FILTER_HELP = (
    "Filters combine countries, topics and words with AND, OR, NOT (or -word) and "
    "parentheses, e.g. /subscribe Peru AND (strike OR protest) -football"
)


def resolve_all(resolver: Resolver, text: str) -> tuple[list[Target], list[Unresolved]]:
    """Everything a reader asked for: a filter is one target, else each comma-separated term."""
    if looks_like_filter(text):  # "Peru AND (strike OR protest) -football": one subscription
        try:
            return [parse_filter(resolver, text)], []
        except FilterError as exc:
            return [], [Unresolved(text, UnresolvedReason.BAD_FILTER, f"{exc} {FILTER_HELP}")]
    targets: list[Target] = []
    unresolved: list[Unresolved] = []
    for term in split_terms(text):
        result = resolver.resolve(term)
        if isinstance(result, Target):
            if result not in targets:
                targets.append(result)
        else:
            unresolved.append(result)
    return targets, unresolved


def resolve_line(resolver: Resolver, text: str) -> dict[str, object]:
    """One whole input (as typed after /subscribe) as the CLI prints it, filters included."""
    try:
        if looks_like_filter(text):
            try:
                found = parse_filter(resolver, text)
            except FilterError as exc:
                return {"error": f"{exc} {FILTER_HELP}", "suggestions": []}
            return {"filter": found.label.split(" ", 1)[-1]}
        return as_json(resolver.resolve(text))
    except RecursionError:  # defensive: whatever the input, the CLI never crashes
        return {"error": "I could not read that.", "suggestions": []}
