"""/subscribe, /unsubscribe, /list and their buttons."""

from __future__ import annotations

import re
from html import escape

from telegram import InlineKeyboardButton, Message, Update

from bot.i18n import N_, Translator
from bot.models import Subscription, Target, TargetKind, Unresolved
from bot.query.resolver import MAX_TERMS
from bot.query.subscriptions import (
    MAX_SUBSCRIPTIONS,
    Outcome,
    popular,
    subscribe,
    subscribe_text,
    unsubscribe_all,
    unsubscribe_id,
    unsubscribe_key,
    unsubscribe_text,
)
from handlers.channels import Addressed, addressed
from handlers.common import (
    SUBSCRIBE,
    UNSUBSCRIBE,
    UNSUBSCRIBE_ALL,
    UNSUBSCRIBE_PAGE,
    buttons,
    keyboard,
    may_change,
    parse_callback,
    reply,
    shown,
    subscriber_id,
    thread_of,
    tr,
)
from handlers.context import NewsContext

USAGE = N_(
    "Tell me what to follow: a country, a topic or a phrase in quotes.\n"
    "<code>/subscribe Peru</code> · <code>/subscribe labor, climate</code> · "
    '<code>/subscribe "lithium mining"</code>\n\nOr tap one:'
)
PAGE_SIZE = 10  # unsubscribe buttons per page of the picker
DROPPED_SHOWN = 5  # terms named in "not read: …"; the rest are counted
EMPTIED = N_("You no longer follow anything. /subscribe to start again.")
STALE = N_("That button is out of date.")
CHANNEL_USAGE = N_("Tell me what {name} should follow: <code>/subscribe {name} Peru, labor</code>.")
CHANNEL_NUMBERED = N_("<code>/unsubscribe {name} 2</code> stops following number 2.")
CHANNEL_EMPTY = N_("{name} doesn't follow anything yet: <code>/subscribe {name} Peru</code>.")
CHANNEL_FOLLOWS = N_("<b>{name} follows</b>")
FOLLOWS = {"chat": N_("<b>This chat follows</b>"), "topic": N_("<b>This topic follows</b>")}


def _unresolved_lines(unresolved: list[Unresolved]) -> list[str]:
    return [escape(item.message) for item in unresolved]


def _suggestions(unresolved: list[Unresolved]) -> list[Target]:
    return [target for item in unresolved for target in item.suggestions]


def _dropped_line(dropped: list[str], t: Translator, *, added: bool) -> list[str]:
    """Terms past MAX_TERMS: named (a few) and counted, so none vanishes without a word."""
    if not dropped:
        return []
    named = ", ".join(f"“{shown(term)}”" for term in dropped[:DROPPED_SHOWN])
    more = len(dropped) - DROPPED_SHOWN
    if more > 0:
        named += t.ngettext(" and {count} more", " and {count} more", more).format(count=more)
    line = (
        t.gettext(
            "One command reads at most {count} things, so these were not added: {terms}. "
            "Send them in another message."
        )
        if added
        else t.gettext(
            "One command reads at most {count} things, so these were not removed: {terms}. "
            "Send them in another message."
        )
    )
    return [line.format(count=MAX_TERMS, terms=named)]


def subscribe_reply(outcome: Outcome, t: Translator) -> str:
    lines: list[str] = [escape(note) for note in outcome.notes]  # "Argentna → 🇦🇷 Argentina"
    if outcome.changed:
        names = escape(t.labels(outcome.changed))
        lines.append(t.gettext("✅ Subscribed to {names}").format(names=names))
    if outcome.unchanged:
        names = escape(t.labels(outcome.unchanged))
        lines.append(t.gettext("You already follow {names}").format(names=names))
    if outcome.over_limit:
        lines.append(
            t.gettext(
                "A chat can follow at most {count} things; not added: {names}. "
                "/unsubscribe something first."
            ).format(count=MAX_SUBSCRIPTIONS, names=escape(t.labels(outcome.over_limit)))
        )
    lines += _unresolved_lines(outcome.unresolved)
    lines += _dropped_line(outcome.dropped, t, added=True)
    return "\n".join(lines)


def _buttons_for(
    where: Addressed, rows: list[list[InlineKeyboardButton]]
) -> list[list[InlineKeyboardButton]]:
    """A button tapped in the private chat would act on that chat, not on the channel named."""
    return [] if where.channel is not None else rows


async def _allowed(update: Update, context: NewsContext, where: Addressed) -> bool:
    """A named channel's rights were checked already; a chat's or topic's are checked here."""
    return where.channel is not None or await may_change(update, context)


async def subscribe_command(update: Update, context: NewsContext) -> None:
    services = context.services
    where = await addressed(update, context, posting=True)
    t = tr(context)
    if where is None:
        return
    text = where.argument
    if not text:
        if where.channel is not None:
            await reply(update, t.gettext(CHANNEL_USAGE).format(name=escape(where.channel)))
            return
        popular_buttons = buttons(SUBSCRIBE, popular(services.resolver), t)
        await reply(update, t.gettext(USAGE), keyboard(popular_buttons))
        return
    if not await _allowed(update, context, where):
        return
    outcome = await subscribe_text(services.store, services.resolver, where.chat_id, text, t)
    suggestions = buttons(SUBSCRIBE, _suggestions(outcome.unresolved), t)
    await reply(update, subscribe_reply(outcome, t), keyboard(_buttons_for(where, suggestions)))


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _picker(
    current: list[Subscription], page: int, t: Translator
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """One page of unsubscribe buttons (PAGE_SIZE at most), with previous/next and "all"."""
    pages = _pages(len(current))
    page = min(max(page, 1), pages)
    chunk = current[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = buttons(UNSUBSCRIBE, [sub.target for sub in chunk], t, per_row=2)
    if pages > 1:
        nav: list[InlineKeyboardButton] = []
        if page > 1:
            previous = t.gettext("◀ Previous")
            nav.append(
                InlineKeyboardButton(previous, callback_data=f"{UNSUBSCRIBE_PAGE}|{page - 1}")
            )
        if page < pages:
            following = t.gettext("Next ▶")
            nav.append(
                InlineKeyboardButton(following, callback_data=f"{UNSUBSCRIBE_PAGE}|{page + 1}")
            )
        rows.append(nav)
    everything = t.gettext("🗑 Unsubscribe all")
    rows.append([InlineKeyboardButton(everything, callback_data=UNSUBSCRIBE_ALL)])
    title = (
        t.gettext("Tap what to stop following (page {page} of {pages}):").format(
            page=page, pages=pages
        )
        if pages > 1
        else t.gettext("Tap what to stop following:")
    )
    return title, rows


async def unsubscribe_command(update: Update, context: NewsContext) -> None:
    services = context.services
    where = await addressed(update, context, posting=False)
    if where is None:
        return
    text = where.argument
    t = tr(context)
    if not text:
        if where.channel is not None:  # no buttons about a channel: the numbered list
            await list_command(update, context)
            return
        current = await services.store.list_subscriptions(where.chat_id)
        if not current:
            await reply(update, t.gettext("You don't follow anything. /subscribe to start."))
            return
        title, rows = _picker(current, 1, t)
        await reply(update, title, keyboard(rows))
        return
    if not await _allowed(update, context, where):
        return
    outcome = await unsubscribe_text(services.store, services.resolver, where.chat_id, text, t)
    lines: list[str] = []
    if outcome.changed:
        names = escape(t.labels(outcome.changed))
        lines.append(t.gettext("Unsubscribed from {names}").format(names=names))
    if outcome.unchanged:
        names = escape(t.labels(outcome.unchanged))
        lines.append(t.gettext("You weren't following {names}").format(names=names))
    lines += _unresolved_lines(outcome.unresolved)
    lines += _dropped_line(outcome.dropped, t, added=False)
    await reply(update, "\n".join(lines))


async def list_command(update: Update, context: NewsContext) -> None:
    """What the chat, topic or named channel follows, numbered as `/unsubscribe 3` reads them."""
    where = await addressed(update, context, posting=False)
    if where is None:
        return
    store = context.services.store
    t = tr(context)
    current = await store.list_subscriptions(where.chat_id)
    if not current and where.channel is not None:
        await reply(update, t.gettext(CHANNEL_EMPTY).format(name=escape(where.channel)))
        return
    if not current:
        await reply(
            update, t.gettext("You don't follow anything yet. Try /subscribe Peru or /topics.")
        )
        return
    if where.channel is not None:
        heading = t.gettext(CHANNEL_FOLLOWS).format(name=escape(where.channel))
        numbered = t.gettext(CHANNEL_NUMBERED).format(name=escape(where.channel))
    else:
        kind = "topic" if thread_of(update) is not None else "chat"
        heading = t.gettext(FOLLOWS[kind])
        numbered = t.gettext("<code>/unsubscribe 2</code> stops following number 2.")
    lines = [heading, ""]
    lines += [f"{n}. {escape(t.label(s.target))}" for n, s in enumerate(current, 1)]
    lines += ["", numbered]
    state = await store.get_chat(where.chat_id)
    if state is not None and state.paused:
        lines += ["", t.gettext("⏸ Pushes are paused: /resume to get them again.")]
    await reply(update, "\n".join(lines))


async def button(update: Update, context: NewsContext) -> None:
    """A tap on a subscribe or unsubscribe button, or on the picker's page buttons."""
    query = update.callback_query
    chat_id = await subscriber_id(update, context)
    if query is None or chat_id is None or query.data is None:
        return
    if not await may_change(update, context):
        return
    store = context.services.store
    t = tr(context)
    data = query.data
    if data == UNSUBSCRIBE_ALL:
        count = await unsubscribe_all(store, chat_id)
        await query.answer(
            t.ngettext(
                "Unsubscribed from {count} subscription",
                "Unsubscribed from {count} subscriptions",
                count,
            ).format(count=count)
        )
        await query.edit_message_text(t.gettext(EMPTIED))
        return
    if data.startswith(SUBSCRIBE + "|"):
        await _subscribe_button(update, context, data)
        return
    page = 1
    removed: list[Target] = []
    action, _, rest = data.partition("|")
    if data.startswith(UNSUBSCRIBE_PAGE + "|"):
        page = int(rest[2:]) if rest[2:].isdigit() else 1
        await query.answer()
    elif action == UNSUBSCRIBE and "|" not in rest:  # u|<short id>
        removed = (await unsubscribe_id(store, chat_id, rest)).changed
        await query.answer(_removed_toast(removed, t))
        page = _page_of(query.message.text if isinstance(query.message, Message) else None)
    elif (parsed := parse_callback(data)) is not None and parsed[0] == UNSUBSCRIBE:
        _, kind, value = parsed  # a button sent before short ids
        removed = (await unsubscribe_key(store, chat_id, kind, value)).changed
        await query.answer(_removed_toast(removed, t))
    else:
        await query.answer(t.gettext(STALE))
        return
    current = await store.list_subscriptions(chat_id)
    if not current:
        await query.edit_message_text(t.gettext(EMPTIED))
        return
    title, rows = _picker(current, page, t)
    await query.edit_message_text(title, reply_markup=keyboard(rows))


def _removed_toast(removed: list[Target], t: Translator) -> str:
    if not removed:
        return t.gettext("Already removed")
    return t.gettext("Unsubscribed from {names}").format(names=t.labels(removed))


_PAGE = re.compile(r"\(\D*?(\d+)\D+\d+\):\s*$")  # "(page 2 of 5):", in any language


def _page_of(text: str | None) -> int:
    """The picker's page number from its title, so a tap keeps the reader on that page."""
    found = _PAGE.search(text or "")
    return int(found.group(1)) if found else 1


async def _subscribe_button(update: Update, context: NewsContext, data: str) -> None:
    """Follow what a /start or suggestion button names: one message says what happened."""
    query = update.callback_query
    chat = update.effective_chat
    chat_id = await subscriber_id(update, context)
    assert query is not None and chat is not None and chat_id is not None
    parsed = parse_callback(data)
    target = None
    if parsed is not None:
        _, kind, value = parsed
        word = f"keyword {value}" if kind is TargetKind.KEYWORD else value
        found = context.services.resolver.resolve(word)
        target = found if isinstance(found, Target) else None
    t = tr(context)
    if target is None:
        await query.answer(t.gettext(STALE))
        return
    outcome = await subscribe(context.services.store, chat_id, [target])
    await query.answer()  # the message below says it; a toast as well would say it twice
    await context.bot.send_message(
        chat.id, subscribe_reply(outcome, t), message_thread_id=thread_of(update)
    )
