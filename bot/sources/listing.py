"""Reading WordPress-style HTML listing pages (category, tag, archive) into ParsedPage.

Two passes over the page, both skipping navigation, headers, footers, sidebars and
fundraising or sign-up blocks:

1. article blocks (`<article>`, `.post`, `.hentry`, `.wp-block-post`, Drupal `.views-row`...),
   each giving its headline link, excerpt, date, author and categories;
2. when that finds fewer than two, bare `h2 > a` / `h3 > a` headlines with the paragraphs
   that follow them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from bot.errors import ParseError
from bot.models import ListingSelectors, ParsedArticle, ParsedPage, SourceKind
from bot.text import INVISIBLE_TAGS, clean_text, shorten
from bot.urls import is_http_url, normalize_url

TEASER_MAX_CHARS = 1000
AUTHOR_MAX_CHARS = 80
_SNIFF_BYTES = 4096
_CLIMB_LEVELS = 4  # <article><div><header><h2>: how far a headline's paragraphs may be

_BLOCK_SELECTOR = (
    "article, .post, .hentry, .type-post, .wp-block-post, .entry, .blog-post, .news-item, "
    ".views-row"
)
_HEADLINE_LINKS = (
    "h1 a[href], h2 a[href], h3 a[href], h4 a[href], .entry-title a[href], .post-title a[href], "
    ".wp-block-post-title a[href], a.entry-title[href]"
)
_HEADINGS = "h1, h2, h3, h4, .entry-title, .post-title, .wp-block-post-title"
_EXCERPTS = (
    ".entry-summary, .entry-excerpt, .post-excerpt, .wp-block-post-excerpt, .excerpt, .summary, "
    "[itemprop=description], .views-field-body, .field--name-body"
)
_NOT_TEASER_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "time"})
_NOT_TEASER_CLASSES = frozenset(
    {
        "entry-meta", "post-meta", "meta", "byline", "posted-on", "entry-footer", "author",
        "wp-block-post-date", "wp-block-post-author-name", "wp-block-post-terms", "cat-links",
        "tags-links",
    }
)  # fmt: skip
_DATE_TEXT = ".entry-date, .published, .post-date, .posted-on, .wp-block-post-date, .date, time"
_AUTHORS = (
    ".wp-block-post-author-name__link, .wp-block-post-author-name, .author .fn, .author a, "
    "a[rel=author], .byline a, [itemprop=author] [itemprop=name], [itemprop=author], "
    ".author-name, .entry-author, .byline, .author"
)
_CATEGORIES = (
    "a[rel~=category], .cat-links a, .taxonomy-category a, .post-categories a, "
    ".wp-block-post-terms a"
)
_CONTENT_ROOTS = ("main", "[role=main]", "#main", "#content", ".site-main", ".content")
_MORE_LINK = re.compile(r"^\s*(continue reading|read more|read the rest|keep reading)\b", re.I)

# Class and id tokens of page chrome; a whole-token match, so "right-sidebar" on <body> or
# "content-sidebar-wrap" around the posts do not count (body and html are never looked at).
# Only WordPress's own widget classes count: page builders call every box "...-widget".
_CHROME_TOKEN = re.compile(
    r"(?:sidebar|sidebar-.+|.+-sidebar|secondary|widgets?|widget-area|widget_.+|.+-widgets|"
    r"menu|menu-.+|.+-menu|nav|navbar|navigation|.+-navigation|nav-.+|.+-nav|site-header|"
    r"masthead|site-footer|colophon|footer|.+-footer|footer-.+|breadcrumbs?|comments?|"
    r"comment-.+|related|related-.+|.+-related|jp-relatedposts|share|sharing|sharedaddy|social|"
    r"share-.+|.+-share|popup|.+-popup|modal|cookie.*|ads?|advert.*|sponsored|promo.*)",
    re.IGNORECASE,
)
_PROMO_WORDS = re.compile(
    r"donat|fundrais|newsletter|subscribe(?!r)|subscription|signup|sign-up|mailchimp|mc4wp|"
    r"optin|opt-in|appeal",
    re.IGNORECASE,
)
_CHROME_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
)
_CHROME_TAGS = frozenset({"nav", "aside", "dialog"})
_ARTICLE_CLASSES = frozenset({"post", "hentry", "entry", "type-post", "wp-block-post", "views-row"})
# WordPress adds tag-<slug> and category-<slug> to posts: a post tagged "newsletter" is a post.
_TAXONOMY_TOKEN = re.compile(r"^(?:tag|category|categories|post|format|status|type)-", re.I)

_LISTING_SEGMENTS = frozenset({"category", "tag", "tags", "author", "page", "feed", "search"})
_NOT_ARTICLE_FIRST_SEGMENTS = frozenset(
    {
        "donate", "donar", "support", "support-us", "subscribe", "suscribete", "newsletter",
        "signup", "sign-up", "join", "membership", "members", "shop", "store", "cart", "product",
        "products", "wp-login", "wp-admin", "login", "contact", "contacto", "about", "about-us",
    }
)  # fmt: skip
_PROMO_SLUG = re.compile(r"^(?:donat|donac|fundrais)", re.IGNORECASE)
_DONATION_HOSTS = (
    "donorbox.org", "actblue.com", "givebutter.com", "paypal.com", "patreon.com", "gofundme.com",
    "every.org", "ko-fi.com", "buymeacoffee.com", "networkforgood.org", "givelively.org",
    "opencollective.com", "liberapay.com", "fundrazr.com", "secure.squarespace.com",
)  # fmt: skip

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.I)
_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%B %d, %Y %I:%M %p",
)


def parse_listing(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    selectors: ListingSelectors | None = None,
) -> ParsedPage:
    """Find the articles of a category page, so sites without a usable feed can still be read."""
    tree = LexborHTMLParser(decode_html(body, content_type))
    tree.strip_tags(list(INVISIBLE_TAGS))
    base = _base_url(tree, url)
    if selectors is not None:
        articles = _from_selectors(tree, selectors, base=base, page_url=url)
        if not articles:
            raise ParseError(f"no articles match the source's selectors (item: {selectors.item})")
        return ParsedPage(kind=SourceKind.HTML, articles=articles, title=_title(tree))
    articles = _from_blocks(tree, base=base, page_url=url)
    if len(articles) < 2:
        loose = _from_headlines(tree, base=base, page_url=url)
        if len(loose) > len(articles):
            articles = loose
    if not articles:
        raise ParseError("no articles found on the page")
    return ParsedPage(kind=SourceKind.HTML, articles=articles, title=_title(tree))


def _title(tree: LexborHTMLParser) -> str | None:
    """The page's <title>, cleaned."""
    title_node = tree.css_first("title")
    return (clean_text(title_node.text()) if title_node is not None else "") or None


def _from_selectors(
    tree: LexborHTMLParser, selectors: ListingSelectors, *, base: str, page_url: str
) -> list[ParsedArticle]:
    """Articles from the operator's CSS selectors; a missing one falls back to the generic rule."""
    articles = []
    try:
        items = tree.css(selectors.item)
    except SelectolaxError as exc:
        raise ParseError(f"bad item selector {selectors.item!r}: {exc}") from None
    for item in items:
        title_node = _select(item, selectors.title) if selectors.title else None
        link_node = _select(item, selectors.link) if selectors.link else None
        if link_node is None and title_node is not None:
            link_node = title_node if title_node.tag == "a" else title_node.css_first("a[href]")
        headline = _headline(item, base=base, page_url=page_url)
        if link_node is not None:
            link = _article_url(link_node.attributes.get("href"), base=base, page_url=page_url)
        else:
            link = headline[0] if headline else None
        title = clean_text(title_node.html or "") if title_node is not None else ""
        if not title and headline:
            title = headline[1]
        if not link or not title:
            continue
        teaser_node = _select(item, selectors.teaser) if selectors.teaser else None
        if teaser_node is not None:
            teaser = clean_text(teaser_node.html or "")
        elif selectors.teaser:
            teaser = ""
        else:
            excerpt = item.css_first(_EXCERPTS)
            teaser = (
                clean_text(excerpt.html or "")
                if excerpt is not None
                else _paragraphs(item.css("p"), within=item)
            )
        date_node = _select(item, selectors.date) if selectors.date else None
        author_node = _select(item, selectors.author) if selectors.author else None
        articles.append(
            ParsedArticle(
                url=link,
                title=title,
                teaser=shorten(teaser, TEASER_MAX_CHARS) if teaser else "",
                published=_published([date_node] if date_node is not None else [item]),
                categories=_categories([item]),
                author=(
                    clean_text(author_node.html or "") or None
                    if author_node is not None
                    else _author([item])
                ),
            )
        )
    return articles


def _select(node: LexborNode, selector: str) -> LexborNode | None:
    """The first match of an operator's selector within node."""
    try:
        return node.css_first(selector)
    except SelectolaxError as exc:
        raise ParseError(f"bad selector {selector!r}: {exc}") from None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode by BOM, HTTP charset, then <meta charset>, else UTF-8, never failing on bad bytes."""
    for bom, bom_codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace")
    declared = _charset_param(content_type)
    codec = _text_codec(declared) if declared else None
    if codec is None:
        match = _META_CHARSET.search(body[:_SNIFF_BYTES])
        if match:
            codec = _text_codec(match.group(1).decode("ascii", errors="replace"))
    if codec is not None and codec.startswith("utf-16"):
        codec = "utf-8"  # an ASCII-readable declaration cannot be UTF-16 (HTML Standard)
    if codec is None:  # undeclared: UTF-8 if it is valid UTF-8, else what browsers assume
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            codec = "cp1252"
    return body.decode(codec, errors="replace")


def _charset_param(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _text_codec(label: str) -> str | None:
    """Python's codec for a charset label; Latin-1 and ASCII read as windows-1252 (browsers)."""
    try:
        name = codecs.lookup(label.strip()).name
        b"a".decode(name, errors="replace")  # rejects base64, rot13 and other non-text codecs
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return name


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    """The page's <base href>, resolved against its URL, else the URL itself."""
    base = tree.css_first("base[href]")
    href = (base.attributes.get("href") or "").strip() if base is not None else ""
    try:
        return urljoin(url, href) if href else url
    except ValueError:
        return url


# --- pass 1: article blocks -------------------------------------------------------------------


def _from_blocks(tree: LexborHTMLParser, *, base: str, page_url: str) -> list[ParsedArticle]:
    """Articles from repeated post blocks, innermost block winning when blocks nest."""
    blocks = _unique_nodes(tree.css(_BLOCK_SELECTOR))
    ids = {block.mem_id for block in blocks}
    found: dict[int, ParsedArticle] = {}
    for block in blocks:
        if _in_chrome(block) or _is_promo(block):
            continue
        article = _block_article(block, base=base, page_url=page_url)
        if article is not None:
            found[block.mem_id] = article
    # A block holding another block that gave an article is a wrapper, not an article.
    wrappers: set[int] = set()
    for block in blocks:
        if block.mem_id in found:
            wrappers.update(a.mem_id for a in _ancestors(block) if a.mem_id in ids)
    return [found[b.mem_id] for b in blocks if b.mem_id in found and b.mem_id not in wrappers]


def _block_article(block: LexborNode, *, base: str, page_url: str) -> ParsedArticle | None:
    """The article a post block describes, or None when it has no headline link to a post."""
    headline = _headline(block, base=base, page_url=page_url)
    if headline is None:
        return None
    url, title = headline
    excerpt = block.css_first(_EXCERPTS)
    if excerpt is not None:
        teaser = clean_text(excerpt.html or "")
    else:
        teaser = _paragraphs(block.css("p"), within=block)
    return ParsedArticle(
        url=url,
        title=title,
        teaser=shorten(teaser, TEASER_MAX_CHARS) if teaser else "",
        published=_published([block]),
        categories=_categories([block]),
        author=_author([block]),
    )


def _headline(block: LexborNode, *, base: str, page_url: str) -> tuple[str, str] | None:
    """(url, title) from the headline link, else a heading plus 'Continue reading'."""
    for link in block.css(_HEADLINE_LINKS):
        url = _article_url(link.attributes.get("href"), base=base, page_url=page_url)
        title = clean_text(link.html or "")
        if url and title:
            return url, title
    heading = block.css_first(_HEADINGS)
    if heading is None:
        return None
    title = clean_text(heading.html or "")
    for link in block.css("a[href]"):
        if _MORE_LINK.match(link.text()):
            url = _article_url(link.attributes.get("href"), base=base, page_url=page_url)
            if url and title:
                return url, title
    return None


# --- pass 2: bare headlines ------------------------------------------------------------------


def _from_headlines(tree: LexborHTMLParser, *, base: str, page_url: str) -> list[ParsedArticle]:
    """Articles from `h2 > a` / `h3 > a` headlines and the paragraphs under them."""
    root = _content_root(tree)
    if root is None:
        return []
    site = _site(page_url)
    articles = []
    for heading in root.css("h2, h3"):
        link = heading.css_first("a[href]")
        if link is None or _in_chrome(heading):
            continue
        url = _article_url(link.attributes.get("href"), base=base, page_url=page_url)
        title = clean_text(link.html or "")
        if not url or not title or _site(url) != site:
            continue
        context = list(_following(heading))
        if any(_is_promo(node) for node in context):
            continue
        teaser = _paragraphs(context, within=None)
        articles.append(
            ParsedArticle(
                url=url,
                title=title,
                teaser=shorten(teaser, TEASER_MAX_CHARS) if teaser else "",
                published=_published(context),
                categories=_categories(context),
                author=_author(context),
            )
        )
    return articles


def _content_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The main content element holding headlines, tried in order of trust, else <body>."""
    for selector in _CONTENT_ROOTS:
        node = tree.css_first(selector)
        if node is not None and node.css_first("h2 a[href], h3 a[href]") is not None:
            return node
    return tree.body


def _following(heading: LexborNode) -> Iterator[LexborNode]:
    """The elements after a headline up to the next one, climbing out of wrappers it heads alone."""
    current = heading
    for _ in range(_CLIMB_LEVELS):
        node = _next_element(current)
        while node is not None:
            if node.tag in ("h1", "h2", "h3", "hr") or node.css_first("h1, h2, h3") is not None:
                return
            yield node
            node = _next_element(node)
        parent = current.parent
        if parent is None or parent.tag in ("body", "main") or len(parent.css("h1, h2, h3")) != 1:
            return
        current = parent


def _next_element(node: LexborNode) -> LexborNode | None:
    """The next sibling that is an element, skipping text and comments."""
    sibling = node.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next
    return sibling


# --- what is and is not an article -----------------------------------------------------------


def _article_url(href: str | None, *, base: str, page_url: str) -> str | None:
    """The absolute URL of a link if it can point at an article, else None."""
    if not href or href.strip().startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        url = urljoin(base, href.strip())
    except ValueError:  # "http://[broken" and the like
        return None
    if not is_http_url(url):
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in _DONATION_HOSTS):
        return None
    segments = [s.lower() for s in parts.path.split("/") if s]
    if not segments and not parts.query:
        return None  # the home page
    if segments:
        first = segments[0].rsplit(".", 1)[0]  # "donaciones.html" -> "donaciones"
        if first in _NOT_ARTICLE_FIRST_SEGMENTS or _PROMO_SLUG.match(first):
            return None
    if any(s in _LISTING_SEGMENTS for s in segments[:-1]) or (segments and segments[0] == "feed"):
        return None
    if normalize_url(url) == normalize_url(page_url):
        return None
    return url.split("#", 1)[0]


def _in_chrome(node: LexborNode) -> bool:
    """Whether a node sits in navigation, a header or footer, a sidebar or a pop-up."""
    ancestors = [node, *_ancestors(node)]
    for index, current in enumerate(ancestors):
        tag = current.tag or ""
        if tag in ("body", "html"):
            return False
        if tag in _CHROME_TAGS or (current.attributes.get("role") or "") in _CHROME_ROLES:
            return True
        if tag in ("header", "footer") and not any(
            _is_article_like(a) or _is_main(a) for a in ancestors[index + 1 :]
        ):
            return True  # the page's header or footer; a post's own header sits in main
        if any(_CHROME_TOKEN.fullmatch(token) for token in _tokens(current)):
            return True
        if any(_PROMO_WORDS.search(token) for token in _tokens(current)):
            return True
    return False


def _is_promo(node: LexborNode) -> bool:
    """Sign-up forms and fundraising appeals: not articles however article-like they look."""
    if node.css_first("input[type=email], form") is not None:
        return True
    return any(_PROMO_WORDS.search(token) for token in _tokens(node))


def _is_article_like(node: LexborNode) -> bool:
    """An element that wraps one post (its own header and footer are not page chrome)."""
    if node.tag == "article":
        return True
    classes = (node.attributes.get("class") or "").split()
    return any(c in _ARTICLE_CLASSES for c in classes)


def _is_main(node: LexborNode) -> bool:
    """The page's main content element."""
    return node.tag == "main" or node.attributes.get("role") == "main"


def _tokens(node: LexborNode) -> list[str]:
    """Class names and id of a node, without WordPress's per-post taxonomy classes."""
    attributes = node.attributes
    tokens = (attributes.get("class") or "").split()
    node_id = attributes.get("id")
    if node_id:
        tokens.append(node_id)
    return [t for t in tokens if not _TAXONOMY_TOKEN.match(t)]


def _ancestors(node: LexborNode) -> Iterator[LexborNode]:
    """Parents of a node up to the document, nearest first."""
    parent = node.parent
    while parent is not None and parent.is_element_node:
        yield parent
        parent = parent.parent


def _unique_nodes(nodes: Iterable[LexborNode]) -> list[LexborNode]:
    """Nodes matched by several selectors, once each, in document order."""
    seen: set[int] = set()
    unique = []
    for node in nodes:
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            unique.append(node)
    return unique


def _site(url: str) -> str:
    """Host without "www.", to tell this site's links from other sites'."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


# --- fields ---------------------------------------------------------------------------------


def _paragraphs(nodes: Iterable[LexborNode], *, within: LexborNode | None) -> str:
    """The excerpt prose among nodes, leaving out headings, bylines, dates and link labels."""
    parts: list[str] = []
    for node in nodes:
        if _is_meta(node, within=within):
            continue
        text = clean_text(node.html or "")
        if text and _parse_date_text(text) is None:  # a bare "19 January 2023" line is no prose
            parts.append(text)
        if sum(len(p) for p in parts) > TEASER_MAX_CHARS:
            break
    return " ".join(parts)


def _is_meta(node: LexborNode, *, within: LexborNode | None) -> bool:
    """Whether a node is, holds a date, or sits inside a heading, byline or figure of its block."""
    if node.css_first("time") is not None:
        return True
    for current in [node, *_ancestors(node)]:
        if current.tag in ("body", "html") or (
            within is not None and current.mem_id == within.mem_id
        ):
            return False
        if current.tag in _NOT_TEASER_TAGS:
            return True
        if not _NOT_TEASER_CLASSES.isdisjoint((current.attributes.get("class") or "").split()):
            return True
    return False


def _published(nodes: Iterable[LexborNode]) -> datetime | None:
    """The first date found: a <time datetime>, itemprop metadata, then a visible date."""
    nodes = list(nodes)  # css() below matches each node itself as well as its descendants
    for node in nodes:
        for found in node.css("time[datetime], [itemprop=datePublished]"):
            value = found.attributes.get("datetime") or found.attributes.get("content") or ""
            parsed = _parse_iso(value)
            if parsed is not None:
                return parsed
    for node in nodes:
        for found in node.css(_DATE_TEXT):
            parsed = _parse_date_text(found.text())
            if parsed is not None:
                return parsed
    for node in nodes:  # a paragraph that is nothing but a date
        parsed = _parse_date_text(node.text())
        if parsed is not None:
            return parsed
    return None


def _parse_iso(value: str) -> datetime | None:
    """An ISO 8601 timestamp as aware UTC; a bare date or naive time is taken as UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _parse_date_text(text: str) -> datetime | None:
    """A date as themes print it ("February 14, 2023", "14 Feb 2023"), at midnight UTC."""
    text = _ORDINAL.sub(r"\1", " ".join(text.split())).strip().removeprefix("Posted on ")
    if not text:
        return None
    iso = _parse_iso(text)
    if iso is not None:
        return iso
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _author(nodes: Iterable[LexborNode]) -> str | None:
    """The byline name, without a leading "By"."""
    for node in nodes:
        for found in node.css(_AUTHORS):
            name = clean_text(found.html or "")
            name = re.sub(r"^(?:by|posted by|written by)\s*:?\s+", "", name, flags=re.I).strip()
            if name and len(name) <= AUTHOR_MAX_CHARS:
                return name
    return None


def _categories(nodes: Iterable[LexborNode]) -> tuple[str, ...]:
    """Category names linked from the block, in order and without repeats."""
    seen: dict[str, str] = {}
    for node in nodes:
        for link in node.css(_CATEGORIES):
            name = clean_text(link.html or "")
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
    return tuple(seen.values())


def valid_selector(selector: str) -> bool:
    """Whether a CSS selector is one the listing parser can use (for the sources file)."""
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except SelectolaxError:
        return False
    return True
