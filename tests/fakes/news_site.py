"""A fake WordPress-style news site for source and end-to-end tests.

Owns an aiohttp app on 127.0.0.1 that serves one mutable list of articles as RSS 2.0
(``/feed/``), Atom (``/atom.xml``), an HTML category listing (``/category/news/``) and one
page per article (``/YYYY/MM/DD/slug/``); conditional GET (ETag, Last-Modified, 304); a log of
requests; and per-path faults for robustness tests.

Faults (:meth:`FakeNewsSite.set_fault`):

- ``"500"`` / ``"404"``: that status with a small HTML body.
- ``"malformed"``: the document cut off halfway (invalid XML/HTML), status 200.
- ``"slow"``: the body trickles one byte every ``slow_interval`` seconds (default 1.0).
- ``"huge"``: a valid document padded with an XML/HTML comment to ``huge_bytes`` (default
  20 MiB), streamed chunked without Content-Length.
- ``"redirect"``: 302 to ``/moved<path>``, which serves the same document.
- ``"gzip"``: the body gzip-compressed with ``Content-Encoding: gzip`` whatever the client asked.
- ``"latin1"``: the body encoded as ISO-8859-1 (characters outside it become ``&#N;``), declared
  in the XML declaration or ``<meta charset>``, and no charset in Content-Type.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import html
import itertools
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Literal

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

Fault = Literal["500", "404", "malformed", "slow", "huge", "redirect", "gzip", "latin1"]
FAULTS: frozenset[str] = frozenset(
    {"500", "404", "malformed", "slow", "huge", "redirect", "gzip", "latin1"}
)

SITE_TITLE = "Fake News Site"
_ARTICLE_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/([^/]+)/")
_CHUNK = 64 * 1024


@dataclass
class FakeArticle:
    """One post; published must be timezone-aware."""

    title: str
    teaser: str
    slug: str
    published: datetime
    categories: tuple[str, ...] = ()
    body: str = ""
    """Extra paragraph for the article page only."""
    author: str = "Staff Reporter"


@dataclass(frozen=True)
class _Document:
    """A rendered output, before encoding and faults."""

    text: str
    content_type: str


def _esc(text: str) -> str:
    """Escape for XML text, XML attributes and HTML alike."""
    return html.escape(text, quote=True)


def _http_date(moment: datetime) -> str:
    """RFC 1123 date, as in Last-Modified and RSS pubDate."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _human_date(moment: datetime) -> str:
    """WordPress's default 'March 5, 2024'."""
    return f"{moment:%B} {moment.day}, {moment.year}"


class FakeNewsSite(LoopbackServer):
    """A loopback news site whose articles, outputs and failures a test controls."""

    cancel_handlers_on_disconnect = True  # slow and huge bodies stop with the client

    def __init__(self, *, title: str = SITE_TITLE) -> None:
        self.title = title
        super().__init__()
        self.requests: list[tuple[str, dict[str, str]]] = []
        """(path, headers with lower-cased names) for every request, faulted ones included."""
        self._requested = asyncio.Condition()
        self.slow_interval = 1.0
        self.huge_bytes = 20 * 1024 * 1024
        self._articles: dict[str, FakeArticle] = {}
        self._post_ids: dict[str, int] = {}
        self._order = itertools.count(1)
        self._added: dict[str, int] = {}
        self._faults: dict[str, str] = {}
        self._modified_at = datetime.now(UTC).replace(microsecond=0)

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def rss_url(self) -> str:
        """Absolute URL of the RSS 2.0 feed."""
        return f"{self.base_url}/feed/"

    @property
    def atom_url(self) -> str:
        """Absolute URL of the Atom feed."""
        return f"{self.base_url}/atom.xml"

    @property
    def listing_url(self) -> str:
        """Absolute URL of the HTML category page."""
        return f"{self.base_url}/category/news/"

    # -- content -------------------------------------------------------------------------------

    def add(self, article: FakeArticle) -> str:
        """Publish an article (or replace one with the same slug); return its absolute URL."""
        if article.published.tzinfo is None:
            raise ValueError("FakeArticle.published must be timezone-aware")
        article = replace(article, published=article.published.astimezone(UTC))
        if article.slug not in self._articles:
            self._post_ids[article.slug] = 100 + len(self._post_ids)
            self._added[article.slug] = next(self._order)
        self._articles[article.slug] = article
        self._touch()
        return self.url_of(article.slug)

    def remove(self, slug: str) -> None:
        """Unpublish an article."""
        del self._articles[slug]
        self._touch()

    @property
    def articles(self) -> list[FakeArticle]:
        """Current articles, newest first (ties: last added first), as every output lists them."""
        return sorted(
            self._articles.values(),
            key=lambda a: (a.published, self._added[a.slug]),
            reverse=True,
        )

    def url_of(self, slug: str) -> str:
        """Absolute URL of an article page."""
        return f"{self.base_url}{self._path_of(self._articles[slug])}"

    def guid_of(self, slug: str) -> str:
        """The RSS guid / Atom id: WordPress's permalink-independent ?p=ID."""
        return f"{self.base_url}/?p={self._post_ids[slug]}"

    def set_fault(self, path: str, fault: Fault | None) -> None:
        """Make one path (e.g. "/feed/") misbehave as in the module docstring; None heals it."""
        if fault is None:
            self._faults.pop(path, None)
            return
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {sorted(FAULTS)}")
        self._faults[path] = fault

    def requests_to(self, path: str) -> list[dict[str, str]]:
        """Headers of every request to one path, for asserting conditional GET."""
        return [headers for p, headers in self.requests if p == path]

    async def wait_for_requests(self, path: str, count: int, deadline: float = 15.0) -> None:
        """Wait until `path` has been requested `count` times in all, so 'nothing came' means it."""
        async with asyncio.timeout(deadline), self._requested:
            await self._requested.wait_for(lambda: len(self.requests_to(path)) >= count)

    def _touch(self) -> None:
        """Advance Last-Modified strictly, so same-second edits still invalidate caches."""
        now = datetime.now(UTC).replace(microsecond=0)
        self._modified_at = max(now, self._modified_at + timedelta(seconds=1))

    @staticmethod
    def _path_of(article: FakeArticle) -> str:
        """WordPress's /YYYY/MM/DD/slug/ permalink."""
        return f"{article.published:/%Y/%m/%d}/{article.slug}/"

    # -- rendering -----------------------------------------------------------------------------

    def _render(self, path: str, encoding: str) -> _Document | None:
        """The document at path, or None."""
        if path == "/feed/":
            return _Document(self._rss(encoding), "application/rss+xml")
        if path == "/atom.xml":
            return _Document(self._atom(encoding), "application/atom+xml")
        if path == "/category/news/":
            return _Document(self._listing(encoding), "text/html")
        match = _ARTICLE_PATH.fullmatch(path)
        if match:
            article = self._articles.get(match.group(4))
            if article is not None and self._path_of(article) == path:
                return _Document(self._page(article, encoding), "text/html")
        return None

    def _rss(self, encoding: str) -> str:
        """RSS 2.0 shaped like WordPress's feed."""
        base = self.base_url
        items = []
        for a in self.articles:
            url = f"{base}{self._path_of(a)}"
            categories = "".join(f"<category>{_esc(c)}</category>" for c in a.categories)
            items.append(
                f"<item>\n<title>{_esc(a.title)}</title>\n<link>{_esc(url)}</link>\n"
                f"<dc:creator>{_esc(a.author)}</dc:creator>\n"
                f"<pubDate>{_http_date(a.published)}</pubDate>\n{categories}\n"
                f'<guid isPermaLink="false">{_esc(self.guid_of(a.slug))}</guid>\n'
                f"<description><![CDATA[<p>{_esc(a.teaser)}</p>]]></description>\n</item>"
            )
        return (
            f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
            f"<title>{_esc(self.title)}</title>\n"
            f'<atom:link href="{base}/feed/" rel="self" type="application/rss+xml"/>\n'
            f"<link>{base}/</link>\n<description>News from nowhere</description>\n"
            f"<lastBuildDate>{_http_date(self._modified_at)}</lastBuildDate>\n"
            "<language>en-US</language>\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
        )

    def _atom(self, encoding: str) -> str:
        """An Atom 1.0 feed of the same articles."""
        base = self.base_url
        entries = []
        for a in self.articles:
            url = f"{base}{self._path_of(a)}"
            categories = "".join(f'<category term="{_esc(c)}"/>' for c in a.categories)
            entries.append(
                f'<entry>\n<title type="text">{_esc(a.title)}</title>\n'
                f'<link rel="alternate" type="text/html" href="{_esc(url)}"/>\n'
                f"<id>{_esc(self.guid_of(a.slug))}</id>\n"
                f"<published>{a.published.isoformat()}</published>\n"
                f"<updated>{a.published.isoformat()}</updated>\n"
                f"<author><name>{_esc(a.author)}</name></author>\n{categories}\n"
                f'<summary type="text">{_esc(a.teaser)}</summary>\n</entry>'
            )
        return (
            f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US">\n'
            f'<title type="text">{_esc(self.title)}</title>\n'
            f"<id>{base}/</id>\n<updated>{self._modified_at.isoformat()}</updated>\n"
            f'<link rel="self" type="application/atom+xml" href="{base}/atom.xml"/>\n'
            f'<link rel="alternate" type="text/html" href="{base}/"/>\n'
            + "\n".join(entries)
            + "\n</feed>\n"
        )

    def _chrome(self, encoding: str, title: str, body_class: str, main: str, head: str) -> str:
        """The page around the content: nav header, fundraising block, footer (not articles)."""
        return (
            f'<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="{encoding}">\n'
            f"<title>{_esc(title)}</title>\n"
            f'<link rel="alternate" type="application/rss+xml" href="{self.base_url}/feed/">\n'
            f'{head}</head>\n<body class="{body_class}">\n'
            '<header id="masthead" class="site-header">\n'
            f'<p class="site-title"><a href="{self.base_url}/" rel="home">'
            f"{_esc(self.title)}</a></p>\n"
            '<nav id="site-navigation" class="main-navigation"><ul class="menu">'
            f'<li><a href="{self.base_url}/">Home</a></li>'
            f'<li><a href="{self.base_url}/category/news/">News</a></li>'
            f'<li><a href="{self.base_url}/about/">About us</a></li></ul></nav>\n</header>\n'
            f'<main id="main" class="site-main">\n{main}\n</main>\n'
            '<aside class="fundraising widget">\n'
            f'<h2 class="widget-title"><a href="{self.base_url}/donate/">'
            "Support independent journalism</a></h2>\n"
            "<p>We rely on readers like you. Continue Reading our appeal.</p>\n"
            f'<a class="button" href="{self.base_url}/donate/">Donate now</a>\n</aside>\n'
            '<footer id="colophon" class="site-footer"><p>&copy; '
            f"{_esc(self.title)}. All rights reserved.</p>"
            f'<a href="{self.base_url}/privacy/">Privacy</a></footer>\n</body>\n</html>\n'
        )

    def _listing(self, encoding: str) -> str:
        """The category archive: one <article> block per post."""
        blocks = []
        for a in self.articles:
            url = _esc(f"{self.base_url}{self._path_of(a)}")
            post_id = self._post_ids[a.slug]
            cats = " ".join(f"category-{_esc(c.lower().replace(' ', '-'))}" for c in a.categories)
            blocks.append(
                f'<article id="post-{post_id}" class="post-{post_id} post type-post '
                f'status-publish format-standard hentry {cats}">\n'
                '<header class="entry-header">\n'
                f'<h2 class="entry-title"><a href="{url}" rel="bookmark">{_esc(a.title)}</a></h2>\n'
                '<div class="entry-meta"><time class="entry-date published" '
                f'datetime="{a.published.isoformat()}">{_human_date(a.published)}</time></div>\n'
                "</header>\n"
                f'<div class="entry-summary"><p>{_esc(a.teaser)}</p></div>\n'
                f'<a class="more-link" href="{url}">Continue Reading</a>\n</article>'
            )
        main = (
            '<header class="page-header"><h1 class="page-title">Category: News</h1></header>\n'
            + "\n".join(blocks)
            + '\n<nav class="navigation pagination"><a class="next page-numbers" '
            f'href="{self.base_url}/category/news/page/2/">Older posts</a></nav>'
        )
        return self._chrome(
            encoding, f"News | {self.title}", "archive category category-news", main, ""
        )

    def _page(self, article: FakeArticle, encoding: str) -> str:
        """A single post page with OpenGraph metadata."""
        url = _esc(f"{self.base_url}{self._path_of(article)}")
        iso = article.published.isoformat()
        head = (
            f'<link rel="canonical" href="{url}">\n'
            f'<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{_esc(article.title)}">\n'
            f'<meta property="og:description" content="{_esc(article.teaser)}">\n'
            f'<meta property="og:url" content="{url}">\n'
            f'<meta property="article:published_time" content="{iso}">\n'
        )
        body = f"<p>{_esc(article.body)}</p>" if article.body else ""
        main = (
            f'<article id="post-{self._post_ids[article.slug]}" class="post type-post">\n'
            f'<header class="entry-header"><h1 class="entry-title">{_esc(article.title)}</h1>\n'
            f'<div class="entry-meta"><time class="entry-date published" datetime="{iso}">'
            f"{_human_date(article.published)}</time> by "
            f'<span class="author">{_esc(article.author)}</span></div></header>\n'
            f'<div class="entry-content"><p>{_esc(article.teaser)}</p>{body}</div>\n'
            '<footer class="entry-footer"><span class="cat-links">'
            + ", ".join(f'<a rel="category tag">{_esc(c)}</a>' for c in article.categories)
            + "</span></footer>\n</article>"
        )
        return self._chrome(
            encoding, f"{article.title} | {self.title}", "single single-post", main, head
        )

    # -- HTTP ----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Log the request, apply the path's fault, serve the document with conditional GET."""
        path = request.path
        self.requests.append((path, {k.lower(): v for k, v in request.headers.items()}))
        async with self._requested:
            self._requested.notify_all()
        fault = self._faults.get(path)
        if fault in ("500", "404"):
            status = int(fault)
            reason = "Internal Server Error" if status == 500 else "Not Found"
            return web.Response(status=status, text=f"<h1>{reason}</h1>", content_type="text/html")
        if fault == "redirect":
            return web.Response(status=302, headers={"Location": f"{self.base_url}/moved{path}"})
        target = path.removeprefix("/moved") if path.startswith("/moved/") else path
        encoding = "ISO-8859-1" if fault == "latin1" else "UTF-8"
        doc = self._render(target, encoding)
        if doc is None:
            if not target.endswith("/") and self._render(target + "/", encoding) is not None:
                return web.Response(status=301, headers={"Location": f"{self.base_url}{path}/"})
            return web.Response(status=404, text="<h1>Not Found</h1>", content_type="text/html")
        if fault == "latin1":
            body = doc.text.encode("iso-8859-1", errors="xmlcharrefreplace")
            content_type = doc.content_type
        else:
            body = doc.text.encode("utf-8")
            content_type = f"{doc.content_type}; charset=UTF-8"
        etag = f'"{hashlib.sha256(body).hexdigest()[:24]}"'
        headers = {"ETag": etag, "Last-Modified": _http_date(self._modified_at)}
        if self._not_modified(request, etag):
            return web.Response(status=304, headers=headers)
        headers["Content-Type"] = content_type
        if fault == "malformed":
            body = body[: len(body) // 2]
        elif fault == "gzip":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        elif fault == "slow":
            return await self._trickle(request, headers, body)
        elif fault == "huge":
            return await self._stream_huge(request, headers, body)
        return web.Response(body=body, headers=headers)

    def _not_modified(self, request: web.Request, etag: str) -> bool:
        """RFC 9110: If-None-Match wins; otherwise compare If-Modified-Since."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
            return "*" in tags or etag in tags
        since = request.if_modified_since
        return since is not None and self._modified_at <= since

    async def _trickle(
        self, request: web.Request, headers: dict[str, str], body: bytes
    ) -> web.StreamResponse:
        """Send one byte per slow_interval so clients must enforce a total deadline."""
        response = web.StreamResponse(headers=headers)
        await response.prepare(request)
        for i in range(len(body)):
            if self._closing:
                break
            await response.write(body[i : i + 1])
            await asyncio.sleep(self.slow_interval)
        return response

    async def _stream_huge(
        self, request: web.Request, headers: dict[str, str], body: bytes
    ) -> web.StreamResponse:
        """Stream a valid document padded to huge_bytes so clients must cap the body size."""
        head, sep, rest = body.partition(b"\n")
        response = web.StreamResponse(headers=headers)
        await response.prepare(request)
        await response.write(head + sep + b"<!-- ")
        filler = b"padding " * (_CHUNK // 8)
        written = len(head) + 6
        while written < self.huge_bytes and not self._closing:
            await response.write(filler)
            written += len(filler)
        await response.write(b" -->\n" + rest)
        return response
