"""Tagging an article with the countries and topics it is about, and saying why.

Scoring, in short.  Countries: a title mention is worth 3, a category that is just the
place's name 5 (a longer category naming it, like a sentence), and each teaser
sentence that names the country (or its people, leaders, or big cities) 1.  Countries
named in the title or a category are kept; so is any country with 2 or more points.  A
single passing mention is dropped when another country leads (3 points or more, as a
title mention does), when the teaser is long, or when the title names a region the
country is not in ("Latin America: ...").  A city named once is no exception: beside a
country the story leads with, it is mostly a namesake ("Buenos Aires, Cauca") or a
dateline.  A country named only in a list of three or more ("Cambodia, Bangladesh, Chile
and Argentina") gives way to any country named on its own that is kept.  A word two
countries share ("Congo") names the one the story names in words of its own
("Brazzaville").  A byline ("By X in The Guardian - ") is where the piece was published,
not what it is about, and is skipped; a dateline ("BEIRUT (AP) -", "New York,
May 2, 2023 -") is where it was filed, so a place there counts only if the story names
the same country elsewhere.  So does a teaser's demonym that describes one named person
("Swedish activist Greta Thunberg", "a Swiss-born engineer"), and the city of a meeting
("the summit in Geneva").
Topics: a strong term is worth 3 and a weak one 1, doubled in the title, each term
counted at most twice per field; a term in a list naming three or more topics ("racial
justice, immigration or fossil fuels") is an example, worth a weak word; a category that
is a topic term is worth 3 (one containing it, 1).  A topic needs 3 points and a quarter
of the best topic's points, and, where its data says `weak_alone = false`, a strong word
or a source tag; at most the 3 best topics are kept.  A topic other than the best one whose
words stand only after the teaser's first sentence, and are one strong word at most, is
named in passing ("... in a historic drought made worse by the war") and is dropped.
A war word used as a figure of speech ("the war on drugs") or naming a holiday ("Invasion
Day") is no evidence.
A learned model (`topic_model.py`) then judges only the calls made on the bare minimum:
it may drop a topic kept on 3 points, or bring back one left out for want of share or room,
but never adds a topic without words.

Case rules use the original text, which `normalize.align` keeps position for position:
place words must be capitalised ("turkey" is a bird), abbreviations must be exact
("US", not "us"), and guarded names need care ("Michael Jordan", "Georgia").
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Final

from bot.classify import context, geodata
from bot.classify.gazetteer import Guard, PlaceKind, key
from bot.classify.matcher import Hit, Matcher, Scan
from bot.classify.normalize import align, nfc
from bot.classify.regions import REGIONS
from bot.classify.topic_model import TopicModel
from bot.classify.topics import FIGURATIVE, TOPICS
from bot.models import Tags, TargetKind

__all__ = ["Classifier", "Evidence", "Explanation"]

TITLE_POINTS: Final = 3
CATEGORY_POINTS: Final = 5
SENTENCE_POINTS: Final = 1
# a country this far ahead (a title mention) makes single mentions of others noise
LEAD_POINTS: Final = 3
LONG_TEASER_WORDS: Final = 100  # in a teaser this long, a country named once is named in passing
SHORT_TEASER_WORDS: Final = 40  # in a teaser this short, its first sentence is the news
LIST_MIN: Final = 3  # this many countries in a row ("A, B and C") are examples, not subjects
STRONG_POINTS: Final = 3
WEAK_POINTS: Final = 1
TOPIC_CATEGORY_POINTS: Final = 3
TOPIC_THRESHOLD: Final = 3
TERM_CAP: Final = 2  # the same term counts at most this often per field
MAX_COUNTRIES: Final = 6
MAX_TOPICS: Final = 3
CATEGORY_CACHE: Final = 4096  # distinct category names kept folded and scanned
TOPIC_SHARE: Final = 0.25  # a topic also needs this share of the best topic's points

_TITLE: Final = "title"
_TEXT: Final = "text"
_CATEGORY: Final = "category"
_SENTENCE_END: Final = re.compile(r"\.+[\"')\]]*\s")  # with "!" and "?" as ".": see _Field.ends
_LIST_GAP: Final = re.compile(r"\s*(?:,|;)?\s*(?:(?:and|or|&)\s+)?(?:the\s+)?")
# between two items of a list of topics, items may carry words of their own ("trade")
_TERM_GAP: Final = re.compile(r"[\w'\s,;&]*")
_TERM_GAP_WORDS: Final = 3
_WORD: Final = re.compile(r"[^\W\d_][\w'\u2019-]*")
_CASE_LOOK: Final = 32  # characters looked at first for a capital
_COMMON_SMALL: Final = re.compile("[eaoin]")  # one of these in a text means it is not all capitals
_LONG_WORD_INITIAL: Final = re.compile(r"([^\W\d_])[\w'\u2019-]{3,}")  # a word of 4 or more letters
_MONTH_BEFORE: Final = frozenset(
    {"in", "on", "since", "until", "till", "by", "from", "through", "last", "next", "this"}
    | {"early", "late", "mid", "during", "of"}
)
# an article between "war on" and what it is on: "la guerra contra EL periodismo"
_ARTICLE: Final = re.compile(
    r"^(?:the|el|la|los|las|le|les|o|a|os|as|un|une|una)\s+|^l['\u2019]", re.IGNORECASE
)
# a quoted noun is still a common one: "the war against 'fake news'"
_OPENING_QUOTES: Final = "\"'\u2018\u201c\u00ab\u201e\u201a "
# "north and " before a name, " et du sud" after one: a word of the name left unsaid
_ELIDED_JOIN: Final = r"(?:and|&|y|e|et)"
_ELIDED_BEFORE: Final = re.compile(rf"(?<![\w])([^\W\d_]+) {_ELIDED_JOIN} $")
_ELIDED_AFTER: Final = re.compile(rf" {_ELIDED_JOIN} ((?:[^\W\d_]+ )?[^\W\d_]+)\b")
_ELIDED_REACH: Final = 24
_ELIDED_JOINS: Final = (" and ", " & ", " y ", " e ", " et ")
_NONE: Final[frozenset[int]] = frozenset()  # no offsets: what a look that need not run finds
# A surname's lower-case particle: "Chad le Clos", "Jordan van Dijk" are names even in a
# title written in title case, which would capitalise a word there ("de", "da" and "la"
# are left out: they are also the prepositions of Spanish, French and Portuguese)
_NAME_PARTICLES: Final = frozenset({"le", "van", "von", "der", "den", "ter", "bin", "ibn"})
_GLOSS: Final = (" (", "(", ", ")  # a place's country said after it: "Bakú (Azerbaiyán)"
_TOPIC_ORDER: Final = {item.slug: index for index, item in enumerate(TOPICS)}
_WEAK_ALONE: Final = {item.slug: item.weak_alone for item in TOPICS}
_SHARED_WORDS: Final = frozenset(key(word) for word in geodata.AMBIGUOUS)  # "congo": CD or CG


class _Verdict(IntEnum):
    """How far one place hit may be trusted."""

    REJECT = 0
    TENTATIVE = 1  # counts only if the country has firm evidence too
    ACCEPT = 2


# Python 3.11 looks an enum's members up through EnumType.__getattr__, a Python-level hook
# costing a few hundred instructions per look; the hot loops use these module names.
_ACCEPT: Final = _Verdict.ACCEPT
_TENTATIVE: Final = _Verdict.TENTATIVE
_REJECT: Final = _Verdict.REJECT
_AREA: Final = PlaceKind.AREA
_CITY: Final = PlaceKind.CITY
_COUNTRY: Final = PlaceKind.COUNTRY
_DEMONYM: Final = PlaceKind.DEMONYM
_LEADER: Final = PlaceKind.LEADER
_LOWER: Final = PlaceKind.LOWER
_UNGUARDED: Final = Guard.NONE
_PERSON: Final = Guard.PERSON
_SUPPORT: Final = Guard.SUPPORT


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of text that counted towards a tag."""

    kind: TargetKind  # COUNTRY or TOPIC
    value: str  # ISO2 code or topic slug
    words: str  # as written in the article
    field: str  # "title", "text" or "category"
    points: int


@dataclass(frozen=True, slots=True)
class Explanation:
    """Tags plus the words behind them, for the reader's /why."""

    tags: Tags
    evidence: tuple[Evidence, ...] = ()
    scores: tuple[tuple[str, int], ...] = ()  # every candidate country or topic and its points
    dropped: tuple[str, ...] = field(default=())  # candidates that did not make the tags

    def words_for(self, value: str) -> tuple[str, ...]:
        """The distinct words that pointed to one country code or topic slug."""
        seen: dict[str, None] = {}
        for item in self.evidence:
            if item.value == value:
                seen.setdefault(item.words, None)
        return tuple(seen)


@dataclass(slots=True)
class _Field:
    """One piece of an article, folded once, with the case facts the rules need.  The
    costlier facts (Title Case, the dateline, sentence ends) are found on first use:
    many fields have no hit that asks for them."""

    name: str
    original: str
    folded: str
    has_upper: bool
    all_caps: bool
    start: int = 0  # hits before this offset (a byline) are not evidence
    framing: Sequence[tuple[int, int]] = ()  # bios, photo credits
    echo: str = ""  # the other of title and teaser, where a name may be said again
    cues: frozenset[str] = frozenset()  # the context cue groups the matcher saw here
    _title_case: bool | None = None
    _dateline: int | None = None
    _ends: list[int] | None = None

    @classmethod
    def of(cls, name: str, text: str) -> _Field:
        """Fold a field once, noting whether its capitals carry information."""
        original = nfc(text)
        has_upper = _has_upper(original)
        all_caps = has_upper and _all_caps(original)
        start = context.byline_end(original) if name == _TEXT else 0
        where = cls(name, original, align(original), has_upper, all_caps, start)
        if name != _TITLE:
            where._title_case = False
        if name != _TEXT:
            where._dateline = start
        return where

    @property
    def title_case(self) -> bool:
        """Whether a title is in Title Case, where guards go softer."""
        if self._title_case is None:
            self._title_case = not self.all_caps and _looks_title_case(self.original)
        return self._title_case

    @property
    def dateline(self) -> int:
        """Places before this offset only back up what the story says itself."""
        if self._dateline is None:
            self._dateline = context.frame_end(self.original, self.start)
        return self._dateline

    def scanned(self, cues: frozenset[str]) -> None:
        """Note the matcher's cue groups; a teaser's bios and credits are found with them."""
        self.cues = cues
        if self.name == _TEXT:
            self.framing = context.framing_spans(self.original, self.folded, cues)

    def frames(self, hit: Hit) -> bool:
        """Whether a place hit only frames the story: a dateline, a bio, an aside."""
        if self.name == _CATEGORY:
            return False
        start, end, entry = hit
        dateline = self._dateline  # the property's look, without its call: hits ask often
        if start < (dateline if dateline is not None else self.dateline):
            return True
        if self.framing and any(a <= start < b for a, b in self.framing):
            return True
        kind = entry.kind
        demonym = kind is _DEMONYM or kind is _LOWER  # a people's word (Enum's hash is slow)
        if not self.cues and not demonym and not context.may_be_aside(self.original, end):
            return False  # the cheap look is_aside takes first, without calling it
        return context.is_aside(
            self.original,
            self.folded,
            start,
            end,
            cues=self.cues,
            city=kind is _CITY,
            demonym=demonym,
            teaser=self.name == _TEXT,
        )

    def ends(self) -> list[int]:
        """Where each sentence ends, found once.  A regex search costs about a hundred
        instructions per character, so str.find jumps from one full stop to the next (with
        "!" and "?" made full stops, same length) and the regex only checks each one."""
        if self._ends is None:
            marks = self.folded.replace("!", ".").replace("?", ".")
            ends: list[int] = []
            find, match = marks.find, _SENTENCE_END.match
            position = find(".")
            while position >= 0:
                found = match(marks, position)
                if found is None:
                    position = find(".", position + 1)
                else:
                    ends.append(found.end())
                    position = find(".", ends[-1])
            self._ends = ends
        return self._ends

    def opening_end(self) -> int:
        """Where the first sentence of the story proper (after any dateline) ends."""
        ends = self.ends()
        index = bisect_right(ends, self.dateline)
        return ends[index] if index < len(ends) else len(self.folded)

    def sentence(self, position: int) -> int:
        """Index of the sentence holding a position, so a sentence counts a country once."""
        return bisect_right(self._ends if self._ends is not None else self.ends(), position)


def _has_upper(text: str) -> bool:
    """Whether any letter is a capital; most texts show one in their first words, and
    lower-casing the rest of a long accented text is slow."""
    head = text[:_CASE_LOOK]
    return head.lower() != head or text.lower() != text


def _all_caps(text: str) -> bool:
    """Whether the text is written in capitals; a common small letter says no at once."""
    return _COMMON_SMALL.search(text) is None and text.upper() == text


def _looks_title_case(text: str) -> bool:
    """Title Case hides whether a capital marks a name, so guards go softer there."""
    first = _WORD.search(text)
    if first is None:
        return False
    initials: list[str] = _LONG_WORD_INITIAL.findall(text, first.end())
    if len(initials) < 2:
        return False
    return sum(map(str.isupper, initials)) >= 0.6 * len(initials)


def _is_name_word(word: str) -> bool:
    """A capitalised neighbour that is not a function word suggests a person's name."""
    return word[:1].isupper() and word.lower() not in geodata.NEIGHBOUR_STOPWORDS


def _word_before(text: str, start: int) -> str:
    """The word right before a hit, if only one space separates them."""
    if start < 2 or text[start - 1] != " ":
        return ""
    end = start - 1
    begin = end
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] in "'\u2019-"):
        begin -= 1
    return text[begin:end]


def _word_after(text: str, end: int) -> str:
    """The word right after a hit, if only one space separates them."""
    if end + 1 >= len(text) or text[end] != " ":
        return ""
    begin = end + 1
    stop = begin
    while stop < len(text) and (text[stop].isalpha() or text[stop] in "'\u2019-"):
        stop += 1
    return text[begin:stop]


def _place_verdict(where: _Field, hit: Hit) -> _Verdict:
    """Apply case rules and guards to a place hit, using the original text."""
    start, end, entry = hit
    if not entry.target:
        return _REJECT
    guard, kind = entry.guard, entry.kind
    if where.name == _CATEGORY:
        if guard is _SUPPORT or not _whole(where, hit):
            return _TENTATIVE  # "Elections in DR Congo" needs the text to agree
        return _TENTATIVE if kind is _LEADER else _ACCEPT
    text = where.original
    if entry.exact is not None:
        spelled = text[start:end]
        if where.all_caps or (spelled != entry.exact and spelled != entry.titled):
            return _REJECT
        if text[end : end + 2].lstrip()[:1] == "$":
            return _REJECT  # "US$ 5 billion", "HK $3": a currency, not the country
    elif where.has_upper and (
        (
            kind is not _LOWER
            and not text[start].isupper()  # a cheap look before _lower_case's
            and _lower_case(text, hit)
            # "la Dominique", "l'île Maurice": the name's own article; its later words'
            # case decides, below
            and not (entry.shape is not None and entry.shape[0].islower())
        )
        or (entry.shape is not None and _common_words(text, hit, entry.shape))
    ):
        return _REJECT
    if guard is _SUPPORT:
        return _TENTATIVE
    if guard is _UNGUARDED:
        if kind is _COUNTRY and _in_name(where, hit) and not where.title_case:
            return _TENTATIVE  # "Air Canada", "Finca Líbano", "Tama Tonga"
        return _ACCEPT
    named = _is_name_word(_word_before(text, start))
    if guard is _PERSON and not named:
        after = _word_after(text, end)
        if after in _NAME_PARTICLES and _is_name_word(_word_after(text, end + 1 + len(after))):
            return _REJECT
        if not where.title_case:
            named = _is_name_word(after)
    if not named:
        return _ACCEPT
    return _TENTATIVE if where.title_case else _REJECT


def _in_name(where: _Field, hit: Hit) -> bool:
    """A country's name right after a capitalised word inside a sentence is part of a
    longer name (a firm, a farm, a wrestler), and so is the same pair said again."""
    text = where.original
    if hit.start < 2 or text[hit.start - 1] != " ":
        return False
    if not text[text.rfind(" ", 0, hit.start - 1) + 1 :][:1].isupper():
        return False  # a cheap look: the word before is not capitalised
    before = _word_before(text, hit.start)
    if not _is_name_word(before) or before.endswith(("'s", "\u2019s")):
        return False
    begin = hit.start - len(before) - 1
    head = text[:begin].rstrip()
    if head and head[-1] not in '.!?:;"\u201c\u00ab(|-\u2013\u2014':
        return True  # mid-sentence: only names are capitalised there
    pair = text[begin : hit.end]
    return text.find(pair, hit.end) >= 0 or pair in where.echo


def _lower_case(text: str, hit: Hit) -> bool:
    """A place word written in lower case is a common word ("turkey"); one with a capital
    inside ("eSwatini") is still the name."""
    words = text[hit.start : hit.end]
    return not words[0].isupper() and (words.islower() or not words.isalpha())


def _common_words(text: str, hit: Hit, shape: str) -> bool:
    """A name of several words written with a later word in lower case ("La paz") is
    common words, unless that word is a generic one ("the Gaza strip")."""
    written = text[hit.start : hit.end].replace("-", " ").split()
    for word, form in zip(written, shape.replace("-", " ").split(), strict=False):
        if form[:1].isupper() and word[:1].islower() and word not in geodata.GENERIC_PARTS:
            return True
    return False


def _whole(where: _Field, hit: Hit) -> bool:
    """A category that is just the name ("Peru", "Strikes") is the source's own tag for it."""
    return not where.folded[: hit.start].strip() and not where.folded[hit.end :].strip()


def _figure_of_speech(where: _Field, hit: Hit) -> bool:
    """A war word naming a campaign against a common noun ("the war on drugs", "la guerra
    contra el periodismo") or a holiday ("Invasion Day"); "the war on Gaza" stays war."""
    following = where.folded[hit.end :].split(None, 1)
    if not following:
        return False
    if following[0] in FIGURATIVE.next:
        return True
    if following[0] not in FIGURATIVE.against or len(following) < 2:
        return False
    if not where.has_upper or where.all_caps or where.title_case:
        return False  # without case nothing says whether a name follows
    rest = where.original[hit.end :].lstrip()[len(following[0]) :].lstrip()
    rest = _ARTICLE.sub("", rest.lstrip(_OPENING_QUOTES), count=1).lstrip(_OPENING_QUOTES)
    return rest[:1].islower()


def _topic_counts(where: _Field, hit: Hit) -> bool:
    """Apply exact-case, month and figure-of-speech rules to a topic hit."""
    entry = hit.entry
    if not entry.target:
        return False
    figure = where.folded[hit.start : hit.end] in FIGURATIVE.words
    if figure and _figure_of_speech(where, hit):
        return False
    if entry.exact is not None and where.name != _CATEGORY:
        return not where.all_caps and where.original[hit.start : hit.end] == entry.exact
    if entry.month:
        folded = where.folded
        if folded[hit.end : hit.end + 1] == " " and folded[hit.end + 1 : hit.end + 2].isdigit():
            return False
        before = folded[: hit.start].rstrip()
        previous = before[before.rfind(" ") + 1 :]
        if previous in _MONTH_BEFORE or previous[-1:].isdigit():
            return False
    return True


class Classifier:
    """Tags articles; build once with `default()` and share: it is immutable."""

    def __init__(self, matcher: Matcher, model: TopicModel | None = None) -> None:
        self._matcher = matcher
        self._model = model  # without one, the word lists alone decide the topics
        self._areas = _region_members()
        self._category = functools.lru_cache(maxsize=CATEGORY_CACHE)(self._scan_category)

    def _scan_category(self, name: str) -> tuple[_Field, Scan]:
        """A source's categories repeat from article to article ("Mass Action", "Peru"),
        so each is folded and scanned once; nothing later changes the field."""
        where = _Field.of(_CATEGORY, name)
        scan = self._matcher.scan(where.folded)
        where.scanned(scan.cues)
        return where, scan

    @property
    def matcher(self) -> Matcher:
        """The automaton the classifier scans with, for tools that look at every place word."""
        return self._matcher

    @classmethod
    def default(cls) -> Classifier:
        """The shared classifier over the bundled gazetteer and topics, built on first use."""
        return _default()

    def classify(self, title: str, text: str = "", categories: Sequence[str] = ()) -> Tags:
        """Countries and topics an article is about, most relevant first."""
        return self._analyse(title, text, categories, None)[0]

    def explain(self, title: str, text: str = "", categories: Sequence[str] = ()) -> Explanation:
        """The same tags as classify(), with the words that produced them."""
        evidence: list[Evidence] = []
        tags, scores = self._analyse(title, text, categories, evidence)
        chosen = {*tags.countries, *tags.topics}
        dropped = tuple(name for name, _ in scores if name not in chosen)
        return Explanation(tags, tuple(evidence), tuple(scores), dropped)

    def _analyse(
        self, title: str, text: str, categories: Sequence[str], evidence: list[Evidence] | None
    ) -> tuple[Tags, list[tuple[str, int]]]:
        """Score every hit once: the tags, and for explain(), which passes a list for the
        evidence, every candidate's points (classify() builds neither)."""
        fields = [_Field.of(_TITLE, title or ""), _Field.of(_TEXT, text or "")]
        fields[0].echo, fields[1].echo = fields[1].original, fields[0].original
        scans = [self._matcher.scan(where.folded) for where in fields]
        for name in categories:
            if name:
                where, scan = self._category(name)
                fields.append(where)
                scans.append(scan)
        size = (text or "").count(" ") + 1
        found = _Places(long=size >= LONG_TEASER_WORDS, short=size <= SHORT_TEASER_WORDS)
        firm: set[str] = set()
        seen: set[tuple[str, str, int]] = set()
        tentative: list[tuple[_Field, Hit, bool]] = []
        topic_points: dict[str, int] = {}
        term_seen: dict[tuple[int, str], int] = {}
        strong_topics: set[str] = set()  # topics with a strong word or a source tag
        salience = _Salience()  # where each topic's words stand
        salient, tail = salience.salient, salience.tail

        def count_place(where: _Field, hit: Hit, listed: bool) -> None:
            """Add a place's points, once per country per title, category or sentence."""
            start, end, entry = hit
            code, name = entry.target, where.name
            found.mentions[code] = found.mentions.get(code, 0) + 1
            if not listed or name == _TITLE:  # a list in the title is its subject
                found.free.add(code)
            if name == _TEXT:
                slot, points = where.sentence(start), SENTENCE_POINTS
            elif name == _TITLE:
                slot, points = -1, TITLE_POINTS
            elif _whole(where, hit) and entry.kind is not _LEADER:
                slot, points = -2, CATEGORY_POINTS
            else:  # "Elections in DR Congo": a phrase naming a place, worth one mention
                slot, points = -3, SENTENCE_POINTS
            said = (code, name, slot)
            if said in seen:
                return
            seen.add(said)
            found.points[code] = found.points.get(code, 0) + points
            if where.folded[start:end] in _SHARED_WORDS:
                found.vague[code] = found.vague.get(code, 0) + points
            if name == _TITLE or slot == -2:
                found.headline.add(code)
            if found.short and name == _TEXT and slot == where.sentence(where.dateline):
                found.opening.add(code)
            if name == _TEXT and context.acts(where.folded, start, end, where.cues):
                found.acting.add(code)
            if evidence is not None:
                words = where.original[start:end]
                evidence.append(Evidence(TargetKind.COUNTRY, code, words, name, points))

        areas = self._areas
        for index, (where, (places, terms, cues)) in enumerate(zip(fields, scans, strict=True)):
            name = where.name
            if name != _CATEGORY:
                where.scanned(cues)
                places = with_elided(where.folded, places, self._matcher)
            judged: list[tuple[Hit, _Verdict]] = []
            head = where.start
            in_title = name == _TITLE
            framed_end = -1  # where the last place that only frames the story ends
            for hit in places:
                start, end, entry = hit
                if start < head:
                    continue
                if in_title and entry.kind is _AREA:
                    # "Latin America: ..." is about a region, not a passer-by from elsewhere
                    members = areas.get(where.folded[start:end], frozenset())
                    found.focus = (found.focus or frozenset()) | members
                verdict = _place_verdict(where, hit)
                if verdict is _ACCEPT:
                    if where.frames(hit):
                        verdict, framed_end = _TENTATIVE, end
                    elif framed_end >= 0 and where.original[framed_end:start] in _GLOSS:
                        verdict = _TENTATIVE  # "la cumbre en Bakú (Azerbaiyán)": a venue too
                if verdict is not _REJECT:
                    judged.append((hit, verdict))
            # fewer hits than a list needs: skip the look for lists
            listed = (
                _listed(where.folded, [hit for hit, _ in judged])
                if len(judged) >= LIST_MIN
                else _NONE
            )
            for hit, verdict in judged:
                was_listed = hit.start in listed
                if verdict is _ACCEPT:
                    if not was_listed:  # an example in a list supports nothing
                        firm.add(hit.entry.target)
                    count_place(where, hit, was_listed)
                else:
                    tentative.append((where, hit, was_listed))
            if not terms:
                continue
            counted = [
                hit
                for hit in terms
                if hit.start >= head and (hit.entry.plain or _topic_counts(where, hit))
            ]
            text_field = name == _TEXT
            examples = (
                _term_lists(where.folded, counted)
                if text_field and len(counted) >= LIST_MIN
                else _NONE
            )
            category = name == _CATEGORY
            opening = where.opening_end() if counted and text_field else len(where.folded)
            for hit in counted:
                start, end, entry = hit
                term = (index, where.folded[start:end])
                times = term_seen.get(term, 0)
                if times >= TERM_CAP:
                    continue
                term_seen[term] = times + 1
                if category:
                    points = TOPIC_CATEGORY_POINTS if _whole(where, hit) else WEAK_POINTS
                else:
                    strong = entry.strong and start not in examples
                    points = STRONG_POINTS if strong else WEAK_POINTS
                    if in_title:
                        points *= 2
                firm_word = category or points >= STRONG_POINTS
                for each in (entry.target, *entry.also) if entry.also else (entry.target,):
                    topic_points[each] = topic_points.get(each, 0) + points
                    if start < opening:
                        salient.add(each)
                    elif points >= STRONG_POINTS:
                        tail.setdefault(each, set()).add(term[1])
                    if firm_word:
                        strong_topics.add(each)
                    if evidence is not None:
                        words = where.original[start:end]
                        evidence.append(Evidence(TargetKind.TOPIC, each, words, name, points))

        for where, hit, was_listed in tentative:
            # a source tag naming a place ("Elections in DR Congo") stands alone when the
            # text names no country at all; "Georgia" and a leader's tag never do
            alone = (
                not firm
                and where.name == _CATEGORY
                and hit.entry.guard is not _SUPPORT
                and hit.entry.kind is not _LEADER
            )
            # "Thai student denied bail": a title's one person is the story's country
            # when the story names no other
            alone = alone or (
                not firm and where.name == _TITLE and hit.entry.kind in (_DEMONYM, _LOWER)
            )
            if hit.entry.target in firm or alone:
                count_place(where, hit, was_listed)

        countries = found.pick()
        if evidence is not None and found.moved:
            evidence[:] = [
                replace(item, value=found.moved.get(item.value, item.value))
                if item.kind is TargetKind.COUNTRY
                else item
                for item in evidence
            ]
        if "protest" in strong_topics and "war" not in strong_topics and "war" in topic_points:
            # the dead and wounded of a protest with no word of war are the state's doing
            topic_points["repression"] = topic_points.get("repression", 0) + topic_points.pop("war")
            if "war" in salient:
                salient.add("repression")
            if evidence is not None:
                evidence[:] = [
                    replace(item, value="repression")
                    if item.kind is TargetKind.TOPIC and item.value == "war"
                    else item
                    for item in evidence
                ]
        floor = max(TOPIC_THRESHOLD, TOPIC_SHARE * max(topic_points.values(), default=0))
        topics = sorted(
            (
                slug
                for slug, points in topic_points.items()
                if points >= floor and (slug in strong_topics or _WEAK_ALONE[slug])
            ),
            key=lambda slug: (-topic_points[slug], _TOPIC_ORDER[slug]),
        )
        topics = [*topics[:1], *(slug for slug in topics[1:] if not salience.passing(slug))]
        topics = topics[:MAX_TOPICS]
        if self._model is not None and topic_points:
            folded = (fields[0].folded, fields[1].folded)
            topics = self._model.judge(
                folded, topic_points, topics, minimum=TOPIC_THRESHOLD, most=MAX_TOPICS
            )
        tags = Tags(tuple(countries), tuple(topics))
        if evidence is None:
            return tags, []
        return tags, sorted({**found.points, **topic_points}.items(), key=lambda kv: -kv[1])


@dataclass(slots=True)
class _Salience:
    """Where each topic's words stand, to tell a subject from a word in passing: a topic
    that is not the article's main one and is named by one strong word only after the
    teaser's first sentence ("... amid a hunger crisis") is dropped."""

    salient: set[str] = field(default_factory=set)  # named in the title, a tag or the opening
    tail: dict[str, set[str]] = field(default_factory=dict)  # topic -> strong words after it

    def passing(self, slug: str) -> bool:
        """Whether a topic other than the main one is only named in passing."""
        return slug not in self.salient and len(self.tail.get(slug, ())) < 2


@dataclass(slots=True)
class _Places:
    """What one article says about each country it names, for picking the ones it is about."""

    long: bool  # a long teaser: a country named once there is named in passing
    short: bool = False  # a short teaser: what its first sentence names is the news
    points: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)  # words naming it, repeats too
    headline: set[str] = field(default_factory=set)  # named in the title or a category
    free: set[str] = field(default_factory=set)  # named somewhere outside a list
    opening: set[str] = field(default_factory=set)  # named in the teaser's first sentence
    acting: set[str] = field(default_factory=set)  # its forces, government... act in the story
    focus: frozenset[str] | None = None  # members of the regions the title names
    vague: dict[str, int] = field(default_factory=dict)  # points from words of two countries
    moved: dict[str, str] = field(default_factory=dict)  # settled: the word's code -> the story's

    def settle(self) -> None:
        """A word two countries share ("Congo") names the one the story names otherwise
        ("Brazzaville", "Sassou Nguesso"), not the one the word is filed under."""
        for code, vague in list(self.vague.items()):
            if self.points.get(code, 0) > vague:
                continue  # the story names this country in words of its own
            rivals = {
                other
                for codes in geodata.AMBIGUOUS.values()
                if code in codes
                for other in codes
                if other != code and self.points.get(other, 0) > self.vague.get(other, 0)
            }
            if len(rivals) != 1:
                continue
            (other,) = rivals
            self.moved[code] = other
            self.points[other] += self.points.pop(code)
            self.mentions[other] = self.mentions.get(other, 0) + self.mentions.pop(code, 0)
            for group in (self.headline, self.free, self.opening, self.acting):
                if code in group:
                    group.discard(code)
                    group.add(other)

    def pick(self) -> list[str]:
        """Countries the article is about: headline ones, repeated ones, or all if none leads."""
        if not self.points:
            return []
        self.settle()
        lead = max(self.points.values())
        kept = [code for code in self.free if self._about(code, lead)]
        if not kept:  # examples in a list give way to a country named on its own
            kept = [code for code in self.points if self._about(code, lead)]
        order = list(self.points)
        kept.sort(key=lambda code: (-self.points[code], order.index(code)))
        return kept[:MAX_COUNTRIES]

    def _about(self, code: str, lead: int) -> bool:
        """Whether one country is a subject of the article rather than a passer-by."""
        if code in self.headline or self.points[code] >= 2 * SENTENCE_POINTS:
            return True
        if code in self.acting:
            return True  # "the occupying Israeli authorities": named once, but an actor
        if self.long and self.mentions[code] == 1:
            return False
        in_focus = self.focus is None or code in self.focus
        return in_focus and (code in self.opening or lead < LEAD_POINTS)


def with_elided(folded: str, places: list[Hit], matcher: Matcher) -> list[Hit]:
    """A name said once for two places ("North and South Korea", "Corée du Nord et du
    Sud", "Corea del Norte y del Sur") names both: the word before the "and" takes the
    name's first word's place, or the words after it its last words'."""
    extra: list[Hit] = []
    for hit in places:
        if not hit.entry.several or not hit.entry.target:
            continue
        joined_before = folded.endswith(_ELIDED_JOINS, 0, hit.start)
        if not joined_before and not folded.startswith(_ELIDED_JOINS, hit.end):
            continue  # a cheap look: no "and" on either side
        words = folded[hit.start : hit.end].split(" ")
        before = (
            _ELIDED_BEFORE.search(folded, max(0, hit.start - _ELIDED_REACH), hit.start)
            if joined_before
            else None
        )
        if before is not None:
            entry = matcher.place(" ".join([before.group(1), *words[1:]]))
            if entry is not None and entry.target not in ("", hit.entry.target):
                extra.append(Hit(before.start(1), before.end(1), replace(entry, shape=None)))
        after = _ELIDED_AFTER.match(folded, hit.end)
        if after is None:
            continue
        said = after.group(1).split(" ")
        for count in range(min(len(said), len(words) - 1), 0, -1):
            entry = matcher.place(" ".join([*words[:-count], *said[:count]]))
            if entry is not None and entry.target not in ("", hit.entry.target):
                end = after.start(1) + len(" ".join(said[:count]))
                start = end - len(said[count - 1])  # the last word: its capital is the name's
                extra.append(Hit(start, end, replace(entry, shape=None)))
                break
    if not extra:
        return places
    return sorted([*places, *extra], key=lambda hit: hit.start)


def _joins(gap: str) -> bool:
    """Whether the text between two items is a list separator ("," or "and")."""
    return "," in gap or ";" in gap or not {"and", "or", "&"}.isdisjoint(gap.split())


def _in_lists(folded: str, hits: Iterable[Hit], linked: Callable[[str], bool]) -> set[int]:
    """Starts of hits in a run naming LIST_MIN or more targets, neighbours `linked` by their gap."""
    found: set[int] = set()
    listed = list(hits)
    if len(listed) < LIST_MIN or len({hit.entry.target for hit in listed}) < LIST_MIN:
        return found  # too few targets for any list: skip the gaps
    run: list[Hit] = []
    for hit in [*listed, None]:
        if hit is not None and run and linked(folded[run[-1].end : hit.start]):
            run.append(hit)
            continue
        if len(run) >= LIST_MIN and len({item.entry.target for item in run}) >= LIST_MIN:
            found.update(item.start for item in run)
        run = [hit] if hit is not None else []
    return found


def _term_gap(gap: str) -> bool:
    if (
        "," not in gap
        and ";" not in gap
        and "&" not in gap
        and "and" not in gap
        and "or" not in gap
    ):
        return False  # a cheap look: no separator _joins could find
    short = len(gap.replace(",", " ").split()) <= _TERM_GAP_WORDS
    return short and _TERM_GAP.fullmatch(gap) is not None and _joins(gap)


def _term_lists(folded: str, hits: list[Hit]) -> set[int]:
    """Starts of terms in a list naming LIST_MIN or more topics ("racial justice,
    immigration or fossil fuels"): each is an example there, worth a weak word."""
    return _in_lists(folded, hits, _term_gap)


def _listed(folded: str, hits: list[Hit]) -> set[int]:
    """Starts of hits that stand in a run of LIST_MIN or more countries ("A, B and C")."""
    countries = (item for item in hits if item.entry.target)
    return _in_lists(
        folded, countries, lambda gap: _LIST_GAP.fullmatch(gap) is not None and _joins(gap)
    )


@functools.cache
def _region_members() -> dict[str, frozenset[str]]:
    """Folded region words ("latin america", "africans") -> the region's countries."""
    table: dict[str, frozenset[str]] = {}
    for item in REGIONS:
        for name in (item.name, *item.names):
            table.setdefault(key(name), item.countries)
    out: dict[str, frozenset[str]] = {}
    for phrase in geodata.AREA_NAMES:
        folded = key(phrase)
        # the people's word names the same region: "Africans" -> Africa, "Central American"
        for form in (folded, folded.removesuffix("s"), folded.removesuffix("ns")):
            for candidate in (form, form.removesuffix("n")):
                if candidate in table:
                    out.setdefault(folded, table[candidate])
    return out


@functools.cache
def _default() -> Classifier:
    """Build the shared classifier once per process."""
    return Classifier(Matcher.build(), TopicModel.load(slugs=[item.slug for item in TOPICS]))
