"""What monitoring reads at /metrics: polls, sources, articles, pushes, Telegram's answers.

Each bot has its own registry (not prometheus_client's global one), so several bots in one
process (the tests) don't count into each other. The outbox gauges are read from the store
when /metrics is scraped, not kept up to date on every write.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.models import DeliveryStats

CONTENT_TYPE: str = CONTENT_TYPE_LATEST  # what /metrics answers with

# how long a send takes, from asking Telegram to its answer: a round trip is ~0.1 s
_SEND_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_POLL_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class Metrics:
    """The bot's counters; the poll job, the sender and the Pacer report into it."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.polls = Counter("newsbot_polls", "Polls run", registry=r)
        self.poll_seconds = Histogram(
            "newsbot_poll_seconds", "How long a poll took", buckets=_POLL_BUCKETS, registry=r
        )
        self.sources = Counter(
            "newsbot_source_reads", "Sources read, by outcome", ["outcome"], registry=r
        )
        self.new_articles = Counter("newsbot_new_articles", "New articles stored", registry=r)
        self.pushes_queued = Counter("newsbot_pushes_queued", "Pushes queued", registry=r)
        self.pushes_sent = Counter("newsbot_pushes_sent", "Pushes Telegram accepted", registry=r)
        self.pushes_failed = Counter("newsbot_pushes_failed", "Pushes given up", registry=r)
        self.telegram_answers = Counter(
            "newsbot_telegram_answers",
            "Bot API answers by HTTP code (network: no answer)",
            ["code"],
            registry=r,
        )
        self.send_seconds = Histogram(
            "newsbot_send_seconds", "Time for Telegram to accept a message", buckets=_SEND_BUCKETS,
            registry=r,
        )  # fmt: skip
        self.outbox_depth = Gauge("newsbot_outbox_pending", "Pushes waiting", registry=r)
        self.outbox_oldest = Gauge(
            "newsbot_outbox_oldest_due_seconds", "Age of the oldest push due now", registry=r
        )
        self.leader = Gauge("newsbot_leader", "1 while this process polls and sends", registry=r)

    def poll_done(
        self, *, ok: int, failed: int, unchanged: int, new: int, queued: int, seconds: float
    ) -> None:
        self.polls.inc()
        self.poll_seconds.observe(seconds)
        self.sources.labels("ok").inc(ok - unchanged)
        self.sources.labels("unchanged").inc(unchanged)
        self.sources.labels("failed").inc(failed)
        self.new_articles.inc(new)
        self.pushes_queued.inc(queued)

    def outbox(self, stats: DeliveryStats, now: float) -> None:
        self.outbox_depth.set(stats.pending)
        oldest = stats.oldest_due_at
        self.outbox_oldest.set(max(0.0, now - oldest) if oldest is not None else 0.0)

    def text(self) -> bytes:
        return generate_latest(self.registry)
