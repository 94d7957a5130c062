"""/why: the words that tagged a pushed article, by reply or by URL."""

from __future__ import annotations

from bot.models import NewArticle, PlannedPush, PollIntent
from tests.handlers.harness import USER, Newsbot

URL = "https://news.example/peru-strike/"
TITLE = "Peru: Miners Strike In Arequipa"
TEASER = "Thousands of Peruvian miners went on strike on Monday. Lima promised talks."


async def push_article(bot: Newsbot) -> int:
    """Store one article with a push to USER, send it, and return the message id."""
    await bot.say("/start")
    (source,) = await bot.services.store.list_sources()
    article = NewArticle(
        source_id=source.id,
        url=URL,
        url_norm=URL.rstrip("/"),
        title=TITLE,
        teaser=TEASER,
        guid=None,
        author=None,
        published_at=None,
        countries=("PE",),
        topics=("labor",),
        categories=("Peru", "Strikes"),
    )
    await bot.services.store.apply(PollIntent([], [article], [PlannedPush(USER, article.url_norm)]))
    (due,) = await bot.services.store.due_pushes(10)
    sent = await bot.app.bot.send_message(USER, TITLE)
    await bot.services.store.mark_sent([due.id], sent.message_id)
    return int(sent.message_id)


async def test_why_as_a_reply_names_the_words_behind_each_tag(newsbot: Newsbot) -> None:
    message_id = await push_article(newsbot)
    before = len(newsbot.tg.messages_to(USER))
    update_id = newsbot.tg.send_text(USER, "/why", reply_to_message_id=message_id)
    await newsbot._process(update_id)
    (answer,) = newsbot.tg.messages_to(USER)[before:]
    text = answer.plain_text
    assert TITLE in text
    assert "🇵🇪 Peru: “Peru” (title)" in text
    assert "“Peruvian” (teaser)" in text
    assert "“Peru” (source tag)" in text
    assert "✊ Labor: “Miners Strike” (title), “went on strike” (teaser)" in text


async def test_why_with_a_url_explains_the_stored_article(newsbot: Newsbot) -> None:
    await push_article(newsbot)
    text = await newsbot.reply(f"/why {URL}")
    assert "🇵🇪 Peru:" in text and "✊ Labor:" in text


async def test_why_without_a_push_or_url_says_how(newsbot: Newsbot) -> None:
    assert "Reply /why to one of my pushes" in await newsbot.reply("/why")
    assert "haven't stored" in await newsbot.reply("/why https://elsewhere.example/x")
    sent = await newsbot.app.bot.send_message(USER, "not a push")
    before = len(newsbot.tg.messages_to(USER))
    await newsbot._process(newsbot.tg.send_text(USER, "/why", reply_to_message_id=sent.message_id))
    (answer,) = newsbot.tg.messages_to(USER)[before:]
    assert "isn't one of my pushes" in answer.plain_text
