"""Articles in the store (each backend): newest first, by tag, by page, for /why, and pruning."""

from __future__ import annotations

from dataclasses import replace

from bot.models import PlannedPush, PollIntent, SourceSpec
from bot.store.base import Store
from tests.clock import Clock
from tests.store.builders import article


async def test_recent_articles_newest_first(store: Store, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(PollIntent([], [article(source.id, 1)], []))
    clock.now += 60
    await store.apply(PollIntent([], [article(source.id, 2, countries=("FR",))], []))
    recent = await store.recent_articles(5)
    assert [a.title for a in recent] == ["Article 2", "Article 1"]
    assert recent[0].countries == ("FR",)


async def test_recent_articles_page_back_without_gaps_or_repeats(
    store: Store, clock: Clock
) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    for n in range(7):  # two per moment, so pages split ties; one dated, one not
        if n % 2 == 0:
            clock.now += 60
        dated = replace(article(source.id, n), published_at=None if n % 3 else clock.now - n)
        await store.apply(PollIntent([], [dated], []))
    everything = await store.recent_articles(100)
    pages = []
    last = None
    while page := await store.recent_articles(3, older_than=last):
        pages.append(page)
        last = page[-1]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [a.id for page in pages for a in page] == [a.id for a in everything]


async def test_tagged_articles_come_from_the_tag_index(store: Store, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    tags = [(("PE",), ("labor",)), (("FR",), ("climate",)), (("CL", "PE"), ()), (("DE",), ())]
    for n, (countries, topics) in enumerate(tags):
        clock.now += 60
        await store.apply(PollIntent([], [article(source.id, n, countries, topics=topics)], []))
    titles = [a.title for a in await store.tagged_articles(countries=["PE"], limit=10)]
    assert titles == ["Article 2", "Article 0"]
    found = await store.tagged_articles(countries=["DE"], topics=["climate"], limit=10)
    assert [a.title for a in found] == ["Article 3", "Article 1"]
    assert len(await store.tagged_articles(countries=["PE", "CL"], limit=10)) == 2  # once each
    assert [a.title for a in await store.tagged_articles(topics=["labor", "x"], limit=1)] == [
        "Article 0"
    ]
    assert await store.tagged_articles(limit=10) == []
    assert await store.tagged_articles(countries=["UY"], limit=10) == []


async def test_articles_for_why_keep_their_categories(store: Store) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    tagged = replace(article(source.id, 1), categories=("Perú", "Minería"))
    await store.apply(
        PollIntent([], [tagged, article(source.id, 2)], [PlannedPush(1, tagged.url_norm)])
    )
    (push,) = await store.due_pushes(10)
    await store.mark_sent([push.id], message_id=77)
    (why,) = await store.articles_for_message(1, 77)
    assert (why.title, why.categories, why.countries) == ("Article 1", ("Perú", "Minería"), ("PE",))
    assert await store.articles_for_message(1, 78) == []
    plain = await store.article_by_url("https://example.org/2")
    assert plain is not None and plain.categories == () and plain.topics == ("labor",)
    assert await store.article_by_url("https://example.org/3") is None


async def test_recent_stories_since_a_moment(store: Store, clock: Clock) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/feed")])
    await store.apply(PollIntent([], [article(source.id, 1)], []))
    since = clock.now = clock.now + 60
    await store.apply(PollIntent([], [article(source.id, 2)], []))
    (story,) = await store.recent_stories(since)
    assert (story.url_norm, story.source_id, story.source_name, story.title) == (
        "https://example.org/2",
        source.id,
        "A",
        "Article 2",
    )


async def test_prune_deletes_old_articles_with_tags_and_pushes(store: Store, clock: Clock) -> None:
    await store.upsert_chat(1, "private", "")
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    await store.apply(
        PollIntent([], [article(source.id, 1)], [PlannedPush(1, "https://example.org/1")])
    )
    clock.now += 10 * 86400
    await store.apply(
        PollIntent([], [article(source.id, 2)], [PlannedPush(1, "https://example.org/2")])
    )
    before = clock.now - 5 * 86400
    assert await store.prune_articles(before, forget_pruned_before=clock.now - 20 * 86400) == 1
    assert [a.title for a in await store.recent_articles(10)] == ["Article 2"]
    assert await store.tagged_articles(countries=["PE"], limit=10) != []
    assert len(await store.tagged_articles(countries=["PE"], limit=10)) == 1
    assert await store.pending_count() == 1
    assert await store.unknown_urls(["https://example.org/1", "https://example.org/3"]) == {
        "https://example.org/3"
    }


async def test_pruned_addresses_are_forgotten_at_the_given_moment(
    store: Store, clock: Clock
) -> None:
    (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
    await store.apply(PollIntent([], [article(source.id, 1)], []))
    clock.now += 10
    assert await store.prune_articles(clock.now, forget_pruned_before=0.0) == 1
    assert await store.unknown_urls(["https://example.org/1"]) == set()  # still remembered
    clock.now += 10
    assert await store.prune_articles(clock.now, forget_pruned_before=clock.now - 5) == 0
    assert await store.unknown_urls(["https://example.org/1"]) == {"https://example.org/1"}
