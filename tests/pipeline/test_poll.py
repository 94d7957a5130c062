"""A poll against a fake site: backlog, new articles, pushes, dedupe, failures, 304s."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

import bot.pipeline.poll as poll_module
from bot.classify.classifier import Classifier
from bot.delivery.render import push_html
from bot.models import ParsedPage, SourceKind, SourceRead, SourceSpec, Target, TargetKind
from bot.pipeline.decide import MAX_BACKOFF_SECONDS
from bot.pipeline.poll import Poller
from bot.pipeline.retention import prune
from bot.sources.fetch import Fetcher
from bot.sources.parse import parse_source
from bot.sources.read import ParsePool, read_source
from bot.store.base import Store
from tests.clock import Clock
from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.sources.minisite import MiniSite

PERU = Target(TargetKind.COUNTRY, "PE", "🇵🇪 Peru")


def story(slug: str, title: str, teaser: str = "") -> FakeArticle:
    return FakeArticle(title=title, teaser=teaser, slug=slug, published=datetime.now(UTC))


async def reader_follows_peru(store: Store, site: FakeNewsSite, poller: Poller) -> None:
    """Chat 1 follows Peru; the site's feed is a source whose first poll recorded its backlog."""
    await store.sync_sources([SourceSpec("Fake", site.rss_url)])
    await store.upsert_chat(1, "private", "")
    await store.add_subscriptions(1, [PERU])
    await poller.poll_once()


@pytest.fixture
async def site() -> AsyncIterator[FakeNewsSite]:
    async with FakeNewsSite() as fake:
        yield fake


@pytest.fixture
async def poller(store: Store, clock: Clock) -> AsyncIterator[Poller]:
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
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
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
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
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
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
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
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
) -> None:
    await reader_follows_peru(store, site, poller)
    for n in range(5):
        site.add(story(f"p{n}", f"Peru Strike Day {n}", "Peruvian workers strike in Lima."))
    clock.now += 60
    summary = await poller.poll_once()
    assert summary.pushes_queued == 5
    pushes = await store.due_pushes(10)
    assert len({p.batch for p in pushes}) == 1 and pushes[0].batch is not None


# --- issue 3: faults, politeness, syndication, retention ---------------------------------------


async def test_backoff_doubles_up_to_the_cap_and_resets_on_success(
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
) -> None:
    site.set_fault("/atom.xml", "500")
    await store.sync_sources(
        [SourceSpec("Good", site.rss_url), SourceSpec("Broken", site.atom_url)]
    )
    delays = []
    for attempt in range(1, 12):
        summary = await poller.poll_once()
        assert summary.sources_failed == 1
        broken = next(s for s in await store.list_sources() if s.name == "Broken")
        assert broken.failures == attempt and broken.last_error == "HTTP 500"
        delays.append(broken.next_poll_after - clock.now)
        clock.now = broken.next_poll_after
    assert delays[:4] == [60, 120, 240, 480]
    assert max(delays) == MAX_BACKOFF_SECONDS and delays[-1] == MAX_BACKOFF_SECONDS
    good = next(s for s in await store.list_sources() if s.name == "Good")
    assert good.failures == 0 and good.last_error is None and good.last_ok_at is not None
    site.set_fault("/atom.xml", None)
    await poller.poll_once()
    healed = next(s for s in await store.list_sources() if s.name == "Broken")
    assert (healed.failures, healed.last_error, healed.last_ok_at) == (0, None, clock.now)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of every body parsed, in order: what a poll actually parsed."""
    urls: list[str] = []
    real = parse_source

    def counting(body: bytes, **kwargs: Any) -> ParsedPage:
        urls.append(kwargs["url"])
        return real(body, **kwargs)

    monkeypatch.setattr("bot.sources.read.parse_source", counting)
    return urls


async def test_304_costs_no_parsing(
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock, parsed: list[str]
) -> None:
    site.add(story("a", "Workers Strike In Chile"))
    await store.sync_sources([SourceSpec("RSS", site.rss_url), SourceSpec("Atom", site.atom_url)])
    await poller.poll_once()
    assert len(parsed) == 2
    clock.now += 60
    summary = await poller.poll_once()
    assert summary.not_modified == 2 and len(parsed) == 2  # two 304s, nothing parsed
    assert site.requests_to("/feed/")[-1]["if-none-match"]
    assert site.requests_to("/atom.xml")[-1]["if-modified-since"]


async def test_an_unchanged_body_without_validators_is_not_parsed_again(
    store: Store, poller: Poller, clock: Clock, parsed: list[str]
) -> None:
    item = "<item><title>Strike In Chile</title><link>https://c.example/{n}</link></item>"
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{}</channel></rss>'
    async with MiniSite() as site:  # no ETag, no Last-Modified
        url = site.serve("/feed", feed.format(item.format(n=1)), "application/rss+xml")
        await store.sync_sources([SourceSpec("Plain", url)])
        first = await poller.poll_once()
        clock.now += 60
        second = await poller.poll_once()
        site.serve("/feed", feed.format(item.format(n=1) + item.format(n=2)), "application/rss+xml")
        clock.now += 60
        third = await poller.poll_once()
    assert (first.new_articles, second.not_modified, third.new_articles) == (1, 1, 1)
    assert len(parsed) == 2  # the second poll fetched the same body and did not parse it
    (state,) = await store.list_sources()
    assert state.body_hash is not None and state.failures == 0


async def test_a_parse_over_its_budget_is_that_sources_error_and_backoff(
    site: FakeNewsSite, store: Store, clock: Clock
) -> None:
    # undefined entities send feedparser to its slow parser: seconds for this one
    entry = "<item><title>" + "&zz;" * 1_000_000 + "</title><link>https://s.example/</link></item>"
    slow = f'<?xml version="1.0"?><rss version="2.0"><channel>{entry}</channel></rss>'
    pool = ParsePool(workers=1, timeout_seconds=0.5)
    site.add(story("a", "Workers Strike In Chile", "Chilean dock workers strike."))
    async with MiniSite() as hostile, httpx.AsyncClient() as client:
        url = hostile.serve("/feed", slow, "application/rss+xml")
        await store.sync_sources([SourceSpec("Good", site.rss_url), SourceSpec("Slow", url)])
        poller = Poller(
            store,
            Fetcher(client, max_bytes=10_000_000, timeout_seconds=5),
            Classifier.default(),
            interval_seconds=60,
            concurrency=4,
            digest_threshold=3,
            clock=clock,
            parser=pool,
        )
        try:
            summary = await poller.poll_once()
        finally:
            await poller.close()
    assert (summary.sources_ok, summary.sources_failed, summary.new_articles) == (1, 1, 1)
    assert summary.seconds < 3.0
    slow_state = next(s for s in await store.list_sources() if s.name == "Slow")
    assert slow_state.last_error == "parse took longer than 0.5s"
    assert slow_state.failures == 1 and slow_state.next_poll_after > clock.now
    assert slow_state.body_hash is None  # tried again after the backoff


async def test_per_host_concurrency_is_limited(store: Store, clock: Clock) -> None:
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    async with MiniSite(delay=0.1) as one, MiniSite(delay=0.1) as two:
        specs = []
        for n in range(6):
            specs.append(SourceSpec(f"one-{n}", one.serve(f"/f{n}", feed, "application/rss+xml")))
            specs.append(SourceSpec(f"two-{n}", two.serve(f"/f{n}", feed, "application/rss+xml")))
        await store.sync_sources(specs)
        async with httpx.AsyncClient() as client:
            poller = Poller(
                store,
                Fetcher(client, max_bytes=100_000, timeout_seconds=5),
                Classifier.default(),
                interval_seconds=60,
                concurrency=20,
                digest_threshold=3,
                per_host=2,
                clock=clock,
            )
            summary = await poller.poll_once()
    assert summary.sources_ok == 12
    assert one.max_in_flight == 2 and two.max_in_flight == 2  # and the two hosts overlapped
    assert summary.seconds < 6 * 0.1 * 1.5 + 0.5


async def test_syndicated_story_is_stored_per_source_and_pushed_once_naming_the_others(
    store: Store, poller: Poller, clock: Clock
) -> None:
    async with FakeNewsSite(title="Dispatch") as first, FakeNewsSite(title="Resistance") as second:
        await store.sync_sources(
            [SourceSpec("Dispatch", first.rss_url), SourceSpec("Resistance", second.rss_url)]
        )
        await store.upsert_chat(1, "private", "")
        await store.add_subscriptions(1, [PERU])
        await poller.poll_once()
        first.add(story("s", "Peru's Teachers Walk Out Nationwide", "Teachers across Peru strike."))
        second.add(
            story("t", "Peru\u2019s teachers walk out nationwide!", "Teachers across Peru strike.")
        )
        second.add(story("u", "Chile Dockers Win Contract", "Chilean dock workers won."))
        clock.now += 60
        summary = await poller.poll_once()
        assert (summary.new_articles, summary.pushes_queued) == (3, 1)
        (push,) = await store.due_pushes(10)
        assert push.article.also_in in (("Resistance",), ("Dispatch",))
        assert f"(also in {push.article.also_in[0]})" in push_html(push.article)
        # the copy arriving a poll later is not pushed again either
        async with FakeNewsSite(title="Third") as third:
            third.add(story("v", "Peru's Teachers Walk Out Nationwide", "Teachers strike."))
            await store.sync_sources(
                [
                    SourceSpec("Dispatch", first.rss_url),
                    SourceSpec("Resistance", second.rss_url),
                    SourceSpec("Third", third.rss_url),
                ]
            )
            await poller.poll_once()  # Third's backlog
            third.add(story("w", "PERU'S TEACHERS WALK OUT NATIONWIDE", "Teachers strike."))
            clock.now += 60
            later = await poller.poll_once()
        assert later.new_articles == 1 and later.pushes_queued == 0


async def test_discovered_feed_is_remembered(store: Store, poller: Poller, clock: Clock) -> None:
    async with FakeNewsSite() as site, MiniSite() as home:
        site.add(story("a", "Workers Strike In Chile"))
        url = home.serve(
            "/", f'<link rel="alternate" type="application/rss+xml" href="{site.rss_url}">'
        )
        await store.sync_sources([SourceSpec("Home", url)])
        await poller.poll_once()
        (source,) = await store.list_sources()
        assert source.feed_url == site.rss_url and source.kind is SourceKind.RSS
        assert source.article_count == 1
        clock.now += 60
        await poller.poll_once()
        assert home.requests == ["/"]  # later polls go to the feed, conditionally
        assert site.requests_to("/feed/")[-1].get("if-none-match")


async def test_guarded_source_on_a_private_address_fails_without_a_request(
    site: FakeNewsSite, store: Store, poller: Poller
) -> None:
    await store.add_source(SourceSpec("Sneaky", site.rss_url), guarded=True)
    summary = await poller.poll_once()
    assert summary.sources_failed == 1 and site.requests == []
    (source,) = await store.list_sources()
    assert source.last_error and "non-public address" in source.last_error


async def test_pruned_articles_do_not_come_back_as_news(
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
) -> None:
    await reader_follows_peru(store, site, poller)
    site.add(story("old", "Peru Strike Day One", "Peruvian workers strike in Lima."))
    clock.now += 60
    assert (await poller.poll_once()).pushes_queued == 1
    clock.now += 31 * 86400
    assert await prune(store, retention_days=30, now=clock) == 1
    assert await store.recent_articles(10) == [] and await store.pending_count() == 0
    site.add(story("new", "Chile Dockers Win", "Chilean dock workers won."))  # feed changes
    summary = await poller.poll_once()
    assert summary.new_articles == 1  # only the new one; the pruned one stays forgotten


async def test_a_redirect_to_an_unencodable_host_fails_that_source_only(
    site: FakeNewsSite, store: Store, poller: Poller, clock: Clock
) -> None:
    async with MiniSite() as bad:
        hostile = bad.redirect("/feed/", "http://xn--a.com/")
        await store.sync_sources([SourceSpec("Good", site.rss_url), SourceSpec("Hostile", hostile)])
        site.add(story("a", "Workers Strike In Chile", "Chilean dock workers strike."))
        summary = await poller.poll_once()
    assert (summary.sources_ok, summary.sources_failed, summary.new_articles) == (1, 1, 1)
    hostile_state = next(s for s in await store.list_sources() if s.name == "Hostile")
    assert hostile_state.failures == 1 and hostile_state.next_poll_after > clock.now
    assert hostile_state.last_error and "invalid host name" in hostile_state.last_error


async def test_any_exception_while_reading_one_source_is_its_error_not_the_polls(
    site: FakeNewsSite,
    store: Store,
    poller: Poller,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = read_source

    async def buggy(fetcher: Fetcher, url: str, *args: Any, **kwargs: Any) -> SourceRead:
        if "atom" in url:
            raise KeyError("surprise")
        return await real(fetcher, url, *args, **kwargs)

    monkeypatch.setattr(poll_module, "read_source", buggy)
    await store.sync_sources([SourceSpec("Good", site.rss_url), SourceSpec("Buggy", site.atom_url)])
    site.add(story("a", "Workers Strike In Chile", "Chilean dock workers strike."))
    with caplog.at_level(logging.DEBUG, logger="bot.pipeline.poll"):
        summary = await poller.poll_once()
    assert (summary.sources_ok, summary.sources_failed, summary.new_articles) == (1, 1, 1)
    buggy_state = next(s for s in await store.list_sources() if s.name == "Buggy")
    assert buggy_state.failures == 1 and buggy_state.next_poll_after > clock.now
    assert buggy_state.last_error == "unexpected KeyError: 'surprise'"
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno == logging.DEBUG]
    assert len(tracebacks) == 1 and "Buggy" in tracebacks[0].getMessage()


async def test_an_article_that_breaks_classification_fails_its_source_only(
    site: FakeNewsSite,
    store: Store,
    poller: Poller,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with FakeNewsSite(title="Other") as other:
        await store.sync_sources(
            [SourceSpec("Good", site.rss_url), SourceSpec("Bad", other.rss_url)]
        )
        site.add(story("a", "Workers Strike In Chile", "Chilean dock workers strike."))
        other.add(story("b", "Boom", "This teaser breaks the classifier."))
        other.add(story("c", "Peru Votes", "Peruvians voted."))
        real = Classifier.classify

        def exploding(self: Classifier, title: str, *args: Any, **kwargs: Any) -> Any:
            if title == "Boom":
                raise RecursionError("deep")
            return real(self, title, *args, **kwargs)

        monkeypatch.setattr(Classifier, "classify", exploding)
        summary = await poller.poll_once()
    assert (summary.sources_ok, summary.sources_failed, summary.new_articles) == (1, 1, 1)
    bad = next(s for s in await store.list_sources() if s.name == "Bad")
    assert bad.failures == 1 and bad.last_error == "unexpected RecursionError: deep"
    assert bad.article_count == 0  # none of its articles were stored: they come after the backoff


async def test_recent_stories_are_read_from_the_store_once_then_kept(
    store: Store, poller: Poller, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[float] = []
    real = store.recent_stories

    async def counting(since: float) -> Any:
        reads.append(since)
        return await real(since)

    monkeypatch.setattr(store, "recent_stories", counting)
    async with FakeNewsSite(title="Dispatch") as first, FakeNewsSite(title="Resistance") as second:
        await store.sync_sources(
            [SourceSpec("Dispatch", first.rss_url), SourceSpec("Resistance", second.rss_url)]
        )
        await store.upsert_chat(1, "private", "")
        await store.add_subscriptions(1, [PERU])
        first.add(story("old", "Miners March On Congress In Lima", "Peruvian miners march."))
        await poller.poll_once()  # the backlogs
        first.add(story("s", "Peru's Teachers Walk Out Nationwide", "Teachers across Peru strike."))
        clock.now += 60
        assert (await poller.poll_once()).pushes_queued == 1
        second.add(story("t", "PERU'S TEACHERS WALK OUT NATIONWIDE", "Teachers across Peru."))
        clock.now += 60
        later = await poller.poll_once()
    assert later.new_articles == 1 and later.pushes_queued == 0  # the kept index knew the story
    assert len(reads) == 1
