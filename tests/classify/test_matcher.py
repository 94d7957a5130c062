"""The matcher finds exactly the whole-word matches a naive search finds.

The automaton matches over a word-break form of the text (every character that is not a
letter or digit as a space), so these tests hold it to the plain definition: a phrase
matches where the folded text holds it exactly and no letter or digit touches either end.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify.classifier import Classifier
from bot.classify.matcher import Entry, Hit, Layer, Matcher, _longest
from bot.classify.normalize import align

PHRASES = {
    "u.s.": Layer.GEO, "us": Layer.GEO, "peru": Layer.GEO, "south sudan": Layer.GEO,
    "sudan": Layer.GEO, "war": Layer.TOPIC, "labour union": Layer.TOPIC,
    "union": Layer.TOPIC, "workers' strike": Layer.TOPIC, "strike": Layer.TOPIC,
    "côte d'ivoire": Layer.GEO, "ice": Layer.TOPIC,
}  # fmt: skip
CUES = {"meeting": ["talks", "summit"]}
WORDS = ["u", "s", "us", "peru", "south", "sudan", "war", "toward", "labour", "union",
         "workers", "strike", "cote", "d", "ivoire", "ice", "price", "talks",
         "summitry"]  # fmt: skip
GAPS = [" ", " ", "  ", ".", "'", "-", "/", ",", "_", "é", "9", "€", "…", "\t"]


def _matcher() -> Matcher:
    return Matcher(((p, Entry(layer, p)) for p, layer in PHRASES.items()), CUES)


def _naive(folded: str, layer: Layer) -> list[tuple[int, int, str]]:
    hits = []
    for phrase, where in PHRASES.items():
        wanted = align(phrase)
        if where is not layer:
            continue
        start = folded.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            if not before.isalnum() and not after.isalnum():
                hits.append(Hit(start, end, Entry(layer, phrase)))
            start = folded.find(wanted, start + 1)
    hits.sort(key=lambda hit: hit.end)
    return [(hit.start, hit.end, hit.entry.target) for hit in _longest(hits)]


text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=30).map(
    lambda parts: "".join(word + gap for word, gap in parts)
)


@settings(max_examples=400)
@given(text)
def test_scan_finds_what_a_naive_whole_word_search_finds(raw: str) -> None:
    folded = align(raw)
    scan = _matcher().scan(folded)
    assert [(h.start, h.end, h.entry.target) for h in scan.places] == _naive(folded, Layer.GEO)
    assert [(h.start, h.end, h.entry.target) for h in scan.terms] == _naive(folded, Layer.TOPIC)


def test_a_phrase_with_punctuation_needs_it_and_cues_count_inside_words() -> None:
    scan = _matcher().scan(align("U S sanctions; U.S. talks, summitry, labour/union"))
    assert [(h.start, h.entry.target) for h in scan.places] == [(15, "u.s.")]
    assert [h.entry.target for h in scan.terms] == ["union"]  # not "labour union"
    assert scan.cues == frozenset({"meeting"})  # "talks", and "summit" inside "summitry"


def test_a_category_is_scanned_once_and_tags_stay_the_same() -> None:
    classifier = Classifier.default()
    first = classifier.explain("Strike in Lima", "Miners stop work.", ["Peru", "Labor"])
    hits = classifier._category.cache_info().hits
    again = classifier.explain("Strike in Lima", "Miners stop work.", ["Peru", "Labor"])
    assert again == first and "PE" in first.tags.countries
    assert classifier._category.cache_info().hits == hits + 2
