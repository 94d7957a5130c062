"""Identity and dedupe: one article per normalised URL, in a page and across a poll's sources."""

from __future__ import annotations

from bot.pipeline.identity import article_key, first_listed, fresh, unique
from tests.pipeline.builders import parsed


def test_the_key_ignores_tracking_and_fragments() -> None:
    plain = parsed("lima-strike")
    tracked = parsed("lima-strike").__class__(
        url=plain.url + "?utm_source=feed#respond", title="x", teaser=""
    )
    assert article_key(tracked) == article_key(plain)


def test_unique_keeps_the_first_place_and_prefers_a_copy_with_a_teaser() -> None:
    bare = parsed("a", "A")
    full = parsed("a", "A again", "with teaser")
    other = parsed("b", "B")
    assert unique([bare, other, full]) == [full, other]
    assert unique([full, bare]) == [full]  # a bare copy never replaces one with a teaser


def test_first_listed_takes_each_article_from_the_first_source_oldest_first() -> None:
    newest, oldest, shared = parsed("new"), parsed("old"), parsed("shared")
    found = first_listed([("first", [newest, shared, oldest]), ("second", [shared])])
    assert list(found) == [article_key(a) for a in (oldest, shared, newest)]
    assert found[article_key(shared)][0] == "first"


def test_fresh_keeps_only_what_the_store_does_not_know() -> None:
    known, new = parsed("known"), parsed("new")
    found = first_listed([("s", [new, known])])
    assert list(fresh(found, {article_key(new)})) == [article_key(new)]
    assert fresh(found, set()) == {}
