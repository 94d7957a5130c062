"""Feed discovery: the RSS/Atom feed a web page announces with `<link rel="alternate">`."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from bot.sources.listing import decode_html
from bot.urls import is_http_url

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_JSON_FEED = "application/feed+json"  # not read by feedparser


def feed_links(body: bytes, *, url: str, content_type: str | None = None) -> list[str]:
    """Absolute URLs of the RSS/Atom feeds a page links in its head, in page order."""
    tree = LexborHTMLParser(decode_html(body, content_type))
    links: list[str] = []
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        media = (node.attributes.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rel or media not in FEED_TYPES or media == _JSON_FEED:
            continue
        href = (node.attributes.get("href") or "").strip()
        title = (node.attributes.get("title") or "").lower()
        try:
            absolute = urljoin(url, href)
        except ValueError:
            continue
        if not is_http_url(absolute):
            continue
        if "comments" in title or "/comments/" in urlsplit(absolute).path:
            continue  # WordPress's comments feed is not news
        if absolute not in links:
            links.append(absolute)
    return links


def preferred_feed(links: list[str], *, page_url: str) -> str | None:
    """The page's own feed: one under the page's path, or any for a site's home page.

    A section page that only links its site's whole feed is read as a listing, so the source
    keeps the section's scope.
    """
    page = urlsplit(page_url)
    page_path = page.path.rstrip("/") + "/"
    for link in links:
        parts = urlsplit(link)
        if _site(parts.hostname) == _site(page.hostname) and (
            parts.path.rstrip("/") + "/"
        ).startswith(page_path):
            return link
    if page_path == "/" and links:
        return links[0]
    return None


def discover_feed(body: bytes, *, url: str, content_type: str | None = None) -> str | None:
    """The feed to read instead of this page, if it announces one of its own."""
    return preferred_feed(feed_links(body, url=url, content_type=content_type), page_url=url)


def _site(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")
