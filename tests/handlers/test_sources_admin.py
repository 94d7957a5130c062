"""/sources, /addsource and /removesource in the real Application, for ADMIN_IDS only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.handlers.harness import Newsbot, open_newsbot

ADMIN = 4242
READER = 111
ADMIN_SETTINGS = {"admin_ids": frozenset({ADMIN}), "fetch_timeout_seconds": 2.0}


@pytest.fixture
async def newsbot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Newsbot]:
    monkeypatch.chdir(tmp_path)
    async with open_newsbot(tmp_path, **ADMIN_SETTINGS) as bot:
        yield bot


@pytest.fixture
async def trusting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Newsbot]:
    """ALLOW_PRIVATE_SOURCES=true: the operator lets /addsource reach 127.0.0.1."""
    monkeypatch.chdir(tmp_path)
    async with open_newsbot(tmp_path, **ADMIN_SETTINGS, allow_private_sources=True) as bot:
        yield bot


@pytest.fixture
async def site() -> AsyncIterator[FakeNewsSite]:
    async with FakeNewsSite(title="Fake Dispatch") as fake:
        fake.add(FakeArticle("Strike In Lima", "Miners stay out.", "a", datetime.now(UTC)))
        yield fake


@pytest.mark.parametrize(
    "command", ["/sources", "/addsource https://x.example/", "/removesource X"]
)
async def test_readers_are_refused(newsbot: Newsbot, command: str) -> None:
    assert await newsbot.reply(command, READER) == "Only the bot's operators can do that."


async def test_sources_shows_health(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/sources", ADMIN)
    assert text.startswith("1 source, 0 failing")
    assert "⏳ Nowhere News — rss · ok never · 0 articles" in text


async def test_addsource_refuses_private_and_loopback_addresses(
    newsbot: Newsbot, site: FakeNewsSite
) -> None:
    for url in (site.rss_url, "http://localhost/feed/", "http://169.254.169.254/"):
        text = await newsbot.reply(f"/addsource {url}", ADMIN)
        assert text.startswith("⛔ Refused:") and "non-public address" in text
    assert site.requests == []
    assert [s.name for s in await newsbot.services.store.list_sources()] == ["Nowhere News"]


async def test_addsource_reads_names_and_stores_then_removesource(
    trusting: Newsbot, site: FakeNewsSite
) -> None:
    text = await trusting.reply(f"/addsource {site.listing_url}", ADMIN)
    assert text.startswith("✅ Added News | Fake Dispatch, read as a listing page: 1 article now")
    added = next(s for s in await trusting.services.store.list_sources() if s.origin == "admin")
    assert (added.url, added.guarded, added.initialized) == (site.listing_url, False, False)
    assert await trusting.reply(f"/addsource {site.listing_url}", ADMIN) == (
        "Already polled as News | Fake Dispatch."
    )
    text = await trusting.reply("/addsource http://127.0.0.1:1/nothing/ Dead", ADMIN)
    assert text.startswith("❌ Not added: could not connect")
    listing = await trusting.reply("/sources", ADMIN)
    assert "News | Fake Dispatch (added here)" in listing

    assert await trusting.reply("/removesource news | fake dispatch", ADMIN) == (
        "🗑 Removed News | Fake Dispatch."
    )
    names = [s.name for s in await trusting.services.store.list_sources()]
    assert names == ["Nowhere News"]
    text = await trusting.reply("/removesource Nowhere News", ADMIN)
    assert "returns when the bot restarts" in text
    assert (
        await trusting.reply("/removesource Nope", ADMIN)
        == "No source named Nope. /sources lists them."
    )


async def test_addsource_usage(newsbot: Newsbot) -> None:
    assert (await newsbot.reply("/addsource", ADMIN)).startswith("Usage: /addsource URL")
    assert (await newsbot.reply("/addsource ftp://x", ADMIN)).startswith("Usage: /addsource URL")


async def test_a_malformed_url_gets_the_usage_line(newsbot: Newsbot) -> None:
    """`/addsource http://[x` is not a URL at all: the admin is told how to use the command."""
    assert (await newsbot.reply("/addsource http://[x", ADMIN)).startswith("Usage: /addsource URL")


async def test_addsource_refuses_a_host_name_idna_rejects(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/addsource http://xn--a.com/", ADMIN)
    assert text.startswith("⛔ Refused: invalid URL"), text


async def test_addsource_on_a_trusting_bot_says_why_such_a_host_is_not_added(
    trusting: Newsbot,
) -> None:
    text = await trusting.reply("/addsource http://xn--a.com/", ADMIN)
    assert text.startswith("❌ Not added:") and "host name" in text, text


async def test_a_reply_never_echoes_a_whole_long_argument(newsbot: Newsbot) -> None:
    tags = "<b>" * 1500
    (answer,) = await newsbot.say(f"/removesource {tags}", ADMIN)
    assert answer.plain_text.startswith("No source named <b><b>")
    assert len(answer.plain_text) < 200
    host = "a" * 5000 + ".example"
    (answer,) = await newsbot.say(f"/addsource https://{host}/feed", ADMIN)
    assert len(answer.plain_text) < 600 and "aaaa" in answer.plain_text


async def test_counts_take_the_right_plural(newsbot: Newsbot) -> None:
    await newsbot.store_articles(("Strike in Lima", ("PE",)))
    text = await newsbot.reply("/sources", ADMIN)
    assert "1 article" in text and "1 articles" not in text


async def test_an_operator_reading_spanish_is_answered_in_spanish(
    trusting: Newsbot, site: FakeNewsSite
) -> None:
    trusting.tg.user_languages[ADMIN] = "es"
    listing = await trusting.reply("/sources", ADMIN)
    assert listing.startswith("1 fuente, 0 con fallas")
    assert "⏳ Nowhere News — rss · ok nunca · 0 artículos" in listing
    assert (await trusting.reply("/addsource", ADMIN)).startswith("Uso: /addsource URL [nombre]")
    added = await trusting.reply(f"/addsource {site.listing_url}", ADMIN)
    assert added.startswith("✅ Agregada News | Fake Dispatch, leída como una página de listado")
    assert "1 artículo ahora" in added
    assert "(agregada aquí)" in await trusting.reply("/sources", ADMIN)
    assert (await trusting.reply("/removesource Nope", ADMIN)).startswith("No hay ninguna fuente")
    removed = await trusting.reply("/removesource Nowhere News", ADMIN)
    assert removed.startswith("🗑 Quitada Nowhere News. Está en el archivo de fuentes")
