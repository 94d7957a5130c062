"""A poll against a fake site: backlog, new articles, pushes, dedupe, failures, 304s."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.classify.classifier import Classifier
from bot.models import SourceSpec, Target, TargetKind
from bot.poller import Poller
from bot.sources.fetch import Fetcher
from bot.storage.sqlite import SqliteStore
from tests.fakes.news_site import FakeArticle, FakeNewsSite

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def story(slug: str, title: str, teaser: str = "") -> FakeArticle:
    return FakeArticle(title=title, teaser=teaser, slug=slug, published=datetime.now(UTC))


@pytest.fixture
async def site() -> AsyncIterator[FakeNewsSite]:
    async with FakeNewsSite() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[SqliteStore]:
    opened = await SqliteStore.open(tmp_path / "poll.db", clock=clock)
    yield opened
    await opened.close()


@pytest.fixture
async def poller(store: SqliteStore, clock: Clock) -> AsyncIterator[Poller]:
    async with httpx.AsyncClient() as client:
        yield Poller(
            store,
            Fetcher(client, max_bytes=1_000_000, timeout_seconds=5),
            Classifier.default(),
            interval_seconds=60,
            concurrency=4,
            digest_threshold=3,
            clock=clock,
        )


async def test_backlog_is_recorded_then_only_new_articles_are_pushed(
    site: FakeNewsSite, store: SqliteStore, poller: Poller, clock: Clock
) -> None:
    site.add(story("old", "Strike In Lima Enters Third Week", "Peruvian miners stay out."))
    await store.sync_sources([SourceSpec("Fake", site.rss_url)])
    await store.upsert_chat(1, "private", "")
    await store.add_subscriptions(1, [PERU])

    first = await poller.poll_once()
    assert (first.new_articles, first.pushes_queued) == (1, 0)

    site.add(story("new", "Peru's Teachers Walk Out", "Teachers across Peru began a strike."))
    site.add(story("fr", "Paris Rally Against Pensions", "French unions marched in Paris."))
    clock.now += 60
    second = await poller.poll_once()
    assert (second.new_articles, second.pushes_queued) == (2, 1)
    (push,) = await store.due_pushes(10)
    assert push.article.title == "Peru's Teachers Walk Out" and push.chat_id == 1
    assert "PE" in push.article.countries

    clock.now += 60
    third = await poller.poll_once()
    assert third.not_modified == 1 and third.new_articles == 0
    assert site.requests_to("/feed/")[-1].get("if-none-match")


async def test_same_article_in_two_feeds_is_stored_and_pushed_once(
    site: FakeNewsSite, store: SqliteStore, poller: Poller, clock: Clock
) -> None:
    await store.sync_sources([SourceSpec("RSS", site.rss_url), SourceSpec("Atom", site.atom_url)])
    await store.upsert_chat(1, "private", "")
    await store.add_subscriptions(1, [PERU])
    await poller.poll_once()
    site.add(story("dup", "Peru Protest Grows", "Peruvians protest in Lima."))
    clock.now += 60
    summary = await poller.poll_once()
    assert (summary.new_articles, summary.pushes_queued) == (1, 1)


async def test_failing_source_backs_off_and_others_keep_working(
    site: FakeNewsSite, store: SqliteStore, poller: Poller, clock: Clock
) -> None:
    site.set_fault("/atom.xml", "500")
    await store.sync_sources(
        [SourceSpec("Good", site.rss_url), SourceSpec("Broken", site.atom_url)]
    )
    site.add(story("a", "Workers Strike In Chile", "Chilean dock workers strike."))
    summary = await poller.poll_once()
    assert (summary.sources_ok, summary.sources_failed, summary.new_articles) == (1, 1, 1)
    broken = next(s for s in await store.list_sources() if s.name == "Broken")
    assert broken.failures == 1 and broken.last_error and "500" in broken.last_error
    assert broken.next_poll_after > clock.now
    requests = len(site.requests_to("/atom.xml"))
    clock.now += 1  # before its backoff ends the broken source is not fetched
    await poller.poll_once()
    assert len(site.requests_to("/atom.xml")) == requests


async def test_many_matches_for_one_chat_share_a_digest_batch(
    site: FakeNewsSite, store: SqliteStore, poller: Poller, clock: Clock
) -> None:
    await store.sync_sources([SourceSpec("Fake", site.rss_url)])
    await store.upsert_chat(1, "private", "")
    await store.add_subscriptions(1, [PERU])
    await poller.poll_once()
    for n in range(5):
        site.add(story(f"p{n}", f"Peru Strike Day {n}", "Peruvian workers strike in Lima."))
    clock.now += 60
    summary = await poller.poll_once()
    assert summary.pushes_queued == 5
    pushes = await store.due_pushes(10)
    assert len({p.batch for p in pushes}) == 1 and pushes[0].batch is not None
