"""The command line: classify and poll --once work without a token."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.news_site import FakeArticle, FakeNewsSite
from tests.helpers.cli import newsbot


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
