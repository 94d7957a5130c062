"""/latest with many keywords over a full store: how long a reader waits.

    python bench/latest.py [--articles 20000] [--keywords 25]

Stores N articles (300-character titles and teasers, the caps) in a temporary SQLite store,
then asks /latest's query for K keyword subscriptions that match nothing (the worst case:
nothing stops the search early) and for K that include one match. Prints each time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import NewArticle, PollIntent, SourceSpec, Target, TargetKind
from bot.pipeline.match import latest
from bot.store.sqlite import SqliteStore

WORDS = [
    "strike",
    "union",
    "workers",
    "march",
    "government",
    "police",
    "protest",
    "election",
    "vote",
    "minister",
]


async def measure(articles: int, keywords: int) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "latest.db")
        (source,) = await store.sync_sources([SourceSpec("A", "https://a.example/")])
        for start in range(0, articles, 5000):
            batch = [
                NewArticle(
                    source_id=source.id,
                    url=f"https://a.example/{n}/",
                    url_norm=f"https://a.example/{n}",
                    title=" ".join(rng.choice(WORDS) for _ in range(45))[:300],
                    teaser=" ".join(rng.choice(WORDS) for _ in range(45))[:300],
                    guid=None,
                    author=None,
                    published_at=None,
                    countries=("FR",),
                    topics=("labor",),
                )
                for n in range(start, min(articles, start + 5000))
            ]
            await store.apply(PollIntent([], batch, []))
        none = [Target(TargetKind.KEYWORD, f"nothing{k} here", "") for k in range(keywords)]
        some = [*none[:-1], Target(TargetKind.KEYWORD, "police protest", "")]
        for name, targets in (("matching nothing", none), ("one matching", some)):
            started = time.perf_counter()
            found = await latest(store, targets, limit=10)
            took = time.perf_counter() - started
            print(
                f"{articles} articles, {keywords} keywords {name}: {took:.3f}s, {len(found)} found"
            )
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--keywords", type=int, default=25)
    args = parser.parse_args()
    asyncio.run(measure(args.articles, args.keywords))


if __name__ == "__main__":
    main()
