"""/why: which words tagged an article with which country and topic.

Reply /why to a message newsbot pushed (a digest explains each of its articles), or send
/why URL for any stored article.
"""

from __future__ import annotations

from html import escape

from telegram import Message, Update

from bot.classify.classifier import Classifier, Explanation
from bot.classify.countries import country
from bot.classify.regions import region
from bot.classify.topics import topic
from bot.models import ArticleText
from bot.urls import normalize_url
from handlers.common import reply, subscriber_id
from handlers.context import NewsContext

MAX_EXPLAINED = 5  # articles explained for one digest
MAX_WORDS = 4  # words quoted per tag
USAGE = (
    "Reply <code>/why</code> to one of my pushes, or send <code>/why URL</code>, "
    "and I'll show which words tagged the article."
)
_FIELDS = {"title": "title", "text": "teaser", "category": "source tag"}


def _name(value: str) -> str:
    """A country code or topic slug as readers see it."""
    found_country = country(value) if len(value) == 2 and value.isupper() else None
    if found_country is not None:
        return f"{found_country.flag} {found_country.name}"
    found_topic = topic(value)
    if found_topic is not None:
        return found_topic.label
    found_region = region(value)
    return found_region.label if found_region is not None else value


def _words(explanation: Explanation, value: str) -> str:
    """“Peru” (title), “Lima” (teaser): the evidence for one tag, each quote once."""
    seen: dict[tuple[str, str], None] = {}
    for item in explanation.evidence:
        if item.value == value:
            seen.setdefault((item.words, _FIELDS.get(item.field, item.field)), None)
    quoted = [f"“{escape(words)}” ({where})" for words, where in list(seen)[:MAX_WORDS]]
    more = len(seen) - MAX_WORDS
    return ", ".join(quoted) + (f" and {more} more" if more > 0 else "")


def why_html(article: ArticleText, explanation: Explanation) -> str:
    """The explanation of one article's tags, as a Telegram HTML message part."""
    tags = explanation.tags
    lines = [f"<b>{escape(article.title or article.url)}</b>"]
    for value in (*tags.countries, *tags.topics):
        lines.append(f"• {escape(_name(value))}: {_words(explanation, value)}")
    if not tags.countries and not tags.topics:
        lines.append("No country or topic was found in its title, teaser or tags.")
    dropped = [value for value in explanation.dropped if explanation.words_for(value)]
    if dropped:
        shown = ", ".join(f"{escape(_name(v))} ({_words(explanation, v)})" for v in dropped[:3])
        lines.append(f"<i>Mentioned but not enough to tag:</i> {shown}")
    if (tags.countries, tags.topics) != (article.countries, article.topics):
        stored = ", ".join(_name(v) for v in (*article.countries, *article.topics)) or "nothing"
        lines.append(f"<i>When it arrived it was tagged:</i> {escape(stored)}")
    return "\n".join(lines)


def explain_articles(classifier: Classifier, articles: list[ArticleText]) -> str:
    """Explain up to MAX_EXPLAINED articles, one block each."""
    blocks = [
        why_html(article, classifier.explain(article.title, article.teaser, article.categories))
        for article in articles[:MAX_EXPLAINED]
    ]
    if len(articles) > MAX_EXPLAINED:
        blocks.append(f"… and {len(articles) - MAX_EXPLAINED} more in that digest.")
    return "\n\n".join(blocks)


def _replied(message: Message) -> int | None:
    """The message /why replies to; in a forum topic, not the topic's own creation, which
    Telegram shows as the reply of every message that replies to nothing else."""
    replied = message.reply_to_message
    if replied is None or replied.forum_topic_created is not None:
        return None
    return replied.message_id


async def why_command(update: Update, context: NewsContext) -> None:
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    services = context.services
    words = (message.text or "").split(None, 1)[1:]
    argument = words[0].strip() if words else ""
    if argument:
        found = await services.store.article_by_url(normalize_url(argument.split()[0]))
        if found is None:
            await reply(update, "I haven't stored that article, so I can't say why.")
            return
        articles = [found]
    elif (replied_to := _replied(message)) is not None:
        chat_id = await subscriber_id(update, context)  # a topic's pushes are the topic's
        articles = await services.store.articles_for_message(chat_id or chat.id, replied_to)
        if not articles:
            await reply(update, "That message isn't one of my pushes. " + USAGE)
            return
    else:
        await reply(update, USAGE)
        return
    await reply(update, explain_articles(services.classifier, articles))
