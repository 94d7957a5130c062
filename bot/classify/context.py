"""When the words around a place say it is not where the story is.

A teaser often names places that only frame it: the outlet, author and date printed before
the story starts ("Antigua Observer - Saturday, May 18, 2018"), a byline or dateline, an
author's bio ("Ana Ruiz is a member of X in Chile"), a photo credit, one person's or one
firm's nationality ("a Swiss-born engineer", "la constructora brasileña Odebrecht"), a
language ("Mongolian-language schools", "en français"), the state a territory belongs to
("territoire français du Pacifique") and the city or country hosting a meeting ("the
summit in Geneva").  The classifier counts such a place only when the story names the same
country in its own right; this module finds them.  It also finds the opposite case, a
country named once but acting through its state ("Kenyan-led force"), which is a subject.
The word lists live in bot/data/places.toml under [context].  A regex that needs one word
of a list runs only where the matcher's pass saw one (`CUES`), since most texts hold none.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Final

from bot.classify import geodata
from bot.classify.normalize import fold

__all__ = [
    "CUES",
    "acts",
    "byline_end",
    "frame_end",
    "framing_spans",
    "is_aside",
    "may_be_aside",
]


_Trie = dict[str, "_Trie"]
_END: Final = ""  # the key marking that a word ends at a node


def _alternatives(words: Iterable[str], *, ignore_case: bool = False) -> str:
    """A regex alternation of words, as a trie ("s(?:ession|ummits?)"): the regex engine
    drops a branch at its first letter, where a flat list of 150 words is tried word by
    word, and a longer word is still tried before its prefix, so none hides a longer one.
    `ignore_case` is for a regex compiled with re.IGNORECASE: words that differ only by
    case are one word there."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word.lower() if ignore_case else word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _branches(trie)


def _branches(node: _Trie) -> str:
    """The regex for the words below one trie node; a word ending here comes last."""
    branches = [re.escape(char) + _branches(child) for char, child in node.items() if char]
    if not branches:
        return ""
    if len(branches) == 1 and _END not in node:
        return branches[0]
    return f"(?:{'|'.join(branches)})" + ("?" if _END in node else "")


_WORDS: Final = geodata.CONTEXT
# groups of cue words: the matcher reports which groups a text holds, even inside a word
_BIO_WORDS: Final = "bio"
_CREDIT_WORDS: Final = "credit"
_COMPARISON_WORDS: Final = "comparison"
_BASED_IN_WORDS: Final = "based_in"
_TERRITORY_WORDS: Final = "territory"
_MEETING_WORDS: Final = "meeting"
_TREATY_WORDS: Final = "treaty"
_ACTING_AFTER: Final = "acting_after"
_ACTING_BEFORE: Final = "acting_before"
CUES: Final[dict[str, tuple[str, ...]]] = {
    _ACTING_AFTER: _WORDS["acting_after"],
    _ACTING_BEFORE: _WORDS["acting_before"],
    _BIO_WORDS: (*_WORDS["bio_nouns"], *_WORDS["bio_verbs"]),
    _CREDIT_WORDS: _WORDS["credit_words"],
    _COMPARISON_WORDS: _WORDS["comparison"],
    _BASED_IN_WORDS: _WORDS["based_in"],
    _TERRITORY_WORDS: _WORDS["territory"],
    _MEETING_WORDS: _WORDS["meeting"],
    _TREATY_WORDS: _WORDS["treaty"],
}
_NAME: Final = r"[^\W\d_][\w.'\u2019-]*"
_DASH: Final = "-\u2013\u2014"

# "By X in The Guardian - ", "Por Deisy Francis Mexidor *", "Par Angela Quintal/", "by X,
# Town": where the piece was published, not what it is about
_BYLINE: Final = re.compile(
    rf"By\s[^.!?\n]{{1,150}}?\s[{_DASH}]\s"
    rf"|(?:By|Por|Par)\s*:?\s+(?:[A-Z]{_NAME}\s*){{1,5}}?(?:\*|\n|\s[{_DASH}|]\s|/)"
    # "by Paul Sanders, New York It will...": the writer's name and town, then the piece
    rf"|(?:[Bb]y|Por|Par)\s+(?:[A-Z]{_NAME}\s+){{0,3}}[A-Z]{_NAME},\s+(?:[A-Z][\w.-]*\s+){{1,3}}"
)
# A dateline says where the piece was filed: "BEIRUT (AP) -", "New York, May 2, 2023 -",
# "Nairobi, 17 oct (EFE).-", "YEREVAN, NOVEMBER 14, ARMENPRESS.", "Pretoria (PL) "
_DATELINE: Final = re.compile(
    rf"[^\W\d_][^\n.!?:;{_DASH[1:]}]{{0,60}}?"
    rf"(?:\s[{_DASH}]+|[{_DASH}]+(?=\s|\w)|\.\s?[{_DASH}]+|(?<=[A-Z]{{3}})\.(?=\s))"
    r"|[^\W\d_][\w' ]{0,30}?\s\((?:[A-Z][A-Za-z]{1,9})\):?\s(?=[^\W\d_])"
)
_DATELINE_REACH: Final = 64  # where _DATELINE's dash, "(" or full stop must be by
_DATELINE_MARKS: Final = (*_DASH, "(")
_DATELINE_MARK: Final = re.compile(r"\(\s*[A-Z][\w/ ]{0,15}\)|\b\d{1,4}\b")  # "(AP)", a day or year
_WORD: Final = re.compile(r"[^\W\d_][\w'\u2019-]*")

_MONTHS: Final = _alternatives(_WORDS["months"], ignore_case=True)
# A date stamp: "Saturday, May 18, 2018", "19 January 2017", "23 de marzo de 2024", "15/5/2025"
_DATE: Final = re.compile(
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?(?:{_MONTHS})\b\.?(?:,?\s+(?:de\s+)?\d{{4}})?"
    rf"|\b(?:{_MONTHS})\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})"
    r"(?:,?\s+\d{1,2}[:h]\d{2}\s*(?:[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_DIGIT: Final = re.compile(r"\d")
_LOWER_WORD: Final = re.compile(r"(?<![\w'\u2019-])[a-z\u00e0-\u00ff][\w'\u2019-]*")
_MID_BYLINE_CUE: Final = "By"
_BYLINE_CUES: Final = ("By", "Por", "Par")
_MONTH_WORDS: Final = frozenset(word.lower() for word in _WORDS["months"])
_MASTHEAD_WORDS: Final = 12  # an outlet, an author and a place fit in this many words
_HEAD_WORDS: Final = frozenset(_WORDS["masthead_joiners"]) | _MONTH_WORDS
# "in", "de", "and": words a masthead may hold
_JOINERS: Final = frozenset(_WORDS["masthead_joiners"])
_MID_BYLINE: Final = re.compile(rf"\b(?:By|Por|Par)\s*:?\s+(?:[A-Z]{_NAME}\s+){{0,2}}[A-Z]{_NAME}")

# "Ana Ruiz is a member of X", "She writes for Y", "Photo: Z": the writer or the picture
_BIO: Final = re.compile(
    r"\b(?:is|was|es|é|est)\s+(?:an?|the|un|una|um|uma|une|el|la|o|le)\s+(?:[\w-]+\s+){0,3}?"
    rf"(?:{_alternatives(_WORDS['bio_nouns'], ignore_case=True)})\b"
    rf"|\b(?:{_alternatives(_WORDS['bio_verbs'], ignore_case=True)})"
    r"\s+(?:for|about|on|para|sobre|pour|sur)\b",
    re.IGNORECASE,
)
# what a bio must say, as the matcher's folded text has it: a cheap look before the regex
_BIO_CUE: Final = re.compile(
    r" (?:is|was|es|est|e) (?:an?|the|un|una|une|um|uma|el|la|le|o) "
    rf"| (?:{_alternatives({fold(word) for word in _WORDS['bio_verbs']})}) "
)
_BIO_SUBJECT_WORDS: Final = 4  # "Darragh O'Dwyer", "She": a name or a pronoun
_CREDIT: Final = re.compile(  # on the folded text, whose positions are the original's
    rf"\b(?:{_alternatives({fold(word) for word in _WORDS['credit_words']})})"
    r"(?:\s*:|\s+(?:by|de|por|par)\s)[^.!?\n)]*"
)
_SENTENCE_END: Final = re.compile(r"[.!?]+[\"')\]]*\s")
_ABBREVIATION_MAX: Final = 4  # letters of a capitalised word a full stop may shorten ("Tues.")

# "Swedish teen activist Greta Thunberg", "the Chinese firm Huawei": one person or firm
_ONE_OF: Final = re.compile(
    rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{_alternatives(_WORDS['one_of'])})s?\s+[A-Z]",
)
# a title's "Kyrgyz Man", "Russian Rights Activist" (one person: no plural here, since
# "Russian Activists Detained" is often the story's own people), but not "Thai Court Jails
# Student": a state body is the story's country acting
_ONE_OF_TITLE: Final = re.compile(
    rf"\s+(?!(?:{_alternatives(_WORDS['state_bodies'], ignore_case=True)})\b)"
    rf"(?:[\w-]+\s+){{0,2}}?(?:{_alternatives(_WORDS['one_of'], ignore_case=True)})"
    r"\b(?![-'\u2019])",
    re.IGNORECASE,
)
# "a Swiss engineer", "un correspondant italien": one person even without a name
_ONE_OF_NOUN: Final = re.compile(
    rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{_alternatives(_WORDS['one_of'])})\b(?!-)"
)
_ARTICLE_NOUN: Final = re.compile(
    rf"\b(?:un|une|una|um|uma)\s+(?:{_alternatives(_WORDS['one_of'])})(?:\s+[a-z][\w-]*)?\s+$"
)
_ARTICLE_CUE: Final = re.compile(r"\bu(?:ne?|na|ma?) ")
# "ethnic Albanian officials": a people, not a state
_ETHNIC_CUES: Final = tuple(f"{word} " for word in _WORDS["ethnic"])
# "la realizadora suiza Fausta Quattrini", "multinacional francesa TotalEnergies"
_ONE_OF_BEFORE: Final = re.compile(
    rf"\b(?:{_alternatives(_WORDS['one_of'])})(?:\s+[a-z\u00e0-\u00ff][\w-]*){{0,2}}?\s+$"
)
# "Kenyan-led force", "el bloqueo económico de Estados Unidos": the state acting
_ACTING_AFTER_RE: Final = re.compile(rf"(?:'s)?[- ](?:{_alternatives(_WORDS['acting_after'])})\b")
_ACTING_BEFORE_RE: Final = re.compile(
    rf"\b(?:{_alternatives(_WORDS['acting_before'])})"
    r"(?: [^\W\d_]+)?"  # one adjective: "bloqueo economico de"
    r"(?: (?:de|del|dos|das|do|da|des|du|d'|de l'|de la|of))?"
    r"(?: (?:los|las|la|el|les|le|the))? $"
)
_ACTING_REACH: Final = 40  # characters before a name looked at for the state's noun
# "a US-based company", "a Swiss-born engineer": where someone comes from, not the story
_ORIGIN: Final = re.compile(rf"-(?:{_alternatives(_WORDS['origin'])})\b")
# "a French-style reform", "Soviet style": a comparison, not the country
_COMPARISON: Final = re.compile(rf"[\s-](?:{_alternatives(_WORDS['comparison'])})\b")
# "an NGO based in Norway", "basée en Norvège": where an organisation sits
_BASED_IN: Final = re.compile(
    rf"\b(?:{_alternatives(_WORDS['based_in'])})\s+(?:in|en|au|aux|em|no|na|a)\s+$"
)
# "Mongolian-language schools", "Spanish speakers"; "en français", "em português"
_LANGUAGE_AFTER: Final = re.compile(rf"[\s-](?:{_alternatives(_WORDS['language_after'])})\b")
_LANGUAGE_CUES: Final = (*(f"{word} " for word in _WORDS["language_before"]), "le ", "la ", "el ")
_IN_WORDS: Final = (" en ", " em ")
_LANGUAGE_BEFORE: Final = re.compile(
    rf"\b(?:{_alternatives(_WORDS['language_before'], ignore_case=True)})"
    r"\s+(?:(?:le|la|el|o|a)\s+)?$",
    re.IGNORECASE,
)
# "Guam, a US territory"; "Nouvelle-Calédonie, territoire français": said in apposition, the
# state a territory belongs to is not the story ("seized Ukrainian territory" still counts)
_TERRITORY: Final = _alternatives(_WORDS["territory"])
_APPOSITION: Final = re.compile(r",\s+an?\s+(?:[a-z][\w-]*\s+)?$")
_TERRITORY_OF: Final = re.compile(
    rf",\s+an?\s+(?:[a-z][\w-]*\s+)?(?:{_TERRITORY})\s+of\s+(?:the\s+)?$"
)
_TERRITORY_AFTER: Final = re.compile(rf"\s+(?:[a-z][\w-]*\s+)?(?:{_TERRITORY})\b")
_TERRITORY_BEFORE: Final = re.compile(
    rf",\s+(?:(?:un|une|um|uma|el|le|o)\s+)?(?:{_TERRITORY})(?:\s+[a-z][\w-]*)?\s+$"
)
# "the summit in Geneva", "la cumbre en Lima": where a meeting sits, not what it is about
_MEETING: Final = _alternatives(_WORDS["meeting"], ignore_case=True)  # for _VENUE_AFTER
_FOLDED_MEETING: Final = _alternatives({fold(word) for word in _WORDS["meeting"]})
_VENUE: Final = re.compile(
    rf"\b(?:{_FOLDED_MEETING})\b[^.!?;:]{{0,40}}?\s(?:in|at|en|a|em|no|na)\s+$"
)
_VENUE_WORDS: Final = (" in ", " at ", " en ", " à ", " em ", " no ", " na ", " In ", " At ")
# "the Paris meeting", "Geneva talks": a city named before a meeting word names the meeting
_VENUE_NAMED: Final = re.compile(rf"\s+(?:{_MEETING})\b", re.IGNORECASE)
# "the Treaty of Tlatelolco", "Tratado de Asunción"; "the Oslo Accords"
_TREATY: Final = _alternatives(_WORDS["treaty"], ignore_case=True)
_TREATY_OF: Final = re.compile(rf"\b(?:{_TREATY})\s+(?:of|de|du|do|da)\s+$", re.IGNORECASE)
_TREATY_NAMED: Final = re.compile(rf"\s+(?:{_TREATY})\b", re.IGNORECASE)
# the meeting word must come before the place, within the 60 characters looked at
_VENUE_AFTER: Final = re.compile(
    r"\s+(?:to\s+(?:attend|participate|take\s+part|join)\b"
    rf"|for\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){{0,3}}?(?:{_MEETING})\b)",
    re.IGNORECASE,
)


def byline_end(text: str) -> int:
    """Where a leading byline ends (0 if there is none): nothing in it is evidence."""
    found = _BYLINE.match(text)
    return found.end() if found else 0


def frame_end(text: str, start: int) -> int:
    """Where the masthead and dateline at `start` end: a place there is where the piece was
    published or filed, so alone it is no evidence of what the story is about."""
    rest = text[start : start + 8]
    start += len(rest) - len(rest.lstrip())
    return _dateline(text, _masthead(text, start))


def _masthead(text: str, start: int) -> int:
    """The end of an outlet-author-date run before the story ("Telegraph UK - Monday,
    October 17, 2017", "X Sierra Leone Telegraph: 19 January 2017", "(Milton Keynes, UK)
    By Joseph Hanlon"), or `start`.  Its words are names, dashes and joiners only."""
    window = text[start : start + 160]
    first = _LOWER_WORD.search(window)
    if (
        first is not None
        and first.group() not in _HEAD_WORDS
        and _MID_BYLINE_CUE not in window[: first.start()]
        and not _DIGIT.search(window, 0, first.start())
    ):
        return start  # the story starts at once: "The government said ..."
    digit = _DIGIT.search(window)
    if digit is None and not any(cue in window for cue in _BYLINE_CUES):
        return start  # a masthead ends in a date or a byline
    stop = digit.start() if digit else len(window)
    # a cheap look first: a story's own first words are soon in lower case
    for count, word in enumerate(_WORD.finditer(window, 0, stop)):
        if count > _MASTHEAD_WORDS:
            break
        written = word.group()
        if not written[0].isupper() and written.lower() not in _HEAD_WORDS:
            stop = word.start()
            break
    head = window[:stop]
    found_date = (
        _DATE.search(window, max(0, stop - 14)) if digit and stop == digit.start() else None
    )
    found_by = _MID_BYLINE.search(head) if any(cue in head for cue in _BYLINE_CUES) else None
    end = start
    for found in (found_date, found_by):
        if found is None:
            continue
        words = _WORD.findall(window, 0, found.start())
        if len(words) > _MASTHEAD_WORDS or _ends_sentence(window, found.start()):
            continue
        if all(word[0].isupper() or word.lower() in _JOINERS for word in words):
            end = max(end, start + found.end())
    return end


def _ends_sentence(window: str, stop: int) -> bool:
    """Whether a sentence ends before `stop`; the full stop of a short capitalised word
    ("Tues.", "Feb.", "St.") is an abbreviation's in a masthead."""
    for found in _SENTENCE_END.finditer(window, 0, stop):
        word = window[: found.start()].rsplit(None, 1)[-1] if found.start() else ""
        if not (word[:1].isupper() and word.isalpha() and len(word) <= _ABBREVIATION_MAX):
            return True
    return False


def _dateline(text: str, start: int) -> int:
    """The end of a dateline at `start`, or `start`."""
    if not _may_be_dateline(text, start):
        return start
    found = _DATELINE.match(text, start)
    if found is None:
        return start
    head = text[start : found.end()]
    if len(head.split()) > 10:
        return start
    words = (word.strip("'\u2019-") for word in _WORD.findall(head))
    shouted = any(len(word) >= 3 and word.isupper() for word in words)
    if not shouted and _DATELINE_MARK.search(head) is None:  # "LIMA -", "Lima, May 2 -"
        return start
    return found.end()


def _may_be_dateline(text: str, start: int) -> bool:
    """A cheap look: every dateline has a dash or "(" in its first _DATELINE_REACH
    characters, or a full stop after three capitals ("YEREVAN.")."""
    end = start + _DATELINE_REACH
    head = text[start:end]
    if any(mark in head for mark in _DATELINE_MARKS):  # str's search, quicker than a regex
        return True
    stop = text.find(".", start, end)
    while stop >= 0:
        shouted = text[max(0, stop - 3) : stop]
        if len(shouted) == 3 and shouted.isascii() and shouted.isalpha() and shouted.isupper():
            return True
        stop = text.find(".", stop + 1, end)
    return False


def framing_spans(text: str, folded: str, cues: Collection[str]) -> list[tuple[int, int]]:
    """Sentences that are an author's bio, and photo credits: places in them are the
    writer's or the picture's, not the story's.  `folded` is the text as the matcher
    sees it and `cues` the cue groups it holds, for cheap looks before the regexes."""
    spans: list[tuple[int, int]] = []
    if _BIO_WORDS in cues and _BIO_CUE.search(folded) is not None:
        for found in _BIO.finditer(text):
            ends = _SENTENCE_END.finditer(text, 0, found.start())
            begin = max((m.end() for m in ends), default=0)
            subject = _WORD.findall(text, begin, found.start())
            if not subject or len(subject) > _BIO_SUBJECT_WORDS:
                continue
            if not all(word[0].isupper() or word.lower() in _JOINERS for word in subject):
                continue  # "The president is a member of ...": the story's own people
            stop = _SENTENCE_END.search(text, found.end())
            spans.append((begin, stop.end() if stop else len(text)))
    if _CREDIT_WORDS in cues:
        spans.extend(found.span() for found in _CREDIT.finditer(folded))
    return spans


def acts(folded: str, start: int, end: int, cues: Collection[str]) -> bool:
    """Whether the place at [start, end) of a folded text is a state acting in the story
    ("Kenyan-led force", "the occupying Israeli authorities"): a principal actor even when
    named once beside the country the story leads with (LABELLING.md)."""
    if _ACTING_AFTER in cues and _ACTING_AFTER_RE.match(folded, end) is not None:
        return True
    return (
        _ACTING_BEFORE in cues
        and _ACTING_BEFORE_RE.search(folded, max(0, start - _ACTING_REACH), start) is not None
    )


def may_be_aside(text: str, end: int) -> bool:
    """A cheap look for a text without cue words: only an origin ("US-based") or "to
    attend" can make a place at `end` an aside there."""
    mark = text[end : end + 1]
    return mark == "-" or (mark == " " and text.startswith((" to ", " for "), end))


def is_aside(
    text: str,
    folded: str,
    start: int,
    end: int,
    *,
    cues: Collection[str],
    city: bool,
    demonym: bool,
    teaser: bool,
) -> bool:
    """Whether the place at [start, end) describes someone or something rather than
    placing the story: an origin, a meeting's venue, a territory's sovereign, a language,
    or (in a teaser) one person or firm.  `folded` is the text as the matcher sees it and
    `cues` the cue groups it holds."""
    if not cues and not demonym and not may_be_aside(text, end):
        return False
    after = text[end : end + 60]
    if after[:1] == "-" and _ORIGIN.match(after) is not None:
        return True
    comparison = _COMPARISON_WORDS in cues and after[:1] in " -"
    if comparison and _COMPARISON.match(after) is not None:
        return True
    before = text[max(0, start - 60) : start]
    if _BASED_IN_WORDS in cues and _BASED_IN.search(before[-24:]) is not None:
        return True
    if _TREATY_WORDS in cues and (
        _TREATY_OF.search(before[-24:]) is not None
        or (city and _TREATY_NAMED.match(after) is not None)  # not "the Iran agreement"
    ):
        return True
    venue_word = _MEETING_WORDS in cues
    venue = venue_word and before.endswith(_VENUE_WORDS)
    if venue and _VENUE.search(folded, max(0, start - 60), start):
        return True
    if after.startswith((" to ", " for ")) and _VENUE_AFTER.match(after) is not None:
        return True
    if city:
        return venue_word and _VENUE_NAMED.match(after) is not None
    if _TERRITORY_WORDS in cues and "," in before:
        if _TERRITORY_BEFORE.search(before[-30:]) is not None:
            return True
        if _APPOSITION.search(before[-20:]) and _TERRITORY_AFTER.match(after) is not None:
            return True
        if _TERRITORY_OF.search(before[-50:]) is not None:
            return True
    if not demonym:
        return False
    lower_next = after[1:2].islower()
    if lower_next and _LANGUAGE_AFTER.match(after) is not None:
        return True
    if (
        before.endswith(_LANGUAGE_CUES)
        and _LANGUAGE_BEFORE.search(before[-16:]) is not None
        # "en noruego" is the language; "en Noruega", "em Palestina" the feminine form
        # that is also the country's name, written as a name
        and not (before.endswith(_IN_WORDS) and text[start].isupper())
    ):
        return True
    if before.endswith(_ETHNIC_CUES):
        return True
    tail = before[-40:]  # "une journaliste italienne", "un periodista español": one person
    if _ARTICLE_CUE.search(tail) is not None and _ARTICLE_NOUN.search(tail) is not None:
        return True
    if not teaser:  # a title: "Kyrgyz Man Stabbed", "Russian Rights Activist" is one person
        return after[:1] == " " and _ONE_OF_TITLE.match(after) is not None
    lower_next = lower_next and after[:1] == " "
    if lower_next and _ONE_OF.match(after) is not None:
        return True
    if before.endswith((" a ", " an ")) and lower_next and _ONE_OF_NOUN.match(after):
        return True
    named = after[:1] == " " and after[1:2].isupper()
    return named and _ONE_OF_BEFORE.search(before[-45:]) is not None
