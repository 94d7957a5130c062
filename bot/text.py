"""Text helpers shared by the parsers and the message formatter: clean and shorten prose."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

ELLIPSIS = "…"

# Elements whose text a browser never shows as prose, wherever they are on a page.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
# A fragment of feed or page markup also never shows its <head>; a whole page keeps it for
# its <title> and <base>.
_FRAGMENT_INVISIBLE_TAGS = [*INVISIBLE_TAGS, "head"]
# "Continue reading" links and the like, dropped before the text is taken.
_MORE_LINK_SELECTOR = ", ".join(
    [
        "a.more-link",
        "a.read-more",
        "a.readmore",
        ".read-more-container",
        ".more-link-container",
        ".wp-block-post-excerpt__more-text",
        "a.wp-block-post-excerpt__more-link",
        ".screen-reader-text",
    ]
)
# Block elements: a space goes where they start or end so "<p>a</p><p>b</p>" reads "a b".
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|tr|td|th|table|section|article|"
    r"figure|figcaption|header|footer|dd|dt|hr|pre|aside|nav)\b)",
    re.IGNORECASE,
)
_LOOKS_LIKE_MARKUP = re.compile(r"<[a-zA-Z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_LEFTOVER_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_INVISIBLE_CHARS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WHITESPACE = re.compile(r"\s+")
# The boilerplate patterns below are bounded and only ever tried on the last
# _BOILERPLATE_TAIL_CHARS of a text, so hostile text costs them linear time at most.
_POST_APPEARED = re.compile(r"\s*The post .{1,400}? appeared first on .{1,300}?\.?\s*$", re.DOTALL)
# Typographic characters, spelled out so they can't be mistaken for their ASCII look-alikes.
_OPEN_QUOTES = "\"'\u201c\u2018"
_CLOSE_QUOTES = "\"'\u201d\u2019"
_ARROWS = "\u2192\u00bb\u203a>\u2026"  # arrow, guillemets, ellipsis
_MORE_WORDS = (
    r"(?:continue reading|read more|read the rest(?: of this entry)?|keep reading"
    r"|read full article)"
)
_MORE_TAIL = (
    # WordPress adds the post title: Continue reading "Title"
    rf"(?:\s*[{_OPEN_QUOTES}].{{0,400}}?[{_CLOSE_QUOTES}])?"
    rf"(?:\s*(?:[{_ARROWS}]|\.\.\.)){{0,10}}\s*$"
)
# Lower-case "read more" only counts after a sentence or an ellipsis ("you can read more" stays);
# the capitalised link labels count anywhere at the end.
_MORE_PHRASE = re.compile(
    rf"(?:^|(?<=[.!?\u2026\]){_CLOSE_QUOTES}]))\s*(?i:{_MORE_WORDS})" + _MORE_TAIL
)
_MORE_LABEL = re.compile(
    r"\s*(?:Continue [Rr]eading|Read [Mm]ore|Keep [Rr]eading|READ MORE|CONTINUE READING)"
    + _MORE_TAIL
)
_TRAILING_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\u2026|\.\.\.|&hellip;)\s*\]|\u2026|\.\.\.)\s*$")
_BOILERPLATE = (_POST_APPEARED, _MORE_PHRASE, _MORE_LABEL, _TRAILING_ELLIPSIS)
_BOILERPLATE_TAIL_CHARS = 2000  # longer than any boilerplate match above can be
_BOILERPLATE_ROUNDS = 20  # real teasers end in two or three pieces of it
# Markup looked at per character of the wanted text: a teaser cut to 1,000 characters needs
# no more than this many times that of its raw HTML; the rest is never parsed.
RAW_CHARS_PER_CHAR = 32
DEFAULT_LIMIT = 2000

_SENTENCE_END = re.compile(rf"[.!?][{_CLOSE_QUOTES}\u00bb)\]]*(?=\s)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Inc|Ltd|"
    r"Co|Corp|vs|etc|No|Nos|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)
_WORD_TAIL_PUNCTUATION = " \t\n,;:-\u2013\u2014(/"  # and en and em dashes


TITLE_MAX_CHARS = 300  # a headline; a longer one is cut at a word like a teaser


def clean_title(raw: str) -> str:
    """A headline's plain text, cut at a word: a hostile title must not fill the database."""
    text = clean_text(raw, limit=TITLE_MAX_CHARS)
    return shorten(text, TITLE_MAX_CHARS) if text else ""


def one_line(text: str) -> str:
    """Whitespace runs as one space: a message is cut at line ends, never inside a tag."""
    return _WHITESPACE.sub(" ", text).strip()


ECHO_CHARS = 40  # a reader's words quoted back in a reply: enough to recognise them


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """A reader's words as a reply quotes them: one line, cut, so no echo makes a reply too long."""
    line = one_line(text[: limit * 8])  # whitespace runs shrink: read a bounded prefix only
    return line if len(line) <= limit else line[: limit - 1].rstrip() + ELLIPSIS


def clean_text(raw: str, *, limit: int = DEFAULT_LIMIT) -> str:
    """Turn feed or page markup into the plain prose a reader sees, minus WordPress boilerplate.

    Only the first `limit` * RAW_CHARS_PER_CHAR characters of markup are read: the caller cuts
    the text to `limit` anyway, and a hostile megabyte then costs what a teaser costs.
    """
    if not raw:
        return ""
    raw = raw[: limit * RAW_CHARS_PER_CHAR]
    text = _html_to_text(raw) if _LOOKS_LIKE_MARKUP.search(raw) else raw
    if _LEFTOVER_ENTITY.search(text):  # double-escaped feeds: "&amp;#8217;" -> "&#8217;" -> "'"
        text = html.unescape(text)
    text = _INVISIBLE_CHARS.sub("", text)
    return _drop_boilerplate(one_line(text))


def _html_to_text(raw: str) -> str:
    """Strip tags with a real parser, so broken markup and entities read as a browser shows them."""
    tree = LexborHTMLParser(_BLOCK_TAG.sub(" <", raw), is_fragment=True)
    tree.strip_tags(_FRAGMENT_INVISIBLE_TAGS)
    for node in tree.css(_MORE_LINK_SELECTOR):
        node.decompose()
    return tree.text(separator="") or ""


def _drop_boilerplate(text: str) -> str:
    """Remove trailing 'Continue Reading', '[…]' and 'The post … appeared first on …', any order."""
    for _ in range(_BOILERPLATE_ROUNDS):
        trimmed = text
        for pattern in _BOILERPLATE:
            trimmed = _without_tail(pattern, trimmed)
        trimmed = trimmed.rstrip()
        if trimmed == text:
            break
        text = trimmed
    return text


def _without_tail(pattern: re.Pattern[str], text: str) -> str:
    """Text without an end-anchored match of pattern, looked for only near the end."""
    match = pattern.search(text, max(0, len(text) - _BOILERPLATE_TAIL_CHARS))
    return text[: match.start()] if match else text


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units, so an emoji outside the BMP is two."""
    return len(text.encode("utf-16-le")) // 2


def utf16_prefix_len(text: str, units: int) -> int:
    """How many leading code points fit in `units` UTF-16 units, never half a surrogate pair."""
    if len(text) <= units // 2 or utf16_len(text[:units]) <= units:
        return min(len(text), units)
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return index
    return len(text)


def shorten(text: str, limit: int) -> str:
    """Fit a teaser into `limit` UTF-16 units (Telegram's count), ending on a sentence or word."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if len(text) <= limit and utf16_len(text) <= limit:
        return text
    fits = utf16_prefix_len(text, limit)
    sentence_cut = _last_sentence_end(text, fits)
    if sentence_cut >= fits // 2:
        return text[:sentence_cut]
    room = utf16_prefix_len(text, limit - utf16_len(ELLIPSIS))
    head = text[: room + 1]  # one extra char tells whether the cut falls on a word boundary
    if len(head) > room and not head[room].isspace():
        space = head.rfind(" ", 0, room)
        head = head[:space] if space > 0 else head[:room]
    head = head[:room].rstrip(_WORD_TAIL_PUNCTUATION)
    if not head:
        head = text[:room]
    return head + ELLIPSIS


def _last_sentence_end(text: str, limit: int) -> int:
    """Index just past the last sentence end that fits in `limit` chars, or 0 when there is none."""
    best = 0
    for match in _SENTENCE_END.finditer(text, 0, limit + 1):
        end = match.end()
        if end > limit:
            break
        if match.group().startswith(".") and _ABBREVIATION.search(text[: match.start() + 1]):
            continue
        best = end
    return best
