"""Every command and button in the real Application, with FakeTelegram recording the replies."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.classify.topics import TOPICS
from bot.models import Target, TargetKind
from bot.query.resolver import Resolver
from handlers import COMMANDS
from handlers.common import unsubscribe_data
from tests.fakes.telegram import DEFAULT_GROUP_USER_ID
from tests.handlers.harness import GROUP, PE, USER, Newsbot, buttons

RESOLVER = Resolver.default()


def target(word: str) -> Target:
    found = RESOLVER.resolve(word)
    assert isinstance(found, Target)
    return found


PERU, LABOR, LITHIUM = (target(word) for word in ("Peru", "labor", '"lithium mining"'))


async def test_start_welcomes_and_a_button_subscribes(newsbot: Newsbot) -> None:
    welcome = await newsbot.one("/start")
    assert welcome.plain_text.startswith("👋 I bring you independent news")
    offered = buttons(welcome)
    assert offered["s|country|PE"] == "🇵🇪 Peru"
    assert offered["s|topic|labor"] == "✊ Labor"
    chat = await newsbot.services.store.get_chat(USER)
    assert chat is not None
    assert (chat.type, chat.active) == ("private", True)

    (confirmation,) = await newsbot.press(welcome, "s|country|PE")
    assert confirmation.plain_text == "✅ Subscribed to 🇵🇪 Peru"
    # the message says it, so the toast says nothing (not a second "Subscribed")
    assert "text" not in newsbot.tg.calls_to("answerCallbackQuery")[-1]
    assert await newsbot.followed() == [PE]
    (again,) = await newsbot.press(welcome, "s|country|PE")
    assert again.plain_text == "You already follow 🇵🇪 Peru"
    assert "text" not in newsbot.tg.calls_to("answerCallbackQuery")[-1]


async def test_help_lists_every_command(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/help")
    for name, _ in COMMANDS:
        assert f"/{name}" in text, name


async def test_subscribe_peru_is_confirmed_and_stored(newsbot: Newsbot) -> None:
    assert await newsbot.reply("/subscribe Peru") == "✅ Subscribed to 🇵🇪 Peru"
    assert await newsbot.followed() == [PE]
    assert await newsbot.reply("/subscribe Peru") == "You already follow 🇵🇪 Peru"
    assert await newsbot.followed() == [PE]


@pytest.mark.parametrize("word", ["peru", "Perú", "Peruvian", "PE", "peru, Perú, Peruvian, PE"])
async def test_spellings_of_peru_resolve_to_pe(newsbot: Newsbot, word: str) -> None:
    assert await newsbot.reply(f"/subscribe {word}") == "✅ Subscribed to 🇵🇪 Peru"
    assert await newsbot.followed() == [PE]


async def test_labor_and_strikes_are_one_topic(newsbot: Newsbot) -> None:
    assert await newsbot.reply("/subscribe labor, strikes") == "✅ Subscribed to ✊ Labor"
    assert await newsbot.followed() == [(TargetKind.TOPIC, "labor")]


async def test_keywords_from_quotes_and_prefix(newsbot: Newsbot) -> None:
    reply = await newsbot.reply('/subscribe "lithium mining"')
    assert reply == '✅ Subscribed to 🔎 "lithium mining"'
    assert await newsbot.reply("/subscribe keyword lithium") == '✅ Subscribed to 🔎 "lithium"'
    assert sorted(await newsbot.followed()) == [
        (TargetKind.KEYWORD, "lithium"),
        (TargetKind.KEYWORD, "lithium mining"),
    ]


async def test_several_comma_separated(newsbot: Newsbot) -> None:
    reply = await newsbot.reply('/subscribe Peru, Chile, climate, "water war"')
    assert reply == '✅ Subscribed to 🇵🇪 Peru, 🇨🇱 Chile, 🌍 Climate, 🔎 "water war"'
    assert sorted(await newsbot.followed()) == [
        (TargetKind.COUNTRY, "CL"),
        PE,
        (TargetKind.KEYWORD, "water war"),
        (TargetKind.TOPIC, "climate"),
    ]


async def test_typo_suggests_with_a_button(newsbot: Newsbot) -> None:
    answer = await newsbot.one("/subscribe Perj")
    assert "Did you mean 🇵🇪 Peru?" in answer.plain_text
    assert buttons(answer) == {"s|country|PE": "🇵🇪 Peru"}
    assert await newsbot.followed() == []
    (confirmation,) = await newsbot.press(answer, "s|country|PE")
    assert confirmation.plain_text == "✅ Subscribed to 🇵🇪 Peru"
    assert await newsbot.followed() == [PE]


async def test_a_typo_one_edit_from_a_name_is_followed_and_the_reply_says_how_it_was_read(
    newsbot: Newsbot,
) -> None:
    answer = await newsbot.one("/subscribe Argentna, Peru")
    assert answer.plain_text == "Argentna → 🇦🇷 Argentina\n✅ Subscribed to 🇦🇷 Argentina, 🇵🇪 Peru"
    assert await newsbot.followed() == [(TargetKind.COUNTRY, "AR"), PE]


async def test_subscribe_alone_shows_usage_and_buttons(newsbot: Newsbot) -> None:
    answer = await newsbot.one("/subscribe")
    assert answer.plain_text.startswith("Tell me what to follow")
    assert "/subscribe Peru" in answer.plain_text
    assert {"s|country|PE", "s|topic|labor", "s|topic|climate"} <= buttons(answer).keys()
    assert await newsbot.followed() == []


async def test_arguments_on_the_next_line(newsbot: Newsbot) -> None:
    reply = await newsbot.reply("/subscribe\nPeru\nlabor")
    assert reply == "✅ Subscribed to 🇵🇪 Peru, ✊ Labor"
    assert await newsbot.followed() == [PE, (TargetKind.TOPIC, "labor")]


async def test_unsubscribe_by_name(newsbot: Newsbot) -> None:
    await newsbot.say("/subscribe Peru, labor")
    assert await newsbot.reply("/unsubscribe Peru") == "Unsubscribed from 🇵🇪 Peru"
    assert await newsbot.followed() == [(TargetKind.TOPIC, "labor")]
    assert await newsbot.reply("/unsubscribe Peru") == "You weren't following 🇵🇪 Peru"


async def test_unsubscribe_alone_offers_buttons_and_all(newsbot: Newsbot) -> None:
    assert (await newsbot.reply("/unsubscribe")).startswith("You don't follow anything")
    await newsbot.say('/subscribe Peru, labor, "lithium mining"')
    picker = await newsbot.one("/unsubscribe")
    peru = unsubscribe_data(PERU)
    assert buttons(picker) == {
        peru: "🇵🇪 Peru",
        unsubscribe_data(LABOR): "✊ Labor",
        unsubscribe_data(LITHIUM): '🔎 "lithium mining"',
        "u|all": "🗑 Unsubscribe all",
    }

    (edited,) = await newsbot.press(picker, peru)
    assert edited.method == "editMessageText"
    assert peru not in buttons(edited)
    assert "u|all" in buttons(edited)
    assert len(await newsbot.followed()) == 2

    (emptied,) = await newsbot.press(edited, "u|all")
    assert emptied.plain_text.startswith("You no longer follow anything")
    assert buttons(emptied) == {}
    assert newsbot.tg.calls_to("answerCallbackQuery")[-1]["text"] == (
        "Unsubscribed from 2 subscriptions"
    )
    assert await newsbot.followed() == []


async def test_list(newsbot: Newsbot) -> None:
    assert (await newsbot.reply("/list")).startswith("You don't follow anything yet")
    await newsbot.say('/subscribe Peru, labor, "lithium mining"')
    listing = await newsbot.reply("/list")
    assert listing.startswith("This chat follows")
    for number, label in enumerate(("🇵🇪 Peru", '🔎 "lithium mining"', "✊ Labor"), 1):
        assert f"{number}. {label}" in listing  # the numbers /unsubscribe 2 reads
    assert "paused" not in listing


async def test_topics_lists_every_slug(newsbot: Newsbot) -> None:
    text = await newsbot.reply("/topics")
    for item in TOPICS:
        assert f"({item.slug})" in text, item.slug


async def test_latest_without_articles_is_friendly(newsbot: Newsbot) -> None:
    answer = await newsbot.reply("/latest")
    assert answer.startswith("No recent articles about all sources yet")
    await newsbot.say("/subscribe Peru")
    assert (await newsbot.reply("/latest")).startswith("No recent articles about what you follow")


async def test_latest_lists_only_matching_titles(newsbot: Newsbot) -> None:
    await newsbot.store_articles(
        ("Strike in Lima", ("PE",)),
        ("Pension reform protests in Paris", ("FR",)),
        ("Miners march on Cusco", ("PE", "BO")),
    )
    await newsbot.say("/subscribe Peru")
    mine = await newsbot.reply("/latest")
    assert "Strike in Lima" in mine
    assert "Miners march on Cusco" in mine
    assert "Paris" not in mine
    france = await newsbot.reply("/latest France")
    assert "Pension reform protests in Paris" in france
    assert "Lima" not in france
    assert "Cusco" not in france


async def test_pause_and_resume(newsbot: Newsbot) -> None:
    await newsbot.say("/subscribe Peru")
    assert (await newsbot.reply("/pause")).startswith("⏸ Pushes paused")
    assert await newsbot.paused()
    assert "Pushes are paused" in await newsbot.reply("/list")
    assert (await newsbot.reply("/resume")).startswith("▶️ Pushes resumed")
    assert not await newsbot.paused()


async def test_group_command_addressed_to_the_bot(newsbot: Newsbot) -> None:
    newsbot.tg.group_admins[GROUP].add(DEFAULT_GROUP_USER_ID)
    answer = await newsbot.one("/subscribe@newsbot_test_bot Peru", GROUP, chat_type="group")
    assert answer.plain_text == "✅ Subscribed to 🇵🇪 Peru"
    assert await newsbot.followed(GROUP) == [PE]
    chat = await newsbot.services.store.get_chat(GROUP)
    assert chat is not None
    assert chat.type == "group"
    assert await newsbot.say("/subscribe@other_bot Chile", GROUP, chat_type="group") == []
    assert await newsbot.say("/nonsense", GROUP, chat_type="group") == []
    assert await newsbot.followed(GROUP) == [PE]


async def test_unknown_command_in_private_points_to_help(newsbot: Newsbot) -> None:
    answer = await newsbot.reply("/frobnicate now")
    assert answer == "I don't know that command. /help lists what I understand."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 5000, "I work with commands"),
        ("🦄🔥💥", "I work with commands"),
        ("<b>bold</b> <script>alert(1)</script> &amp;", "I work with commands"),
        ("/subscribe " + "y" * 5000, "too long for one term"),
        ("/subscribe 🦄🔥💥", "I found no word to follow"),
        ("/subscribe <script>alert(1)</script>", "I don't know “script>alert(1)</script”"),
        ("/subscribe <br> & <i>", "I don't know “br> & <i”"),
        ("/subscribe &lt;&amp;", "I don't know “&lt”. To follow it as a keyword"),
        ("/unsubscribe <marquee>", "This chat follows nothing called “marquee”"),
        ("/latest <b>Peru</b>", "I don't know “b>Peru</b”"),
        ("/subscribe ~~~", "I found no word to follow in “~~~”"),
        ('/subscribe "', "Tell me what to follow"),
        ("/subscribe , ; |", "Tell me what to follow"),
        ("/subscribe @newsbot_test_bot", "Tell me what to follow"),
        ('/unsubscribe ""', "You don't follow anything"),
        ("/latest ,", "No recent articles about all sources yet"),
    ],
)
async def test_nonsense_gets_a_helpful_reply(newsbot: Newsbot, text: str, expected: str) -> None:
    answer = await newsbot.reply(text)
    assert expected in answer
    assert await newsbot.followed() == []


async def test_update_without_message_is_ignored(newsbot: Newsbot) -> None:
    await newsbot.app.process_update(Update(update_id=1))
    assert newsbot.tg.sent == []


async def test_a_chat_that_blocked_us_is_back_after_start(newsbot: Newsbot) -> None:
    """Blocked (403) makes a chat inactive; its reader sending /start again re-activates it."""
    await newsbot.say("/subscribe Peru")
    await newsbot.services.store.deactivate_chat(USER, "Forbidden: bot was blocked by the user")
    chat = await newsbot.services.store.get_chat(USER)
    assert chat is not None and not chat.active
    await newsbot.say("/start")
    chat = await newsbot.services.store.get_chat(USER)
    assert chat is not None and chat.active
    assert await newsbot.followed() == [(TargetKind.COUNTRY, "PE")]


async def test_in_a_group_only_admins_change_what_it_follows(newsbot: Newsbot) -> None:
    """A member may read /list and /latest but not unsubscribe, pause or reschedule the group."""
    admin, member = DEFAULT_GROUP_USER_ID, 777
    newsbot.tg.group_admins[GROUP].add(admin)
    await newsbot.say("/subscribe Peru", GROUP, chat_type="group")
    assert await newsbot.followed(GROUP) == [PE]

    for command in ("/unsubscribe Peru", "/subscribe Chile", "/pause", "/settings quiet 22-7"):
        before = len(newsbot.tg.messages_to(GROUP))
        update = newsbot.tg.send_text(GROUP, command, chat_type="group", user_id=member)
        await newsbot._process(update)
        (refusal,) = newsbot.tg.messages_to(GROUP)[before:]
        assert refusal.plain_text == "Only this group's admins can change what it follows and when."
    assert await newsbot.followed(GROUP) == [PE]
    assert not await newsbot.paused(GROUP)

    picker = await newsbot.one("/unsubscribe", GROUP, chat_type="group")
    await newsbot._process(
        newsbot.tg.press_button(GROUP, picker.message_id, "u|all", user_id=member)
    )
    assert await newsbot.followed(GROUP) == [PE]
    (answer,) = newsbot.tg.calls_to("answerCallbackQuery")[-1:]
    assert answer.get("show_alert") is True and "admins" in str(answer.get("text"))
