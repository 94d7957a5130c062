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
from bot.i18n import ENGLISH, N_, Translator
from bot.models import ArticleText, Target, TargetKind
from bot.urls import normalize_url
from handlers.common import reply, subscriber_id, tr
from handlers.context import NewsContext

MAX_EXPLAINED = 5  # articles explained for one digest
MAX_WORDS = 4  # words quoted per tag
USAGE = N_(
    "Reply <code>/why</code> to one of my pushes, or send <code>/why URL</code>, "
    "and I'll show which words tagged the article."
)
_FIELDS = {"title": N_("title"), "text": N_("teaser"), "category": N_("source tag")}


def _name(value: str, t: Translator) -> str:
    """A country code or topic slug as readers see it."""
    if len(value) == 2 and value.isupper() and country(value) is not None:
        return t.label(Target(TargetKind.COUNTRY, value, value))
    if topic(value) is not None:
        return t.label(Target(TargetKind.TOPIC, value, value))
    if region(value) is not None:
        return t.label(Target(TargetKind.REGION, value, value))
    return value


def _words(explanation: Explanation, value: str, t: Translator) -> str:
    """“Peru” (title), “Lima” (teaser): the evidence for one tag, each quote once."""
    seen: dict[tuple[str, str], None] = {}
    for item in explanation.evidence:
        if item.value == value:
            where = t.gettext(_FIELDS[item.field]) if item.field in _FIELDS else item.field
            seen.setdefault((item.words, where), None)
    quoted = [f"“{escape(words)}” ({where})" for words, where in list(seen)[:MAX_WORDS]]
    more = len(seen) - MAX_WORDS
    rest = t.ngettext(" and {count} more", " and {count} more", more).format(count=more)
    return ", ".join(quoted) + (rest if more > 0 else "")


def why_html(article: ArticleText, explanation: Explanation, t: Translator = ENGLISH) -> str:
    """The explanation of one article's tags, as a Telegram HTML message part."""
    tags = explanation.tags
    lines = [f"<b>{escape(article.title or article.url)}</b>"]
    for value in (*tags.countries, *tags.topics):
        lines.append(f"• {escape(_name(value, t))}: {_words(explanation, value, t)}")
    if not tags.countries and not tags.topics:
        lines.append(t.gettext("No country or topic was found in its title, teaser or tags."))
    dropped = [value for value in explanation.dropped if explanation.words_for(value)]
    if dropped:
        shown = ", ".join(
            f"{escape(_name(v, t))} ({_words(explanation, v, t)})" for v in dropped[:3]
        )
        lines.append(
            t.gettext("<i>Mentioned but not enough to tag:</i> {names}").format(names=shown)
        )
    if (tags.countries, tags.topics) != (article.countries, article.topics):
        values = (*article.countries, *article.topics)
        stored = ", ".join(_name(v, t) for v in values) or t.gettext("nothing")
        lines.append(
            t.gettext("<i>When it arrived it was tagged:</i> {names}").format(names=escape(stored))
        )
    return "\n".join(lines)


def explain_articles(
    classifier: Classifier, articles: list[ArticleText], t: Translator = ENGLISH
) -> str:
    """Explain up to MAX_EXPLAINED articles, one block each."""
    blocks = [
        why_html(article, classifier.explain(article.title, article.teaser, article.categories), t)
        for article in articles[:MAX_EXPLAINED]
    ]
    more = len(articles) - MAX_EXPLAINED
    if more > 0:
        blocks.append(
            t.ngettext(
                "… and {count} more in that digest.", "… and {count} more in that digest.", more
            ).format(count=more)
        )
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
    t = tr(context)
    words = (message.text or "").split(None, 1)[1:]
    argument = words[0].strip() if words else ""
    if argument:
        found = await services.store.article_by_url(normalize_url(argument.split()[0]))
        if found is None:
            await reply(update, t.gettext("I haven't stored that article, so I can't say why."))
            return
        articles = [found]
    elif (replied_to := _replied(message)) is not None:
        chat_id = await subscriber_id(update, context)  # a topic's pushes are the topic's
        articles = await services.store.articles_for_message(chat_id or chat.id, replied_to)
        if not articles:
            not_ours = t.gettext("That message isn't one of my pushes.")
            await reply(update, f"{not_ours} {t.gettext(USAGE)}")
            return
    else:
        await reply(update, t.gettext(USAGE))
        return
    await reply(update, explain_articles(services.classifier, articles, t))
