"""The command line: classify and poll --once work without a token; reports only read."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.models import NewArticle, PlannedPush, PollIntent, SourceSpec
from bot.store.sqlite import SqliteStore
from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.helpers.cli import newsbot
from tests.sources.minisite import MiniSite


async def test_classify_argument_and_stdin(tmp_path: Path) -> None:
    code, out, _ = await newsbot(
        "classify", "Tens of thousands of Peruvians on strike in Lima", cwd=tmp_path
    )
    assert code == 0
    result = json.loads(out)
    assert result["countries"] == ["PE"] and "labor" in result["topics"]

    lines = b"Nurses strike in Madrid hospitals\nFrench unions protest in Paris\n"
    code, out, _ = await newsbot("classify", cwd=tmp_path, stdin=lines)
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["countries"] == ["ES"] and second["countries"] == ["FR"]


async def test_poll_once_prints_one_json_object_per_article(tmp_path: Path) -> None:
    async with FakeNewsSite() as site:
        url = site.add(
            FakeArticle(
                title="Strike Paralyses Lima",
                teaser="Peruvian transport workers stopped the capital.",
                slug="lima-strike",
                published=datetime(2026, 11, 20, 12, tzinfo=UTC),
            )
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "Fake"\nurl = "{site.rss_url}"\n'
            '[[source]]\nname = "Down"\nurl = "http://127.0.0.1:1/feed/"\n'
        )
        code, out, err = await newsbot("poll", "--once", cwd=tmp_path, SOURCES_FILE=str(sources))
    assert code == 0, err
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["url"] == url and record["title"] == "Strike Paralyses Lima"
    assert record["source"] == "Fake" and record["countries"] == ["PE"]
    assert record["published"].startswith("2026-11-20T12:00:00")
    assert set(record) == {"url", "title", "teaser", "source", "published", "countries", "topics"}
    assert "Down" in err  # the broken source is logged, the good one still printed


async def test_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = await newsbot("poll", "--once", cwd=tmp_path, POLL_INTERVAL_SECONDS="0")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()] and "POLL_INTERVAL_SECONDS" in err


async def test_run_without_a_token_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = await newsbot("run", cwd=tmp_path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0]
    assert out == ""


UNREACHABLE: dict[str, Any] = {
    "TELEGRAM_BOT_TOKEN": "123:abc",
    "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
}


async def test_a_bad_database_path_is_one_line_before_any_network_call(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, out, err = await newsbot(
        "run", cwd=tmp_path, DATABASE_URL=f"sqlite:///{blocker}/sub/newsbot.db", **UNREACHABLE
    )
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"newsbot: DATABASE_URL: cannot use {blocker}/sub/newsbot.db: Not a directory "
        f"({blocker}/sub)"
    ]


async def test_a_bad_sources_file_is_named_even_while_telegram_is_down(tmp_path: Path) -> None:
    code, out, err = await newsbot(
        "run", cwd=tmp_path, SOURCES_FILE=str(tmp_path / "missing.toml"), **UNREACHABLE
    )
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"newsbot: sources file not found: {tmp_path}/missing.toml"]


async def test_version_and_settings_that_match_nothing(tmp_path: Path) -> None:
    code, out, _ = await newsbot("--version", cwd=tmp_path)
    assert code == 0 and out.startswith("newsbot 0.")
    (tmp_path / ".env").write_text("POLL_INTERVAL=60\n")
    code, _, err = await newsbot("poll", "--once", cwd=tmp_path, ADMIN_ID="5", SOURCES_FILE="-")
    assert (
        "POLL_INTERVAL is not a setting and is ignored; did you mean POLL_INTERVAL_SECONDS?" in err
    )
    assert "environment variable ADMIN_ID is not a setting; did you mean ADMIN_IDS?" in err


CARDS = """<html><body><div class="wall">
<div class="card"><span class="hed"><a href="/peru-strike/">Miners Strike In Peru</a></span>
<span class="dek">Workers at the Las Bambas mine walked out over pay.</span></div>
<div class="card"><span class="hed"><a href="/chile-vote/">Chile Votes On Pensions</a></span>
<span class="dek">A referendum on the private pension system.</span></div>
</div></body></html>"""


async def test_poll_once_reads_a_selector_source_as_the_bot_does(tmp_path: Path) -> None:
    async with MiniSite() as site:
        url = site.serve("/news/", CARDS)
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "Cards"\nurl = "{url}"\n'
            '[source.selectors]\nitem = ".card"\ntitle = ".hed a"\nteaser = ".dek"\n'
        )
        code, out, err = await newsbot("poll", "--once", cwd=tmp_path, SOURCES_FILE=str(sources))
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["title"] for r in records} == {"Miners Strike In Peru", "Chile Votes On Pensions"}
    peru = next(r for r in records if r["title"].endswith("Peru"))
    assert peru["teaser"].startswith("Workers at the Las Bambas") and peru["countries"] == ["PE"]
    assert not (tmp_path / "data").exists()  # a throwaway store: the bot's database is not made


def _snapshot(db: Path) -> tuple[bytes, list[str]]:
    """The database file's bytes and every row, as another process reads them."""
    connection = sqlite3.connect(db)
    try:
        rows = list(connection.iterdump())
    finally:
        connection.close()
    return db.read_bytes(), rows


async def _bot_database(path: Path) -> None:
    """A database as a running bot leaves it: one source that polled, one article, one push."""
    store = await SqliteStore.open(path)
    try:
        (source,) = await store.sync_sources([SourceSpec("Kept", "https://kept.test/feed/")])
        await store.upsert_chat(7, "private", "")
        article = NewArticle(
            source.id, "https://kept.test/a", "https://kept.test/a", "A", "", None, None, None,
            ("PE",), (),
        )  # fmt: skip
        await store.apply(PollIntent([], [article], [PlannedPush(7, article.url_norm)]))
    finally:
        await store.close()


async def test_sources_and_status_only_read_and_name_the_database(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await _bot_database(db)
    before = _snapshot(db)
    other = tmp_path / "other.toml"  # a sources file the database does not hold
    other.write_text('[[source]]\nname = "Other"\nurl = "https://other.test/feed/"\n')
    env = {"DATABASE_URL": f"sqlite:///{db}", "SOURCES_FILE": str(other)}
    code, out, err = await newsbot("sources", cwd=tmp_path, stdin=b"", **env)
    assert code == 0, err
    assert out.splitlines()[0] == f"database: {db}"
    assert "Kept" in out and "Other" not in out
    code, out, err = await newsbot("status", cwd=tmp_path, stdin=b"", **env)
    assert code == 0, err
    assert out.splitlines()[0] == f"database: {db}"
    assert "Pushes pending: 1" in out
    assert _snapshot(db) == before


async def test_reports_on_a_missing_database_say_so_in_one_line(tmp_path: Path) -> None:
    for command in ("sources", "status"):
        code, out, err = await newsbot(command, cwd=tmp_path, DATABASE_URL="sqlite:///none.db")
        assert code == 2 and out == ""
        assert err.strip().splitlines() == [err.strip()] and "no database at" in err
    assert not (tmp_path / "none.db").exists()
