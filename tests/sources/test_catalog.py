"""Tests for bot.sources.catalog: the sources file and its error messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import BUNDLED_SOURCES
from bot.errors import ConfigError
from bot.models import ListingSelectors, SourceKind, SourceSpec
from bot.sources.catalog import load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_sources_with_and_without_kind(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
# comment
[[source]]
name = "Peoples Dispatch"
url = "https://peoplesdispatch.org/feed/"

[[source]]
name = " Mass Action "
url = "https://popularresistance.org/category/mass-action/"
kind = "HTML"

[[source]]
name = "Atom"
url = "http://example.org/atom.xml"
kind = "atom"
""",
    )
    assert load_sources(path) == [
        SourceSpec("Peoples Dispatch", "https://peoplesdispatch.org/feed/", None),
        SourceSpec(
            "Mass Action", "https://popularresistance.org/category/mass-action/", SourceKind.HTML
        ),
        SourceSpec("Atom", "http://example.org/atom.xml", SourceKind.ATOM),
    ]


def test_bundled_sources_file_loads() -> None:
    specs = load_sources(BUNDLED_SOURCES)
    urls = {spec.url for spec in specs}
    assert "https://popularresistance.org/feed/" in urls
    assert "https://peoplesdispatch.org/feed/" in urls
    assert len(specs) >= 10
    assert all(spec.url.startswith("https://") for spec in specs)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=r"sources file not found: .*nope\.toml"):
        load_sources(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_sources(tmp_path)


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nname = "A"\nurl = "https://a.example/\n')
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert str(path) in message
    assert "invalid TOML" in message
    assert "line 3" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes('[[source]]\nname = "Per\u00fa"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"not UTF-8|invalid TOML"):
        load_sources(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"no \[\[source\]\] entries"),
        ("[[sources]]\nname='a'\nurl='https://a.example/'", r"unknown top-level key 'sources'"),
        ("source = 'x'", "must be an array of tables"),
        ("[[source]]\nurl = 'https://a.example/'", r"source #1: missing 'name'"),
        ("[[source]]\nname = ''\nurl = 'https://a.example/'", r"source #1: 'name' must be"),
        ("[[source]]\nname = 3\nurl = 'https://a.example/'", r"source #1: 'name' must be"),
        ("[[source]]\nname = 'A'", r"source #1 \('A'\): missing 'url'"),
        ("[[source]]\nname = 'A'\nurl = ['x']", r"source #1 \('A'\): 'url' must be"),
        (
            "[[source]]\nname = 'A'\nurl = 'ftp://a.example/feed'",
            r"source #1 \('A'\): 'url' must be an http:// or https:// URL, got 'ftp://a",
        ),
        ("[[source]]\nname = 'A'\nurl = 'a.example/feed'", r"'url' must be an http"),
        ("[[source]]\nname = 'A'\nurl = 'https:///feed'", r"'url' must be an http"),
        ("[[source]]\nname = 'A'\nurl = 'https://a.example:x/'", r"'url' is not a valid URL"),
        (
            "[[source]]\nname = 'A'\nurl = 'https://a.example/'\nkind = 'json'",
            r"source #1 \('A'\): unknown kind 'json' \(use one of \"rss\", \"atom\", \"html\"",
        ),
        ("[[source]]\nname = 'A'\nurl = 'https://a.example/'\nkind = 1", r"unknown kind 1"),
        (
            "[[source]]\nname = 'A'\nurl = 'https://a.example/'\nknid = 'rss'",
            r"source #1 \('A'\): unknown key 'knid'",
        ),
        (
            "[[source]]\nname = 'A'\nurl = 'https://a.example/1'\n"
            "[[source]]\nname = 'B'\nurl = 'https://b.example/'\n"
            "[[source]]\nname = 'a'\nurl = 'https://a.example/2'\n",
            r"source #3 \('a'\): duplicate name, already used by source #1",
        ),
        (
            "[[source]]\nname = 'A'\nurl = 'https://a.example/feed/'\n"
            "[[source]]\nname = 'B'\nurl = 'http://www.a.example/feed'\n",
            r"source #2 \('B'\): duplicate url, already used by source #1",
        ),
    ],
)
def test_invalid_entries_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_sources(path)
    assert str(caught.value).startswith(str(path))


def test_selectors_table_makes_an_html_source(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[source]]
name = "Odd"
url = "https://odd.example/news/"
[source.selectors]
item = ".card"
title = ".hed"
teaser = ".dek"
""",
    )
    (spec,) = load_sources(path)
    assert spec.kind is SourceKind.HTML
    assert spec.selectors == ListingSelectors(item=".card", title=".hed", teaser=".dek")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('title = "h2"', "selectors need 'item'"),
        ('item = ".x"\nheadline = "h2"', "unknown selector 'headline'"),
        ('item = "div["', "selector 'item' is not valid CSS"),
        ("item = 3", "selector 'item' must be a non-empty string"),
    ],
)
def test_bad_selectors_are_named(tmp_path: Path, table: str, message: str) -> None:
    path = write(
        tmp_path,
        f'[[source]]\nname = "Odd"\nurl = "https://odd.example/"\n[source.selectors]\n{table}\n',
    )
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_sources(path)
