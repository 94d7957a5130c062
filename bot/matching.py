"""Which chats get which new articles: lookups by (kind, value), never a loop over all chats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.classify.classifier import keyword_in
from bot.models import Target, TargetKind
from bot.storage import NewArticle, PlannedPush, Store, StoredArticle, Subscriber


@dataclass(frozen=True, slots=True)
class Candidate:
    """The parts of an article that matching looks at."""

    key: str
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    text: str


def candidate(article: NewArticle | StoredArticle, key: str) -> Candidate:
    return Candidate(key, article.countries, article.topics, f"{article.title}\n{article.teaser}")


def matches(target: Target, item: Candidate) -> bool:
    """The one definition of a subscription matching an article (used by /latest)."""
    if target.kind is TargetKind.COUNTRY:
        return target.value in item.countries
    if target.kind is TargetKind.TOPIC:
        return target.value in item.topics
    return keyword_in(target.value, item.text)


def plan(
    items: Sequence[Candidate],
    subscribers: Iterable[Subscriber],
    *,
    digest_threshold: int,
    batch: str,
) -> list[PlannedPush]:
    """One push per (chat, article); a chat with more than `digest_threshold` gets one digest."""
    index: dict[tuple[TargetKind, str], set[int]] = defaultdict(set)
    keywords: dict[str, set[int]] = defaultdict(set)
    for sub in subscribers:
        if sub.kind is TargetKind.KEYWORD:
            keywords[sub.value].add(sub.chat_id)
        else:
            index[(sub.kind, sub.value)].add(sub.chat_id)
    per_chat: dict[int, list[str]] = defaultdict(list)
    for item in items:
        chats: set[int] = set()
        for code in item.countries:
            chats |= index.get((TargetKind.COUNTRY, code), set())
        for slug in item.topics:
            chats |= index.get((TargetKind.TOPIC, slug), set())
        for phrase, followers in keywords.items():
            if not followers <= chats and keyword_in(phrase, item.text):
                chats |= followers
        for chat_id in chats:
            per_chat[chat_id].append(item.key)
    pushes: list[PlannedPush] = []
    for chat_id, keys in per_chat.items():
        group = f"{batch}:{chat_id}" if len(keys) > digest_threshold else None
        pushes.extend(PlannedPush(chat_id, key, group) for key in keys)
    return pushes


async def route(
    store: Store, items: Sequence[Candidate], *, digest_threshold: int, batch: str
) -> list[PlannedPush]:
    """Plan the pushes for new articles, asking the store only for the targets they carry."""
    if not items:
        return []
    countries = sorted({code for item in items for code in item.countries})
    topics = sorted({slug for item in items for slug in item.topics})
    subscribers = [
        *await store.subscribers(TargetKind.COUNTRY, countries),
        *await store.subscribers(TargetKind.TOPIC, topics),
        *await store.keyword_subscribers(),
    ]
    return plan(items, subscribers, digest_threshold=digest_threshold, batch=batch)


async def latest(
    store: Store, targets: Sequence[Target], *, limit: int, window: int = 500
) -> list[StoredArticle]:
    """The newest stored articles matching any target (all of them when `targets` is empty)."""
    recent = await store.recent_articles(window)
    if not targets:
        return recent[:limit]
    found = [a for a in recent if any(matches(t, candidate(a, a.url)) for t in targets)]
    return found[:limit]
