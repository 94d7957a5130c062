"""Tests for bot.sources.parse: sniffing a body's kind and dispatching to the right parser."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.models import SourceKind
from bot.sources.parse import detect_kind, parse_source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">', None, SourceKind.RSS),
        (b'<?xml version="1.0"?>\n<!-- generator -->\n<rss version="2.0">', None, SourceKind.RSS),
        (
            b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="/feed.xsl"?><rss>',
            "text/html",
            SourceKind.RSS,
        ),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', None, SourceKind.ATOM),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">', None, SourceKind.RSS),
        (b"<RDF>", None, SourceKind.RSS),
        (codecs.BOM_UTF8 + b"<rss>", None, SourceKind.RSS),
        ("<feed>".encode("utf-16"), None, SourceKind.ATOM),
        (b"  \n<!DOCTYPE html>\n<html lang='en'>", None, SourceKind.HTML),
        (b"<html><body>", "application/rss+xml", SourceKind.HTML),
        (b"<!doctype html><html>", "text/xml", SourceKind.HTML),
        (b"<div>fragment</div>", None, SourceKind.HTML),
        (b"", None, SourceKind.HTML),
        (b"<?xml version='1.0'?><urlset>", "application/atom+xml", SourceKind.ATOM),
        (b"<?xml version='1.0'?><urlset>", "application/rss+xml; charset=utf-8", SourceKind.RSS),
    ],
)
def test_detect_kind(body: bytes, content_type: str | None, expected: SourceKind) -> None:
    assert detect_kind(body, content_type) is expected


@pytest.mark.parametrize(
    ("name", "url", "kind"),
    [
        ("popular_resistance_feed.xml", "https://popularresistance.org/feed/", SourceKind.RSS),
        ("peoples_dispatch_atom.xml", "https://peoplesdispatch.org/feed/atom/", SourceKind.ATOM),
        ("isa_rdf.xml", "https://internationalsocialist.net/feed/rdf", SourceKind.RSS),
        ("isa_latin_america.html", "https://internationalsocialist.net/en/", SourceKind.HTML),
        (
            "popular_resistance_mass_action.html",
            "https://popularresistance.org/category/mass-action/",
            SourceKind.HTML,
        ),
    ],
)
def test_parse_source_detects_and_dispatches(name: str, url: str, kind: SourceKind) -> None:
    body = (FIXTURES / name).read_bytes()
    assert detect_kind(body, None) is kind
    parsed = parse_source(body, url=url, content_type=None, kind=None)
    assert parsed.kind is kind
    assert len(parsed.articles) >= 2


def test_declared_kind_wins_over_sniffing() -> None:
    body = (FIXTURES / "isa_latin_america.html").read_bytes()
    with pytest.raises(ParseError, match="expected a feed but got an HTML page"):
        parse_source(
            body, url="https://example.org/", content_type="text/html", kind=SourceKind.RSS
        )


def test_declared_html_for_a_feed_body_finds_no_articles() -> None:
    body = (FIXTURES / "popular_resistance_feed.xml").read_bytes()
    with pytest.raises(ParseError):
        parse_source(body, url="https://example.org/", content_type=None, kind=SourceKind.HTML)
