"""Source health for operators: the table of `newsbot sources` and the /sources lines."""

from __future__ import annotations

from pathlib import Path

from bot.delivery.source_report import ago, summary_line, table
from bot.models import SourceKind, SourceState
from tests.helpers.cli import newsbot

NOW = 1_000_000.0


def state(name: str, **changes: object) -> SourceState:
    fields: dict[str, object] = {
        "id": 1,
        "name": name,
        "url": "https://x.example/feed/",
        "kind": SourceKind.RSS,
        "initialized": True,
        "etag": None,
        "last_modified": None,
        "last_polled_at": NOW - 60,
        "last_ok_at": NOW - 60,
        "last_error": None,
        "failures": 0,
        "next_poll_after": 0.0,
        "article_count": 12,
    }
    fields.update(changes)
    return SourceState(**fields)  # type: ignore[arg-type]


def test_ago() -> None:
    assert [ago(None, NOW), ago(NOW - 5, NOW), ago(NOW - 300, NOW), ago(NOW - 7300, NOW)] == [
        "never",
        "just now",
        "5m ago",
        "2h ago",
    ]
    assert ago(NOW - 3 * 86400, NOW) == "3d ago"


def test_table_and_lines() -> None:
    sources = [
        state("Good"),
        state(
            "Broken Site",
            kind=SourceKind.HTML,
            feed_url="https://b.example/feed/",
            last_ok_at=NOW - 86400,
            last_error="HTTP 500",
            failures=3,
            article_count=0,
        ),
    ]
    assert table(sources, NOW).splitlines() == [
        "name         kind          last ok  last error  failures  articles",
        "Good         rss           1m ago                      0        12",
        "Broken Site  html (found)  1d ago   HTTP 500           3         0",
    ]
    assert summary_line(sources[1], NOW) == (
        "❌ Broken Site — html (found) · ok 1d ago · failed 3 times: HTTP 500 · 0 articles"
    )


async def test_newsbot_sources_prints_the_table(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nname = "Nowhere"\nurl = "http://127.0.0.1:1/feed/"\nkind = "rss"\n'
    )
    code, out, err = await newsbot(
        "sources",
        cwd=tmp_path,
        SOURCES_FILE=str(tmp_path / "sources.toml"),
        DATABASE_URL="sqlite:///t.db",
    )
    assert code == 0, err
    assert out.splitlines() == [
        "name     kind  last ok  last error  failures  articles",
        "Nowhere  rss   never                       0         0",
    ]
