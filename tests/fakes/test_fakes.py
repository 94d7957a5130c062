"""Tests for the loopback fakes: a real PTB Bot against FakeTelegram, httpx against FakeNewsSite."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import feedparser
import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes.news_site import FakeArticle, FakeNewsSite, Fault
from tests.fakes.telegram import FakeError, FakeTelegram, parse_html

USER = 111
GROUP = -100500


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns when RetryAfter is built without PTB_TIMEDELTA, and warnings are errors."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """A fresh fake Telegram per test."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    """A real PTB Bot pointed at the fake."""
    async with Bot(tg.token, base_url=tg.base_url) as real_bot:
        yield real_bot


@pytest.fixture
async def site() -> AsyncIterator[FakeNewsSite]:
    """A fresh fake news site with two articles."""
    async with FakeNewsSite() as fake:
        fake.add(
            FakeArticle(
                "Strike in Lima",
                "Workers walk out.",
                "strike-lima",
                datetime(2024, 3, 1, tzinfo=UTC),
            )
        )
        fake.add(
            FakeArticle(
                'Cats & "dogs" <3 in Bogotá',
                "Fish & chips <b>not bold</b>",
                "cats-dogs",
                datetime(2024, 3, 2, 12, 30, tzinfo=UTC),
                categories=("Colombia", "Animals"),
            )
        )
        yield fake


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client like the bot's fetcher uses."""
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


# -- FakeTelegram ----------------------------------------------------------------------------


async def test_get_me(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "newsbot_test_bot"
    assert tg.calls[0][0] == "getMe"


async def test_send_message_returns_message_and_is_recorded(tg: FakeTelegram, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    first = await bot.send_message(USER, "<b>Hola</b> &amp; adiós", parse_mode=ParseMode.HTML)
    second = await bot.send_message(USER, "plain", reply_markup=markup)
    assert first.text == "Hola & adiós"
    assert first.entities[0].type == "bold"
    assert first.chat.id == USER
    assert first.chat.type == "private"
    assert first.from_user is not None
    assert first.from_user.id == tg.bot_id
    assert second.message_id == first.message_id + 1
    sent = tg.messages_to(USER)
    assert [m.text for m in sent] == ["<b>Hola</b> &amp; adiós", "plain"]
    assert sent[0].plain_text == "Hola & adiós"
    assert sent[0].parse_mode == "HTML"
    assert sent[1].reply_markup == {
        "inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]
    }


async def test_fail_next_blocked_then_recovers(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(USER, FakeError.blocked())
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(USER, "hi")
    await bot.send_message(USER, "hi again")
    assert [m.text for m in tg.sent] == ["hi again"]
    assert [name for name, _ in tg.calls].count("sendMessage") == 2


async def test_retry_after(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(USER, FakeError.retry_after(7), times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(USER, "hi")
        assert info.value.retry_after == timedelta(seconds=7)
    await bot.send_message(USER, "hi")


async def test_forum_topics_take_messages_until_closed(tg: FakeTelegram, bot: Bot) -> None:
    thread = tg.add_topic(-1009, "Andes")
    sent = await bot.send_message(-1009, "into the topic", message_thread_id=thread)
    assert sent.is_topic_message and sent.message_thread_id == thread
    assert tg.messages_to(-1009)[0].thread_id == thread
    with pytest.raises(BadRequest, match="not found"):
        await bot.send_message(-1009, "nowhere", message_thread_id=thread + 99)
    tg.close_topic(-1009, thread)
    with pytest.raises(BadRequest, match=r"(?i)topic_closed"):
        await bot.send_message(-1009, "closed", message_thread_id=thread)


async def test_channels_answer_by_the_bots_rights(tg: FakeTelegram, bot: Bot) -> None:
    tg.add_channel(-1005, "andesnews", admins={USER}, bot="admin")
    found = await bot.get_chat("@andesnews")
    assert (found.id, found.type) == (-1005, "channel")
    assert (await bot.get_chat_member("@andesnews", USER)).status == "creator"
    me = await bot.get_chat_member(-1005, tg.bot_id)
    assert me.status == "administrator" and not getattr(me, "can_post_messages", True)
    with pytest.raises(BadRequest, match="administrator rights"):
        await bot.send_message(-1005, "hi")
    tg.channels[-1005].bot = "absent"
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-1005, "hi")
    with pytest.raises(BadRequest, match="not found"):
        await bot.get_chat("@nosuchchannel")


async def test_chat_migrated(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(-42, FakeError.migrated(-1001234))
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(-42, "hi")
    assert info.value.new_chat_id == -1001234


@pytest.mark.parametrize(
    ("error", "match"),
    [
        (FakeError.chat_not_found(), "Chat not found"),
        (FakeError.too_long(), "Message is too long"),
        (FakeError.cant_parse(), "Can't parse entities"),
    ],
)
async def test_bad_requests(tg: FakeTelegram, bot: Bot, error: FakeError, match: str) -> None:
    tg.fail_next(USER, error)
    with pytest.raises(BadRequest, match=match):
        await bot.send_message(USER, "hi")


async def test_real_validation_rejects_what_telegram_rejects(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await bot.send_message(USER, "line<br>break", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "<b></b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
        await bot.send_message(USER, "hi", reply_markup=markup)


def test_parse_html_offsets_are_utf16() -> None:
    text, entities = parse_html('🇵🇪 <a href="https://x.org/?a=1&amp;b=2">Perú</a> &lt;3')
    assert text == "🇵🇪 Perú <3"
    assert entities == [
        {"type": "text_link", "offset": 5, "length": 4, "url": "https://x.org/?a=1&b=2"}
    ]


async def test_server_error_and_unknown_method_and_bad_token(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(USER, FakeError.server_error())
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(USER, "hi")
    async with httpx.AsyncClient() as http:
        unknown = await http.post(f"{tg.base_url}{tg.token}/sendStory", data={"chat_id": "1"})
        assert unknown.status_code == 404
        assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        as_json = await http.post(
            f"{tg.base_url}{tg.token}/sendMessage", json={"chat_id": 5, "text": "j"}
        )
        assert as_json.json()["result"]["text"] == "j"
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=tg.base_url):
            pass


async def test_get_updates_returns_command_and_honours_offset(tg: FakeTelegram, bot: Bot) -> None:
    update_id = tg.send_text(USER, "/start@newsbot_test_bot Peru")
    updates = await bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [update_id]
    message = updates[0].message
    assert message is not None
    assert message.text == "/start@newsbot_test_bot Peru"
    assert message.from_user is not None
    assert message.from_user.id == USER
    assert message.entities[0].type == "bot_command"
    assert message.entities[0].length == len("/start@newsbot_test_bot")
    assert await bot.get_updates(offset=update_id, timeout=0) != ()
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    assert tg.pending_updates == []


async def test_long_poll_waits_about_timeout_then_wakes_on_update(
    tg: FakeTelegram, bot: Bot
) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2.0

    async def later() -> None:
        await asyncio.sleep(0.2)
        tg.send_text(GROUP, "hello group", user_id=7, chat_type="supergroup", title="Reds")

    started = time.monotonic()
    task = asyncio.create_task(later())
    updates = await bot.get_updates(timeout=5)
    await task
    assert time.monotonic() - started < 1.5
    assert updates[0].effective_chat is not None
    assert updates[0].effective_chat.title == "Reds"
    assert updates[0].effective_user is not None
    assert updates[0].effective_user.id == 7


async def test_drop_pending_updates(tg: FakeTelegram, bot: Bot) -> None:
    tg.send_text(USER, "/start")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_second_poller_gets_conflict(tg: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await tg.wait_for_call("getUpdates")
    async with Bot(tg.token, base_url=tg.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)
    with pytest.raises(Conflict):
        await first


async def test_button_press_and_edits(tg: FakeTelegram, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Unsubscribe", callback_data="unsub:pe")]])
    sent = await bot.send_message(USER, "Subscribed to Peru", reply_markup=markup)
    with pytest.raises(AssertionError, match="no button"):
        tg.press_button(USER, sent.message_id, "nope")
    tg.press_button(USER, sent.message_id, "unsub:pe")
    (update,) = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None
    assert query.data == "unsub:pe"
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="Done")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)
    await bot.edit_message_text("Unsubscribed", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Unsubscribed", chat_id=USER, message_id=sent.message_id)
    current = tg.current_message(USER, sent.message_id)
    assert current is not None
    assert current.text == "Unsubscribed"
    assert current.reply_markup is None  # editing text without reply_markup drops the keyboard
    assert [m.method for m in tg.messages_to(USER)] == ["sendMessage", "editMessageText"]


async def test_commands_round_trip(tg: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("subscribe", "Follow a country"), ("latest", "Latest news")])
    assert tg.commands == [
        {"command": "subscribe", "description": "Follow a country"},
        {"command": "latest", "description": "Latest news"},
    ]
    assert [c.command for c in await bot.get_my_commands()] == ["subscribe", "latest"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Bad-Name", "x")])


async def test_rate_limits_and_latency(tg: FakeTelegram, bot: Bot) -> None:
    tg.enforce_limits = True
    tg.send_delay = 0.05
    started = time.monotonic()
    await bot.send_message(USER, "one")
    assert time.monotonic() - started >= 0.05
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER, "two")
    assert info.value.retry_after == timedelta(seconds=1)
    assert tg.too_many_requests == 1
    tg.send_delay = 0
    for i in range(20):
        await bot.send_message(GROUP, f"g{i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP, "g20")
    assert tg.too_many_requests == 2


async def test_global_rate_limit(tg: FakeTelegram, bot: Bot) -> None:
    tg.enforce_limits = True
    for chat in range(1000, 1030):
        await bot.send_message(chat, "x")
    tg.fail_next(2000, FakeError.blocked())  # injected faults win over flood control
    with pytest.raises(Forbidden):
        await bot.send_message(2000, "x")
    with pytest.raises(RetryAfter):
        await bot.send_message(2000, "over the global limit")
    assert tg.too_many_requests == 1


async def test_real_application_polls_and_replies(tg: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
        await update.effective_message.reply_text(f"Welcome {context.args}", reply_markup=markup)

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("ok")

    app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()
    app.add_handlers([CommandHandler("start", start), CallbackQueryHandler(button)])
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        tg.send_text(USER, "/start now")
        tg.send_text(GROUP, "/start@newsbot_test_bot", chat_type="supergroup")
        tg.send_text(GROUP, "/start@other_bot", chat_type="supergroup")
        (reply,) = await tg.wait_for_messages(USER, 1, timeout=5)
        assert reply.text == "Welcome ['now']"
        await tg.wait_for_messages(GROUP, 1, timeout=5)
        tg.press_button(USER, reply.message_id, "go")
        await tg.wait_for_call("answerCallbackQuery")
        await app.updater.stop()
        await app.stop()
    assert len(tg.messages_to(GROUP)) == 1
    assert tg.pending_updates == []
    assert [name for name, _ in tg.calls][:3] == ["getMe", "deleteWebhook", "getUpdates"]


async def test_wait_for_messages_reports_what_arrived(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "only one")
    with pytest.raises(AssertionError, match="got 1: \\[\\('sendMessage', 'only one'\\)\\]"):
        await tg.wait_for_messages(USER, 2, timeout=0.2)


# -- FakeNewsSite ----------------------------------------------------------------------------


async def test_rss_parses_newest_first_with_escaping(
    site: FakeNewsSite, client: httpx.AsyncClient
) -> None:
    response = await client.get(site.rss_url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = [e.title for e in feed.entries]
    assert titles == ['Cats & "dogs" <3 in Bogotá', "Strike in Lima"]
    entry = feed.entries[0]
    assert entry.link == site.url_of("cats-dogs")
    assert entry.id == site.guid_of("cats-dogs")
    assert [t.term for t in entry.tags] == ["Colombia", "Animals"]
    assert "Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt;" in entry.summary
    assert entry.published_parsed[:5] == (2024, 3, 2, 12, 30)


async def test_atom_and_listing_and_article_page(
    site: FakeNewsSite, client: httpx.AsyncClient
) -> None:
    atom = feedparser.parse((await client.get(site.atom_url)).content)
    assert not atom.bozo
    assert [e.title for e in atom.entries] == ['Cats & "dogs" <3 in Bogotá', "Strike in Lima"]
    assert atom.entries[0].summary == "Fish & chips <b>not bold</b>"
    listing = (await client.get(site.listing_url)).text
    assert listing.count("<article ") == 2
    assert '<h2 class="entry-title"><a href="' + site.url_of("cats-dogs") in listing
    assert "Cats &amp; &quot;dogs&quot; &lt;3 in Bogotá" in listing
    assert listing.count('class="more-link"') == 2
    assert "Support independent journalism" in listing
    page = await client.get(site.url_of("strike-lima"))
    assert page.status_code == 200
    assert '<h1 class="entry-title">Strike in Lima</h1>' in page.text
    assert (await client.get(site.url_of("strike-lima").rstrip("/"))).status_code == 301
    assert (await client.get(f"{site.base_url}/2024/03/09/strike-lima/")).status_code == 404


async def test_conditional_get(site: FakeNewsSite, client: httpx.AsyncClient) -> None:
    first = await client.get(site.rss_url)
    etag = first.headers["etag"]
    again = await client.get(site.rss_url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert site.requests_to("/feed/")[-1]["if-none-match"] == etag
    by_date = await client.get(
        site.rss_url, headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert by_date.status_code == 304
    site.add(FakeArticle("New", "t", "new", datetime.now(UTC)))
    changed = await client.get(
        site.rss_url,
        headers={"If-None-Match": etag, "If-Modified-Since": first.headers["last-modified"]},
    )
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert feedparser.parse(changed.content).entries[0].title == "New"


@pytest.mark.parametrize("fault", ["500", "404"])
async def test_status_faults(site: FakeNewsSite, client: httpx.AsyncClient, fault: Fault) -> None:
    site.set_fault("/feed/", fault)
    assert (await client.get(site.rss_url)).status_code == int(fault)
    site.set_fault("/feed/", None)
    assert (await client.get(site.rss_url)).status_code == 200


async def test_content_faults(site: FakeNewsSite, client: httpx.AsyncClient) -> None:
    site.set_fault("/feed/", "malformed")
    assert feedparser.parse((await client.get(site.rss_url)).content).bozo
    site.set_fault("/feed/", "redirect")
    moved = await client.get(site.rss_url, follow_redirects=True)
    assert moved.history[0].status_code == 302
    assert str(moved.url) == f"{site.base_url}/moved/feed/"
    assert len(feedparser.parse(moved.content).entries) == 2
    site.set_fault("/feed/", "gzip")
    zipped = await client.get(site.rss_url)
    assert zipped.headers["content-encoding"] == "gzip"
    assert len(feedparser.parse(zipped.content).entries) == 2
    site.set_fault("/atom.xml", "latin1")
    latin = await client.get(site.atom_url)
    assert latin.headers["content-type"] == "application/atom+xml"
    assert latin.content.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    assert "Bogot\xe1".encode("iso-8859-1") in latin.content
    assert feedparser.parse(latin.content).entries[0].title == 'Cats & "dogs" <3 in Bogotá'


async def test_huge_and_slow_faults(site: FakeNewsSite, client: httpx.AsyncClient) -> None:
    site.set_fault("/feed/", "huge")
    received = 0
    async with client.stream("GET", site.rss_url) as response:
        assert "content-length" not in response.headers
        async for chunk in response.aiter_bytes():
            received += len(chunk)
            if received > 2 * 1024 * 1024:
                break
    assert received > 2 * 1024 * 1024
    site.huge_bytes = 300_000
    whole = await client.get(site.rss_url)
    assert len(whole.content) > 300_000
    assert len(feedparser.parse(whole.content).entries) == 2
    site.set_fault("/feed/", "slow")
    with pytest.raises(httpx.ReadTimeout):
        await client.get(site.rss_url, timeout=httpx.Timeout(5, read=0.3))
