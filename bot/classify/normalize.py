"""Text folding for matching: one place that decides when two spellings are the same word.

`fold` is the public, exact form (stored keyword phrases, lookups); `phrase_form` is fold
with hyphens as spaces and single spaces, the form keyword phrases and readers' terms are
compared in.  `align` is the matcher's form: it maps every character of NFC text to exactly
one character, so a position in the folded text is the same position in the original and
the classifier can look at the original's capitals.  `QUOTE_MARKS` are the double quotes a
reader may put around a phrase.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from typing import Final

__all__ = [
    "QUOTE_MARKS",
    "align",
    "collapse",
    "fold",
    "key",
    "nfc",
    "phrase_form",
    "strip_marks",
    "word_breaks",
]

# Straight, curly, low-9, reversed and angle double quotes; fold maps each to '"'.
KEY_CACHE: Final = 1 << 16  # phrases whose key() is kept: every data phrase, with room to spare
QUOTE_MARKS: Final = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'

_PUNCT: Final = str.maketrans(
    {
        # Apostrophes and single quotes, double quotes, then hyphens and dashes.
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032`\u00b4", "'"),
        **dict.fromkeys("\u02b9\u02bb\u02bc\u02bd\u02c8\uff07", "'"),
        **dict.fromkeys(QUOTE_MARKS + "\u2033\u301d\u301e\uff02", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d", "-"),
        # Letters that NFKD leaves alone but a reader types without the stroke.
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "ŧ": "t",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ĳ": "ij",
    }
)
_SPACE_RE: Final = re.compile(r"\s+")


def strip_marks(text: str) -> str:
    """Decompose (NFKD) and drop the combining marks, so "Perú" and "Peru" are one spelling."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_once(text: str) -> str:
    """One pass of NFKD, casefold, accent stripping and punctuation unification."""
    return strip_marks(unicodedata.normalize("NFKD", text).casefold()).translate(_PUNCT)


def fold(text: str) -> str:
    """Casefold, drop accents and unify quotes and dashes, so spellings compare equal."""
    if text.isascii():
        return text.lower().replace("`", "'")
    once = _fold_once(text)
    return once if once.isascii() else _fold_once(once)


def collapse(text: str) -> str:
    """Squeeze runs of whitespace to one space and trim, for phrases typed by people."""
    return _SPACE_RE.sub(" ", text).strip()


def phrase_form(text: str) -> str:
    """Fold, hyphens as spaces, single spaces: "Lithium-Mining" and "lithium  mining" meet."""
    return collapse(fold(text).replace("-", " "))


def nfc(text: str) -> str:
    """Compose accents so one visible letter is one character before aligning."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


class _AlignTable(dict[int, str]):
    """Lazily filled str.translate table: one character in, exactly one character out."""

    def __missing__(self, key: int) -> str:
        char = chr(key)
        if char.isspace():
            out = " "
        else:
            folded = fold(char)
            out = folded[0] if folded else char
            if out == "-":
                out = " "
        self[key] = out
        return out


_ALIGN: Final = _AlignTable()
# After lower(), only these characters can still need mapping: controls, "-", "`" and
# anything outside ASCII.  Mapping just them is several times faster than translate().
_UNALIGNED: Final = re.compile("[\x00-\x1f\x7f`\\-\x80-\U0010ffff]")


def _align_match(match: re.Match[str]) -> str:
    """Map one character that lower() could not handle."""
    return _ALIGN[ord(match.group())]


# The same mapping for ASCII text, lower() included, as a bytes table: bytes.translate
# is a plain C loop, where str.translate looks each character up in a mapping.
_ASCII_ALIGN: Final = bytes(
    ord(_ALIGN[ord(low)] if _UNALIGNED.match(low) else low)
    for low in (chr(code).lower() for code in range(128))
) + bytes(range(128, 256))


def _align_error(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler giving the aligned form of the characters ASCII lacks.  A
    regex finding them costs about a hundred instructions per character of the text; the
    ASCII encoder skips to them in C, and what they fold to ("é" -> "e") is ASCII mostly."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chars = error.object[error.start : error.end]
    return "".join([_ALIGN[ord(char)] for char in chars]), error.end


# the non-ASCII characters news text holds most (curly quotes, no-break space, the
# commonest Spanish, Portuguese and French accents), replaced before encoding: each call
# of the error handler costs thousands of instructions, a replace a few hundred
_FREQUENT: Final = tuple((char, _ALIGN[ord(char)]) for char in "\u2019\u201c\u201d\u00a0óíáé")
# the encoder raises UnicodeEncodeError when a replacement is not ASCII either
_ALIGN_ERRORS: Final = "bot.classify.normalize.align"
codecs.register_error(_ALIGN_ERRORS, _align_error)


def align(text: str) -> str:
    """Fold NFC text one character for one, with hyphens as spaces, so offsets stay valid."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_ALIGN).decode("ascii")
    # "İ" is the one character whose lower() is two characters long.
    lowered = text.replace("\u0130", "I").lower()
    for char, out in _FREQUENT:  # str.replace is far cheaper than a call of the handler
        lowered = lowered.replace(char, out)
    try:
        encoded = lowered.encode("ascii", _ALIGN_ERRORS)
    except UnicodeEncodeError:  # a letter that folds to no ASCII one ("ж"): one by one
        return _UNALIGNED.sub(_align_match, lowered)
    return encoded.translate(_ASCII_ALIGN).decode("ascii")


_NOT_WORD: Final = re.compile(r"[\W_]")  # exactly the characters str.isalnum() rejects
# a bytes table: bytes.translate is a plain C loop, str.translate a mapping look-up per character
_ASCII_BREAKS: Final = bytes(code if chr(code).isalnum() else 32 for code in range(128)) + bytes(
    range(128, 256)
)


def word_breaks(folded: str) -> str:
    """The text with every character that is not a letter or digit as a space, offsets
    kept: the matcher's whole words, and the topic model's words after a split()."""
    if folded.isascii():
        return folded.encode("ascii").translate(_ASCII_BREAKS).decode("ascii")
    return _NOT_WORD.sub(" ", folded)


@functools.lru_cache(maxsize=KEY_CACHE)
def key(phrase: str) -> str:
    """The matcher's form of a phrase: aligned fold with single spaces.  Cached: building
    the tables asks for the same phrases' keys several times (the gazetteer, the topic
    checks, the matcher), some 65,000 calls at start-up for about 25,000 phrases."""
    return collapse(align(nfc(phrase)))
