"""/subscribe, /unsubscribe, /list and their buttons."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, Update

from bot.models import Target, TargetKind, Unresolved
from bot.query.subscriptions import (
    MAX_SUBSCRIPTIONS,
    Outcome,
    popular,
    subscribe,
    subscribe_text,
    unsubscribe_all,
    unsubscribe_key,
    unsubscribe_text,
)
from handlers.common import (
    SUBSCRIBE,
    UNSUBSCRIBE,
    UNSUBSCRIBE_ALL,
    argument,
    buttons,
    keyboard,
    labels,
    may_change,
    parse_callback,
    reply,
)
from handlers.context import NewsContext

USAGE = (
    "Tell me what to follow: a country, a topic or a phrase in quotes.\n"
    "<code>/subscribe Peru</code> · <code>/subscribe labor, climate</code> · "
    '<code>/subscribe "lithium mining"</code>\n\nOr tap one:'
)


def _unresolved_lines(unresolved: list[Unresolved]) -> list[str]:
    return [escape(item.message) for item in unresolved]


def _suggestions(unresolved: list[Unresolved]) -> list[Target]:
    return [target for item in unresolved for target in item.suggestions]


def subscribe_reply(outcome: Outcome) -> str:
    lines: list[str] = [escape(note) for note in outcome.notes]  # "Argentna → 🇦🇷 Argentina"
    if outcome.changed:
        lines.append(f"✅ Subscribed to {escape(labels(outcome.changed))}")
    if outcome.unchanged:
        lines.append(f"You already follow {escape(labels(outcome.unchanged))}")
    if outcome.over_limit:
        lines.append(
            f"A chat can follow at most {MAX_SUBSCRIPTIONS} things; not added: "
            f"{escape(labels(outcome.over_limit))}. /unsubscribe something first."
        )
    lines += _unresolved_lines(outcome.unresolved)
    return "\n".join(lines)


async def subscribe_command(update: Update, context: NewsContext) -> None:
    services = context.services
    text = argument(update)
    chat = update.effective_chat
    if chat is None:
        return
    if not text:
        await reply(update, USAGE, keyboard(buttons(SUBSCRIBE, popular(services.resolver))))
        return
    if not await may_change(update, context):
        return
    outcome = await subscribe_text(services.store, services.resolver, chat.id, text)
    await reply(
        update,
        subscribe_reply(outcome),
        keyboard(buttons(SUBSCRIBE, _suggestions(outcome.unresolved))),
    )


async def _subscriptions_keyboard(
    context: NewsContext, chat_id: int
) -> list[list[InlineKeyboardButton]]:
    current = await context.services.store.list_subscriptions(chat_id)
    rows = buttons(UNSUBSCRIBE, [sub.target for sub in current], per_row=2)
    if current:
        rows.append([InlineKeyboardButton("🗑 Unsubscribe all", callback_data=UNSUBSCRIBE_ALL)])
    return rows


async def unsubscribe_command(update: Update, context: NewsContext) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    text = argument(update)
    if not text:
        rows = await _subscriptions_keyboard(context, chat.id)
        if not rows:
            await reply(update, "You don't follow anything. /subscribe to start.")
            return
        await reply(update, "Tap what to stop following:", keyboard(rows))
        return
    if not await may_change(update, context):
        return
    outcome = await unsubscribe_text(services.store, services.resolver, chat.id, text)
    lines: list[str] = []
    if outcome.changed:
        lines.append(f"Unsubscribed from {escape(labels(outcome.changed))}")
    if outcome.unchanged:
        lines.append(f"You weren't following {escape(labels(outcome.unchanged))}")
    lines += _unresolved_lines(outcome.unresolved)
    await reply(update, "\n".join(lines))


async def list_command(update: Update, context: NewsContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    store = context.services.store
    current = await store.list_subscriptions(chat.id)
    if not current:
        await reply(update, "You don't follow anything yet. Try /subscribe Peru or /topics.")
        return
    lines = ["<b>This chat follows</b>", ""] + [f"• {escape(s.target.label)}" for s in current]
    state = await store.get_chat(chat.id)
    if state is not None and state.paused:
        lines += ["", "⏸ Pushes are paused: /resume to get them again."]
    await reply(update, "\n".join(lines))


async def button(update: Update, context: NewsContext) -> None:
    """A tap on a subscribe or unsubscribe button."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    if not await may_change(update, context):
        return
    store = context.services.store
    if query.data == UNSUBSCRIBE_ALL:
        count = await unsubscribe_all(store, chat.id)
        await query.answer(f"Unsubscribed from {count} subscriptions")
        await query.edit_message_text("You no longer follow anything. /subscribe to start again.")
        return
    parsed = parse_callback(query.data)
    if parsed is None:
        await query.answer("That button is out of date.")
        return
    action, kind, value = parsed
    if action == SUBSCRIBE:
        word = f"keyword {value}" if kind is TargetKind.KEYWORD else value
        target = context.services.resolver.resolve(word)
        if not isinstance(target, Target):
            await query.answer("That button is out of date.")
            return
        outcome = await subscribe(store, chat.id, [target])
        await query.answer(f"Subscribed to {target.label}")
        await context.bot.send_message(chat.id, subscribe_reply(outcome))
        return
    removed = (await unsubscribe_key(store, chat.id, kind, value)).changed
    await query.answer(f"Unsubscribed from {labels(removed)}" if removed else "Already removed")
    rows = await _subscriptions_keyboard(context, chat.id)
    if rows:
        await query.edit_message_text("Tap what to stop following:", reply_markup=keyboard(rows))
    else:
        await query.edit_message_text("You no longer follow anything. /subscribe to start again.")
