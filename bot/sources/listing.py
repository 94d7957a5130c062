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
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from bot.errors import ParseError
from bot.models import MAX_ARTICLES, ListingSelectors, ParsedArticle, ParsedPage, SourceKind
from bot.text import INVISIBLE_TAGS, clean_text, clean_title, shorten
from bot.urls import is_http_url, normalize_url

TEASER_MAX_CHARS = 1000
AUTHOR_MAX_CHARS = 80
_SNIFF_BYTES = 4096
_PARAGRAPHS_MAX = 20  # a teaser is a few paragraphs; a thousand empty ones are no teaser
_NODES_MAX = 200  # paragraphs looked at for one teaser
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
# _HEADLINE_LINKS and _SECTION_LINKS as the page walk finds them (see _Outline._walk)
_HEADLINE_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_HEADLINE_CLASSES = frozenset({"entry-title", "post-title", "wp-block-post-title"})
_SECTION_LINKS = "h2 a[href], h3 a[href]"
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
_MORE_LINK_TEXT_CHARS = 200  # a label is a few words; a longer link text is no label
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
    outline = _Outline(tree)
    if selectors is not None:
        articles = _from_selectors(tree, outline, selectors, base=base, page_url=url)
        if not articles:
            raise ParseError(f"no articles match the source's selectors (item: {selectors.item})")
        return ParsedPage(
            kind=SourceKind.HTML, articles=articles[:MAX_ARTICLES], title=_title(tree)
        )
    articles = _from_blocks(tree, outline, base=base, page_url=url)
    if len(articles) < 2:
        loose = _from_headlines(tree, outline, base=base, page_url=url)
        if len(loose) > len(articles):
            articles = loose
    if not articles:
        raise ParseError("no articles found on the page")
    # A listing shows its newest posts first.
    return ParsedPage(kind=SourceKind.HTML, articles=articles[:MAX_ARTICLES], title=_title(tree))


def _title(tree: LexborHTMLParser) -> str | None:
    """The page's <title>, cleaned."""
    title_node = tree.css_first("title")
    return (clean_title(title_node.text()) if title_node is not None else "") or None


def _from_selectors(
    tree: LexborHTMLParser,
    outline: _Outline,
    selectors: ListingSelectors,
    *,
    base: str,
    page_url: str,
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
        headline = _headline(item, outline, base=base, page_url=page_url)
        if link_node is not None:
            link = _article_url(link_node.attributes.get("href"), base=base, page_url=page_url)
        else:
            link = headline[0] if headline else None
        title = clean_title(title_node.html or "") if title_node is not None else ""
        if not title and headline:
            title = headline[1]
        if not link or not title:
            continue
        teaser_node = _select(item, selectors.teaser) if selectors.teaser else None
        if teaser_node is not None:
            teaser = clean_text(teaser_node.html or "", limit=TEASER_MAX_CHARS)
        elif selectors.teaser:
            teaser = ""
        else:
            excerpt = item.css_first(_EXCERPTS)
            teaser = (
                clean_text(excerpt.html or "", limit=TEASER_MAX_CHARS)
                if excerpt is not None
                else _paragraphs(outline.within(item, "p"), outline, within=item)
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
                    clean_text(author_node.html or "", limit=AUTHOR_MAX_CHARS) or None
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


def _from_blocks(
    tree: LexborHTMLParser, outline: _Outline, *, base: str, page_url: str
) -> list[ParsedArticle]:
    """Articles from repeated post blocks, innermost block winning when blocks nest.

    Blocks are tried innermost first and a block holding one that gave an article is a
    wrapper, never tried: nested blocks cost their depth once, not its square.
    """
    blocks = _unique_nodes(tree.css(_BLOCK_SELECTOR))
    found: dict[int, ParsedArticle] = {}
    wrappers: set[int] = set()  # every ancestor of a block that gave an article
    for block in sorted(blocks, key=outline.order, reverse=True):
        if block.mem_id in wrappers or outline.in_chrome(block) or _is_promo(block, outline):
            continue
        article = _block_article(block, outline, base=base, page_url=page_url)
        if article is None:
            continue
        found[block.mem_id] = article
        for ancestor in outline.ancestor_ids(block):
            if ancestor in wrappers:
                break  # and so are all of its own ancestors
            wrappers.add(ancestor)
    return [found[b.mem_id] for b in blocks if b.mem_id in found]


def _block_article(
    block: LexborNode, outline: _Outline, *, base: str, page_url: str
) -> ParsedArticle | None:
    """The article a post block describes, or None when it has no headline link to a post."""
    headline = _headline(block, outline, base=base, page_url=page_url)
    if headline is None:
        return None
    url, title = headline
    excerpt = outline.first(block, _EXCERPTS)
    if excerpt is not None:
        teaser = clean_text(excerpt.html or "", limit=TEASER_MAX_CHARS)
    else:
        teaser = _paragraphs(outline.within(block, "p"), outline, within=block)
    return ParsedArticle(
        url=url,
        title=title,
        teaser=shorten(teaser, TEASER_MAX_CHARS) if teaser else "",
        published=_published([block]),
        categories=_categories([block]),
        author=_author([block]),
    )


def _headline(
    block: LexborNode, outline: _Outline, *, base: str, page_url: str
) -> tuple[str, str] | None:
    """(url, title) from the headline link, else a heading plus 'Continue reading'."""
    found = outline.first_headline(block, base=base, page_url=page_url)
    if found is not None:
        return found
    more = outline.first_more_link(block, base=base, page_url=page_url)
    if more is None:
        return None
    heading = outline.first(block, _HEADINGS)
    if heading is None:
        return None
    title = clean_title(heading.html or "")
    return (more, title) if title else None


# --- pass 2: bare headlines ------------------------------------------------------------------


def _from_headlines(
    tree: LexborHTMLParser, outline: _Outline, *, base: str, page_url: str
) -> list[ParsedArticle]:
    """Articles from `h2 > a` / `h3 > a` headlines and the paragraphs under them."""
    root = _content_root(tree, outline)
    if root is None:
        return []
    site = _site(page_url)
    articles = []
    for heading in outline.within(root, "h2, h3"):
        link = outline.first(heading, "a[href]")
        if link is None or outline.in_chrome(heading):
            continue
        url = _article_url(link.attributes.get("href"), base=base, page_url=page_url)
        title = clean_title(link.html or "")
        if not url or not title or _site(url) != site:
            continue
        context = list(_following(heading, outline))
        if any(_is_promo(node, outline) for node in context):
            continue
        teaser = _paragraphs(context, outline, within=None)
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


def _content_root(tree: LexborHTMLParser, outline: _Outline) -> LexborNode | None:
    """The main content element holding headlines, tried in order of trust, else <body>."""
    for selector in _CONTENT_ROOTS:
        node = tree.css_first(selector)
        if node is not None and outline.first(node, _SECTION_LINKS) is not None:
            return node
    return tree.body


def _following(heading: LexborNode, outline: _Outline) -> Iterator[LexborNode]:
    """The elements after a headline up to the next one, climbing out of wrappers it heads alone."""
    current = heading
    for _ in range(_CLIMB_LEVELS):
        node = _next_element(current)
        while node is not None:
            if node.tag in ("h1", "h2", "h3", "hr") or outline.first(node, "h1, h2, h3"):
                return
            yield node
            node = _next_element(node)
        parent = current.parent
        if (
            parent is None
            or parent.tag in ("body", "main")
            or len(outline.within(parent, "h1, h2, h3")) != 1
        ):
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


def _chrome_here(node: LexborNode, *, in_post_or_main: bool) -> bool:
    """Whether a node itself is navigation, a header or footer, a sidebar or a pop-up."""
    tag = node.tag or ""
    if tag in _CHROME_TAGS or (node.attributes.get("role") or "") in _CHROME_ROLES:
        return True
    if tag in ("header", "footer") and not in_post_or_main:
        return True  # the page's header or footer; a post's own header sits in main
    tokens = _tokens(node)
    if any(_CHROME_TOKEN.fullmatch(token) for token in tokens):
        return True
    return any(_PROMO_WORDS.search(token) for token in tokens)


def _is_promo(node: LexborNode, outline: _Outline) -> bool:
    """Sign-up forms and fundraising appeals: not articles however article-like they look."""
    if outline.first(node, "input[type=email], form") is not None:
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


class _Outline:
    """One walk over the page, so no question about a node costs a walk of its own.

    It records each element's place in document order, the end of its subtree and its
    parent, whether it sits in page chrome and its nearest heading, byline or figure;
    a selector is matched once per page and "the matches within a node" is a range of
    that list. Deep nesting then costs its depth once instead of its square.
    """

    def __init__(self, tree: LexborHTMLParser) -> None:
        self._tree = tree
        self._order: dict[int, int] = {}
        self._end: dict[int, int] = {}
        self._parent: dict[int, int] = {}
        self._chrome: set[int] = set()
        self._meta: dict[int, int] = {}  # order of the nearest meta ancestor-or-self
        self._matches: dict[str, tuple[list[int], list[LexborNode]]] = {}
        self._headlines: dict[str, tuple[list[int], list[tuple[str, str]]]] = {}
        self._more: dict[str, tuple[list[int], list[str]]] = {}
        root = tree.root
        if root is not None:
            self._walk(root)

    def _walk(self, root: LexborNode) -> None:
        """Number the elements and mark chrome and meta top-down, without recursion."""
        # (node, parent id, parent in chrome, under a post or main, nearest meta order)
        # and (under a headline, under an h2 or h3): descendant selectors cost depth per match
        stack: list[tuple[LexborNode, int, bool, bool, int, bool, bool]] = [
            (root, -1, False, False, -1, False, False)
        ]
        headline_links: list[LexborNode] = []
        section_links: list[LexborNode] = []
        closing: list[tuple[int, int]] = []  # (element id, stack depth its subtree ends at)
        while stack:
            node, parent, chrome, in_post, meta, in_headline, in_section = stack.pop()
            while closing and closing[-1][1] > len(stack):
                self._end[closing.pop()[0]] = len(self._order) - 1
            node_id = node.mem_id
            self._order[node_id] = len(self._order)
            self._parent[node_id] = parent
            if node.tag in ("body", "html"):
                chrome, meta = False, -1  # the page itself is never chrome, meta or teaser
            else:
                chrome = chrome or _chrome_here(node, in_post_or_main=in_post)
                if node.tag in _NOT_TEASER_TAGS or not _NOT_TEASER_CLASSES.isdisjoint(
                    (node.attributes.get("class") or "").split()
                ):
                    meta = self._order[node_id]
            if chrome:
                self._chrome.add(node_id)
            self._meta[node_id] = meta
            in_post = in_post or _is_article_like(node) or _is_main(node)
            classes = (node.attributes.get("class") or "").split()
            if node.tag == "a" and "href" in node.attributes:
                if in_headline or "entry-title" in classes:
                    headline_links.append(node)
                if in_section:
                    section_links.append(node)
            in_headline = (
                in_headline
                or node.tag in _HEADLINE_TAGS
                or not (_HEADLINE_CLASSES.isdisjoint(classes))
            )
            in_section = in_section or node.tag in ("h2", "h3")
            closing.append((node_id, len(stack)))
            children = []
            child = node.child
            while child is not None:
                if child.is_element_node:
                    children.append(child)
                child = child.next
            for child in reversed(children):
                stack.append((child, node_id, chrome, in_post, meta, in_headline, in_section))
        while closing:
            self._end[closing.pop()[0]] = len(self._order) - 1
        for selector, nodes in ((_HEADLINE_LINKS, headline_links), (_SECTION_LINKS, section_links)):
            self._matches[selector] = ([self.order(n) for n in nodes], nodes)

    def order(self, node: LexborNode) -> int:
        """The node's place in document order."""
        return self._order.get(node.mem_id, -1)

    def ancestor_ids(self, node: LexborNode) -> Iterator[int]:
        """The ids of a node's parents up to the document, nearest first."""
        parent = self._parent.get(node.mem_id, -1)
        while parent != -1:
            yield parent
            parent = self._parent.get(parent, -1)

    def in_chrome(self, node: LexborNode) -> bool:
        """Whether a node sits in navigation, a header or footer, a sidebar or a pop-up."""
        return node.mem_id in self._chrome

    def is_meta(self, node: LexborNode, *, within: LexborNode | None) -> bool:
        """Whether a node is or sits inside a heading, byline or figure of its block."""
        meta = self._meta.get(node.mem_id, -1)
        if meta < 0:
            return False
        return within is None or meta > self.order(within)

    def _span(self, node: LexborNode, keys: list[int]) -> tuple[int, int]:
        """The index range of `keys` (document orders) that falls within node, itself included."""
        start = self._order.get(node.mem_id)
        if start is None:
            return 0, 0
        end = self._end.get(node.mem_id, start)
        return bisect_left(keys, start), bisect_left(keys, end + 1)

    def _select(self, selector: str) -> tuple[list[int], list[LexborNode]]:
        """Every match of a selector on the page, in document order, matched once."""
        if selector not in self._matches:
            nodes = [n for n in _unique_nodes(self._tree.css(selector)) if n.mem_id in self._order]
            nodes.sort(key=self.order)
            self._matches[selector] = ([self.order(n) for n in nodes], nodes)
        return self._matches[selector]

    def within(self, node: LexborNode, selector: str) -> list[LexborNode]:
        """The matches of a selector within node, itself included (like node.css)."""
        keys, nodes = self._select(selector)
        start, end = self._span(node, keys)
        return nodes[start:end]

    def first(self, node: LexborNode, selector: str) -> LexborNode | None:
        """The first match of a selector within node (like node.css_first)."""
        keys, nodes = self._select(selector)
        start, end = self._span(node, keys)
        return nodes[start] if start < end else None

    def first_headline(
        self, node: LexborNode, *, base: str, page_url: str
    ) -> tuple[str, str] | None:
        """The first headline link within node that points at a post and has a title."""
        if base not in self._headlines:
            keys, found = [], []
            for link in self._select(_HEADLINE_LINKS)[1]:
                url = _article_url(link.attributes.get("href"), base=base, page_url=page_url)
                title = clean_title(link.html or "") if url else ""
                if url and title:
                    keys.append(self.order(link))
                    found.append((url, title))
            self._headlines[base] = (keys, found)
        keys, headlines = self._headlines[base]
        start, end = self._span(node, keys)
        return headlines[start] if start < end else None

    def first_more_link(self, node: LexborNode, *, base: str, page_url: str) -> str | None:
        """The post URL of the first "Continue reading" link within node."""
        if base not in self._more:
            keys, found = [], []
            for link in self._select("a[href]")[1]:
                if not _MORE_LINK.match(link.text()[:_MORE_LINK_TEXT_CHARS]):
                    continue
                url = _article_url(link.attributes.get("href"), base=base, page_url=page_url)
                if url:
                    keys.append(self.order(link))
                    found.append(url)
            self._more[base] = (keys, found)
        keys, urls = self._more[base]
        start, end = self._span(node, keys)
        return urls[start] if start < end else None


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


def _paragraphs(
    nodes: Iterable[LexborNode], outline: _Outline, *, within: LexborNode | None
) -> str:
    """The excerpt prose among nodes, leaving out headings, bylines, dates and link labels."""
    parts: list[str] = []
    for examined, node in enumerate(nodes):
        if examined >= _NODES_MAX or len(parts) >= _PARAGRAPHS_MAX:
            break
        if outline.first(node, "time") is not None or outline.is_meta(node, within=within):
            continue
        text = clean_text(node.html or "", limit=TEASER_MAX_CHARS)
        if text and _parse_date_text(text) is None:  # a bare "19 January 2023" line is no prose
            parts.append(text)
        if sum(len(p) for p in parts) > TEASER_MAX_CHARS:
            break
    return " ".join(parts)


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
            name = clean_text(found.html or "", limit=AUTHOR_MAX_CHARS)
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
