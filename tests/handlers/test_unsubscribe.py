"""/unsubscribe finds what /subscribe stored, however it is named back: button, text, number."""

from __future__ import annotations

from bot.models import Target, TargetKind
from bot.query.resolver import MAX_TERMS
from handlers.common import MAX_CALLBACK_BYTES
from tests.handlers.harness import Newsbot, buttons

FILTER = "Peru AND (strike OR protest) -football"


async def filters_followed(newsbot: Newsbot) -> list[Target]:
    subs = await newsbot.services.store.list_subscriptions(111)
    return [s.target for s in subs if s.target.kind is TargetKind.FILTER]


async def test_the_readme_filter_has_a_button_that_unsubscribes_it(newsbot: Newsbot) -> None:
    await newsbot.say(f"/subscribe {FILTER}")
    assert len(await filters_followed(newsbot)) == 1
    picker = await newsbot.one("/unsubscribe")
    offered = buttons(picker)
    assert all(len(data.encode()) <= MAX_CALLBACK_BYTES for data in offered)
    assert not any("Peru" in data or "PE" in data for data in offered)  # ids, not text
    (data,) = [data for data, text in offered.items() if text.startswith("🧩")]
    (emptied,) = await newsbot.press(picker, data)
    assert emptied.plain_text.startswith("You no longer follow anything")
    assert await filters_followed(newsbot) == []


async def test_typing_the_same_filter_again_unsubscribes_it(newsbot: Newsbot) -> None:
    await newsbot.say(f"/subscribe {FILTER}")
    (stored,) = await filters_followed(newsbot)
    assert await newsbot.reply(f"/unsubscribe {FILTER}") == f"Unsubscribed from {stored.label}"
    assert await filters_followed(newsbot) == []


async def test_a_filter_equal_up_to_order_is_the_same_subscription(newsbot: Newsbot) -> None:
    await newsbot.say("/subscribe Peru AND strike")
    (stored,) = await filters_followed(newsbot)
    # subscribing again in another order changes nothing and says so
    assert await newsbot.reply("/subscribe strike AND Peru") == f"You already follow {stored.label}"
    assert await newsbot.reply("/subscribe (strike) AND Peru AND strike") == (
        f"You already follow {stored.label}"
    )
    assert await newsbot.reply("/unsubscribe strike AND Peru") == (
        f"Unsubscribed from {stored.label}"
    )
    assert await filters_followed(newsbot) == []


async def test_the_label_pasted_from_list_unsubscribes(newsbot: Newsbot) -> None:
    await newsbot.say(f"/subscribe {FILTER}")
    await newsbot.say("/subscribe Chile")
    listing = (await newsbot.reply("/list")).splitlines()
    (line,) = [line for line in listing if "🧩" in line]
    for pasted in (line, line.split(". ", 1)[1]):  # with its number, and without it
        await newsbot.say(f"/subscribe {FILTER}")
        assert (await newsbot.reply(f"/unsubscribe {pasted}")).startswith("Unsubscribed from 🧩")
        assert await filters_followed(newsbot) == []
    assert await newsbot.followed() == [(TargetKind.COUNTRY, "CL")]


async def test_unsubscribe_by_the_numbers_list_shows(newsbot: Newsbot) -> None:
    await newsbot.say("/subscribe Peru, Chile, labor")
    listing = (await newsbot.reply("/list")).splitlines()
    third = listing[4]  # title, blank line, then 1. 2. 3.
    assert third.startswith("3. ")
    assert await newsbot.reply("/unsubscribe 3") == f"Unsubscribed from {third[3:]}"
    assert await newsbot.reply("/unsubscribe 1, 2") == "Unsubscribed from 🇨🇱 Chile, 🇵🇪 Peru"
    assert await newsbot.followed() == []
    assert "no number 7" in await newsbot.reply("/unsubscribe 7")


async def test_an_unknown_word_is_not_offered_as_a_keyword_to_unsubscribe(
    newsbot: Newsbot,
) -> None:
    answer = await newsbot.reply("/unsubscribe Narnia")
    assert "/subscribe keyword" not in answer
    assert "follows nothing called “Narnia”" in answer and "/list" in answer


async def test_a_hundred_subscriptions_come_in_pages_of_ten(newsbot: Newsbot) -> None:
    words = ", ".join(f'"story {n:03d}"' for n in range(100))
    for start in range(0, 100, MAX_TERMS):
        chunk = ", ".join(f'"story {n:03d}"' for n in range(start, min(start + MAX_TERMS, 100)))
        await newsbot.say(f"/subscribe {chunk}")
    assert len(await newsbot.followed()) == 100 and words
    picker = await newsbot.one("/unsubscribe")
    offered = buttons(picker)
    assert picker.plain_text == "Tap what to stop following (page 1 of 10):"
    subscriptions = {d: t for d, t in offered.items() if t.startswith("🔎")}
    assert len(subscriptions) == 10 and "u|p|2" in offered and "u|all" in offered
    assert not any(t.startswith("◀") for t in offered.values())

    (second,) = await newsbot.press(picker, "u|p|2")
    assert second.plain_text.startswith("Tap what to stop following (page 2 of 10)")
    page_two = {d: t for d, t in buttons(second).items() if t.startswith("🔎")}
    assert len(page_two) == 10 and not set(page_two) & set(subscriptions)
    assert {"u|p|1", "u|p|3"} <= set(buttons(second))

    data, text = next(iter(page_two.items()))
    (after,) = await newsbot.press(second, data)
    assert after.plain_text.startswith("Tap what to stop following (page 2 of 10)")
    assert text not in buttons(after).values()
    assert len(await newsbot.followed()) == 99


async def test_more_terms_than_one_command_reads_are_named_not_dropped(newsbot: Newsbot) -> None:
    names = [f'"word{n:02d}"' for n in range(MAX_TERMS + 3)]
    answer = await newsbot.reply("/subscribe " + ", ".join(names))
    assert len(await newsbot.followed()) == MAX_TERMS
    assert f"at most {MAX_TERMS} things" in answer
    for late in names[MAX_TERMS:]:
        assert f"“{late}”" in answer, late
