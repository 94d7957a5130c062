"""A fake Telegram Bot API server for end-to-end tests.

Owns an aiohttp app on 127.0.0.1 that answers ``/bot<TOKEN>/<method>`` like Telegram does,
so that a real PTB ``Application`` can long-poll it. It also owns:

- the simulated users: :meth:`FakeTelegram.send_text`, :meth:`FakeTelegram.press_button`,
  :meth:`FakeTelegram.edit_text` (edited_message), :meth:`FakeTelegram.migrate_group` (the
  two migrate service messages) and :meth:`FakeTelegram.member_update` (my_chat_member)
  queue updates that ``getUpdates`` hands out;
- channels (:meth:`FakeTelegram.add_channel`: its @username, admins and the bot's rights,
  which getChat, getChatMember and sendMessage answer by) and forum supergroups
  (:meth:`FakeTelegram.add_topic`, :meth:`FakeTelegram.close_topic`: sendMessage with a
  message_thread_id lands in that topic, or answers 400 TOPIC_CLOSED / thread not found);
- the record of what the bot did: ``sent`` (messages and text edits), ``calls`` (every request)
  ``commands`` (the last ``setMyCommands``; every menu by scope and language with
  :meth:`FakeTelegram.menu`), ``descriptions`` and ``short_descriptions`` (by language_code,
  "" for the default);
- fault injection: per-chat errors (:class:`FakeError`), optional flood limits and latency.

PTB posts ``application/x-www-form-urlencoded`` bodies in which strings are sent as-is and every
other value (ints, bools, dicts, lists) is JSON-encoded; other clients post JSON. Both, and query
strings, are parsed and normalised to Python values before a method sees them.

A simulated user speaks the language in ``user_languages`` (its ``language_code``, "en" unless
set there or by ``send_text(..., language_code=...)``).

Methods: getMe, getUpdates, deleteWebhook, setMyCommands, getMyCommands, deleteMyCommands,
setMyDescription, getMyDescription, setMyShortDescription, getMyShortDescription, sendMessage,
editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
getChat and getChatMember. Anything else answers 404 like Telegram.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

JSONDict = dict[str, Any]

MAX_MESSAGE_LENGTH = 4096
"""Longest message text Telegram accepts, in UTF-16 code units after entity parsing."""

GLOBAL_LIMIT_PER_SECOND = 30
PRIVATE_LIMIT_PER_SECOND = 1
GROUP_LIMIT_PER_MINUTE = 20

DEFAULT_GROUP_USER_ID = 4242
"""The sender of group messages when a test does not name one."""

_INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "user_id",
        "cache_time",
        "from_chat_id",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "disable_web_page_preview",
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "show_alert",
        "drop_pending_updates",
        "allow_paid_broadcast",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "link_preview_options",
        "allowed_updates",
        "commands",
        "scope",
        "reply_parameters",
    }
)

_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?")
_HTML_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ATTR_RE = re.compile(r"""\s*([A-Za-z_-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class FakeError:
    """An error answer from the Bot API: HTTP status, description and response parameters."""

    status: int
    description: str
    parameters: dict[str, int] | None = None

    @classmethod
    def blocked(cls) -> FakeError:
        """The user blocked the bot (PTB raises Forbidden)."""
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def chat_not_found(cls) -> FakeError:
        """The chat is gone or never talked to the bot (PTB raises BadRequest)."""
        return cls(400, "Bad Request: chat not found")

    @classmethod
    def cant_parse(cls, detail: str = 'Unsupported start tag "br" at byte offset 0') -> FakeError:
        """The HTML or Markdown was rejected (PTB raises BadRequest)."""
        return cls(400, f"Bad Request: can't parse entities: {detail}")

    @classmethod
    def too_long(cls) -> FakeError:
        """The text exceeds 4096 characters (PTB raises BadRequest)."""
        return cls(400, "Bad Request: message is too long")

    @classmethod
    def retry_after(cls, seconds: int) -> FakeError:
        """Flood control (PTB raises RetryAfter)."""
        return cls(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    @classmethod
    def migrated(cls, new_chat_id: int) -> FakeError:
        """A group became a supergroup (PTB raises ChatMigrated)."""
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_chat_id},
        )

    @classmethod
    def server_error(cls) -> FakeError:
        """Telegram itself failed (PTB raises NetworkError)."""
        return cls(500, "Internal Server Error")

    def payload(self) -> JSONDict:
        """Render the error body exactly as Telegram does."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


@dataclass
class FakeChannel:
    """A channel: who administers it, and what the bot may do there.

    `bot`: "poster" (an admin with Post messages), "admin" (an admin without it), or
    "absent" (not in the channel).
    """

    id: int
    username: str
    title: str
    admins: set[int] = field(default_factory=set)
    bot: str = "poster"


@dataclass(frozen=True)
class SentMessage:
    """One successful sendMessage or editMessageText, as the bot asked for it."""

    chat_id: int
    message_id: int
    text: str
    """The text exactly as the bot sent it (still with HTML tags when parse_mode is HTML)."""
    parse_mode: str | None
    reply_markup: JSONDict | None
    method: str
    time: float
    """time.monotonic() when the server accepted the message."""
    plain_text: str = ""
    """What the user sees: the text after HTML parsing."""
    entities: tuple[JSONDict, ...] = ()
    params: JSONDict = field(default_factory=dict)
    """Every parameter of the call, normalised (e.g. link_preview_options)."""
    thread_id: int | None = None
    """The forum topic it landed in; None for General or a chat without topics."""


class _ApiError(Exception):
    """Carries a FakeError out of a method implementation to the response writer."""

    def __init__(self, error: FakeError) -> None:
        super().__init__(error.description)
        self.error = error


class _Signal:
    """Wakes every waiter at once; safe to fire from synchronous test code."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Release current waiters and arm a fresh event for the next ones."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Sleep until fired or for seconds, whichever comes first."""
        event = self._event
        if seconds <= 0:
            return
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            pass


def _utf16_len(text: str) -> int:
    """Telegram measures offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _bad(description: str) -> _ApiError:
    """Shorthand for a 400 Bad Request."""
    return _ApiError(FakeError(400, f"Bad Request: {description}"))


def _normalise(raw: dict[str, Any]) -> JSONDict:
    """Turn form strings back into the ints, bools and objects PTB JSON-encoded."""
    params: JSONDict = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in _JSON_PARAMS:
                try:
                    value = json.loads(value)
                except ValueError:
                    raise _bad(f"can't parse {key} JSON object") from None
            elif key in _INT_PARAMS:
                try:
                    value = int(float(value)) if "." in value else int(value)
                except ValueError:
                    if key != "chat_id":
                        raise _bad(f"invalid {key} specified") from None
            elif key in _BOOL_PARAMS:
                value = value.lower() in ("true", "1")
        params[key] = value
    return params


def _html_error(detail: str) -> _ApiError:
    """An entity-parsing failure worded like tdlib's."""
    return _ApiError(FakeError.cant_parse(detail))


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML like tdlib, so bad markup fails here as it would live."""
    out: list[str] = []
    out_len = 0
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSONDict] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            match = _HTML_ENTITY_RE.match(text, i)
            if match:
                name = match.group(1)
                if name.startswith("#x"):
                    decoded = chr(int(name[2:], 16))
                elif name.startswith("#"):
                    decoded = chr(int(name[1:]))
                else:
                    decoded = _HTML_NAMED[name]
                out.append(decoded)
                out_len += _utf16_len(decoded)
                i = match.end()
                continue
        if char != "<":
            out.append(char)
            out_len += _utf16_len(char)
            i += 1
            continue
        offset = len(text[:i].encode())
        end = text.find(">", i)
        if end == -1:
            raise _html_error(f"Unclosed start tag at byte offset {offset}")
        inner = text[i + 1 : end]
        if inner.startswith("/"):
            name = inner[1:].strip().lower()
            if not stack:
                raise _html_error(f'Unexpected end tag "{name}" at byte offset {offset}')
            open_name, start, attrs = stack.pop()
            if name != open_name:
                raise _html_error(
                    f'Unmatched end tag at byte offset {offset}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            entity = _html_entity(open_name, start, out_len - start, attrs)
            if entity is not None:
                entities.append(entity)
        else:
            name_match = re.match(r"[A-Za-z0-9-]*", inner)
            name = name_match.group().lower() if name_match else ""
            if name not in _HTML_TAGS:
                raise _html_error(f'Unsupported start tag "{name}" at byte offset {offset}')
            attrs = {}
            for attr in _HTML_ATTR_RE.finditer(inner, len(name)):
                value = attr.group(2) or ""
                if value[:1] in ("'", '"'):
                    value = value[1:-1]
                attrs[attr.group(1).lower()] = _HTML_ENTITY_RE.sub(
                    lambda m: parse_html(m.group())[0], value
                )
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise _html_error(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
                )
            stack.append((name, out_len, attrs))
        i = end + 1
    if stack:
        raise _html_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _html_entity(tag: str, offset: int, length: int, attrs: dict[str, str]) -> JSONDict | None:
    """Map a closed tag to the MessageEntity Telegram would report, if any."""
    if length == 0:
        return None
    kind = _HTML_TAGS[tag]
    entity: JSONDict = {"type": kind, "offset": offset, "length": length}
    if kind == "text_link":
        if not attrs.get("href"):
            return None
        entity["url"] = attrs["href"]
    elif kind == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    return entity


def _check_markup(markup: Any) -> JSONDict | None:
    """Reject keyboards Telegram would reject, so rendering bugs surface in tests."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise _bad("can't parse inline keyboard button: Text must be non-empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise _bad("BUTTON_DATA_INVALID")
            if not _BUTTON_ACTIONS & button.keys():
                raise _bad(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
    return markup


def _callback_data(message: JSONDict) -> list[str]:
    """Every callback_data on a message's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [str(b["callback_data"]) for row in rows for b in row if "callback_data" in b]


class FakeTelegram(LoopbackServer):
    """A loopback Bot API: simulate users, observe the bot, inject faults."""

    shutdown_timeout = 2.0

    def __init__(
        self, token: str = "123456:TEST", *, bot_username: str = "newsbot_test_bot"
    ) -> None:
        super().__init__()
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, JSONDict]] = []
        self.commands: list[dict[str, str]] = []
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.user_languages: dict[int, str] = {}
        """Per user id, the language_code its updates carry ("en" when absent)."""
        self.enforce_limits = False
        self.webhook: JSONDict | None = None  # setWebhook's parameters, while one is set
        self.too_many_requests = 0
        self.send_delay = 0.0
        self.strict_chats = False
        """When True, sendMessage to a chat no simulated user wrote from answers chat not found."""
        self.group_admins: dict[int, set[int]] = defaultdict(set)
        """Per group chat id, the users getChatMember reports as its creator; others are members."""

        self._updates: list[JSONDict] = []
        self._update_ids = itertools.count(1000)
        self._query_ids = itertools.count(5_000_000_000)
        self._open_queries: set[str] = set()
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._current: dict[tuple[int, int], SentMessage] = {}
        self._failures: dict[int, deque[FakeError]] = defaultdict(deque)
        self._migrated: dict[int, int] = {}  # old group id -> its supergroup's
        self.channels: dict[int, FakeChannel] = {}
        self._topics: dict[tuple[int, int], JSONDict] = {}  # (forum, thread) -> its creation
        self._closed_topics: dict[tuple[int, int], str] = {}  # (forum, thread) -> the error
        self._my_commands: dict[str, list[dict[str, str]]] = {}
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = defaultdict(deque)
        self._updates_signal = _Signal()
        self._activity = _Signal()
        self._methods: dict[str, tuple[str, Callable[[JSONDict], Awaitable[Any]]]] = {
            name.lower(): (name, impl)
            for name, impl in (
                ("getMe", self._get_me),
                ("getUpdates", self._get_updates),
                ("deleteWebhook", self._delete_webhook),
                ("setWebhook", self._set_webhook),
                ("sendChatAction", self._true),
                ("setMyCommands", self._set_my_commands),
                ("getMyCommands", self._get_my_commands),
                ("deleteMyCommands", self._delete_my_commands),
                ("setMyDescription", self._set_my_description),
                ("getMyDescription", self._get_my_description),
                ("setMyShortDescription", self._set_my_short_description),
                ("getMyShortDescription", self._get_my_short_description),
                ("sendMessage", self._send_message),
                ("editMessageText", self._edit_message_text),
                ("editMessageReplyMarkup", self._edit_message_reply_markup),
                ("deleteMessage", self._delete_message),
                ("answerCallbackQuery", self._answer_callback_query),
                ("getChatMember", self._get_chat_member),
                ("getChat", self._get_chat),
            )
        }

    # -- lifecycle ---------------------------------------------------------------------------

    async def stop(self) -> None:
        """Release pending long polls and close the server."""
        self._closing = True
        self._updates_signal.fire()
        self._activity.fire()
        await super().stop()

    @property
    def base_url(self) -> str:
        """What to pass as PTB's base_url (and the bot's TELEGRAM_API_BASE_URL)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # -- simulating users ----------------------------------------------------------------------

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        title: str | None = None,
        reply_to_message_id: int | None = None,
        language_code: str | None = None,
        thread_id: int | None = None,
    ) -> int:
        """Queue a user's text message (with bot_command entities) and return its update_id.

        `language_code` is remembered for the user (``user_languages``), as Telegram's client
        sends it with every update. `thread_id`: written in that topic of a forum (see
        `add_topic`); like Telegram, the message then replies to the topic's creation unless it
        replies to something else.
        """
        chat = self._register_chat(chat_id, chat_type, title)
        if language_code is not None:
            speaker = user_id if user_id is not None else DEFAULT_GROUP_USER_ID
            self.user_languages[chat_id if chat_type == "private" else speaker] = language_code
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if thread_id is not None:
            created = self._topics.get((chat_id, thread_id))
            if created is None:
                raise ValueError(f"chat {chat_id} has no topic {thread_id}: add_topic first")
            message.update(message_thread_id=thread_id, is_topic_message=True)
            message["reply_to_message"] = created
        if chat_type == "channel":
            message["sender_chat"] = chat
        else:
            if chat_type == "private":
                if user_id is not None and user_id != chat_id:
                    raise ValueError("in a private chat the user id is the chat id")
                user_id = chat_id
            message["from"] = self._user(DEFAULT_GROUP_USER_ID if user_id is None else user_id)
        entities = [
            {
                "type": "bot_command",
                "offset": _utf16_len(text[: m.start()]),
                "length": _utf16_len(m.group()),
            }
            for m in _COMMAND_RE.finditer(text)
        ]
        if entities:
            message["entities"] = entities
        if reply_to_message_id is not None:
            replied = self._messages.get((chat_id, reply_to_message_id))
            if replied is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat_id}")
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        self._messages[chat_id, message["message_id"]] = message
        kind = "channel_post" if chat_type == "channel" else "message"
        return self._enqueue({kind: message})

    def press_button(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> int:
        """Queue a CallbackQuery for a button the bot showed; return its update_id."""
        message = self._messages.get((chat_id, message_id))
        if message is None or message.get("from", {}).get("id") != self.bot_id:
            raise AssertionError(f"the bot sent no message {message_id} to chat {chat_id}")
        buttons = _callback_data(message)
        if data not in buttons:
            raise AssertionError(
                f"message {message_id} in chat {chat_id} has no button {data!r}; it has {buttons}"
            )
        if user_id is None:
            user_id = chat_id if chat_id > 0 else DEFAULT_GROUP_USER_ID
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        query: JSONDict = {
            "id": query_id,
            "from": self._user(user_id),
            "message": copy.deepcopy(message),
            "chat_instance": str(abs(chat_id) * 7919 + 13),
            "data": data,
        }
        return self._enqueue({"callback_query": query})

    def edit_text(self, chat_id: int, message_id: int, text: str) -> int:
        """Queue an edited_message: a user changed the text of a message they sent earlier."""
        message = self._messages.get((chat_id, message_id))
        if message is None or message.get("from", {}).get("id") == self.bot_id:
            raise ValueError(f"no user message {message_id} in chat {chat_id}")
        edited = {**copy.deepcopy(message), "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        entities = [
            {
                "type": "bot_command",
                "offset": _utf16_len(text[: m.start()]),
                "length": _utf16_len(m.group()),
            }
            for m in _COMMAND_RE.finditer(text)
        ]
        if entities:
            edited["entities"] = entities
        self._messages[chat_id, message_id] = edited
        return self._enqueue({"edited_message": edited})

    def migrate_group(self, old_id: int, new_id: int, *, title: str | None = None) -> list[int]:
        """A group becomes a supergroup: Telegram's two service messages, old chat's first.

        The old group gets migrate_to_chat_id and the new supergroup migrate_from_chat_id;
        sends to the old id then answer "group chat was upgraded to a supergroup chat".
        """
        old = self._register_chat(old_id, "group", title)
        new = self._register_chat(new_id, "supergroup", title or old["title"])
        sender = self._user(DEFAULT_GROUP_USER_ID)
        ids = []
        pairs = ((old, "migrate_to_chat_id", new_id), (new, "migrate_from_chat_id", old_id))
        for chat, field_name, other in pairs:
            message: JSONDict = {
                "message_id": self._next_message_id(chat["id"]),
                "date": int(time.time()),
                "chat": chat,
                "from": sender,
                field_name: other,
            }
            self._messages[chat["id"], message["message_id"]] = message
            ids.append(self._enqueue({"message": message}))
        self._migrated[old_id] = new_id
        return ids

    def add_channel(
        self,
        chat_id: int,
        username: str,
        *,
        admins: set[int] | None = None,
        bot: str = "poster",
        title: str | None = None,
    ) -> FakeChannel:
        """A channel getChat finds by @username or id; `admins` are its creator and admins."""
        channel = FakeChannel(chat_id, username, title or username.title(), set(admins or ()), bot)
        self.channels[chat_id] = channel
        chat = self._register_chat(chat_id, "channel", channel.title)
        chat["username"] = username
        return channel

    def add_topic(self, chat_id: int, name: str, *, title: str | None = None) -> int:
        """Create a topic in forum supergroup `chat_id`; its thread id is the creation's id."""
        chat = self._register_chat(chat_id, "supergroup", title)
        chat["is_forum"] = True
        thread_id = self._next_message_id(chat_id)
        created: JSONDict = {
            "message_id": thread_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(DEFAULT_GROUP_USER_ID),
            "message_thread_id": thread_id,
            "is_topic_message": True,
            "forum_topic_created": {"name": name, "icon_color": 7322096},
        }
        self._messages[chat_id, thread_id] = created
        self._topics[chat_id, thread_id] = created
        return thread_id

    def close_topic(self, chat_id: int, thread_id: int, *, deleted: bool = False) -> None:
        """From now on, sends into the topic answer 400 TOPIC_CLOSED (or thread not found)."""
        error = "message thread not found" if deleted else "TOPIC_CLOSED"
        self._closed_topics[chat_id, thread_id] = error

    def member_update(
        self,
        chat_id: int,
        *,
        old_status: str,
        new_status: str,
        chat_type: str = "group",
        user_id: int = DEFAULT_GROUP_USER_ID,
        can_post_messages: bool = True,
    ) -> int:
        """Queue a my_chat_member update: someone added, kicked or promoted the bot.

        In a channel, an administrator bot `can_post_messages` or not.
        """
        chat = self._chats.get(chat_id) if chat_type == "channel" else None
        chat = chat or self._register_chat(chat_id, chat_type, None)
        bot = self._bot_user()
        update: JSONDict = {
            "chat": chat,
            "from": self._user(user_id),
            "date": int(time.time()),
            "old_chat_member": {"status": old_status, "user": bot},
            "new_chat_member": {"status": new_status, "user": bot},
        }
        for member in (update["old_chat_member"], update["new_chat_member"]):
            if member["status"] == "kicked":
                member["until_date"] = 0
            if member["status"] == "administrator":
                member.update(
                    can_be_edited=False,
                    is_anonymous=False,
                    can_manage_chat=True,
                    can_delete_messages=False,
                    can_manage_video_chats=False,
                    can_restrict_members=False,
                    can_promote_members=False,
                    can_change_info=False,
                    can_invite_users=False,
                    can_post_stories=False,
                    can_edit_stories=False,
                    can_delete_stories=False,
                )
                if chat_type == "channel":
                    member.update(can_post_messages=can_post_messages, can_edit_messages=False)
        return self._enqueue({"my_chat_member": update})

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates the bot has not confirmed yet (via getUpdates offset)."""
        return list(self._updates)

    # -- observing the bot ---------------------------------------------------------------------

    def messages_to(self, chat_id: int, *, method: str | None = None) -> list[SentMessage]:
        """Everything the bot sent or edited in one chat, optionally of one method only."""
        return [
            m for m in self.sent if m.chat_id == chat_id and (method is None or m.method == method)
        ]

    def current_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """A bot message as the user sees it now, after edits; None if deleted or unknown."""
        return self._current.get((chat_id, message_id))

    def calls_to(self, method: str) -> list[JSONDict]:
        """The params of every call to one method (case-sensitive Bot API name)."""
        return [params for name, params in self.calls if name == method]

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - a test helper's deadline, not an I/O timeout
        what: str = "condition",
    ) -> None:
        """Wait until the bot's activity makes predicate true, instead of sleeping blindly."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            await self._activity.wait(remaining)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - a test helper's deadline, not an I/O timeout
        *,
        method: str | None = None,
    ) -> list[SentMessage]:
        """Wait until a chat got at least count messages; fail with what did arrive."""
        try:
            await self.wait_for(
                lambda: len(self.messages_to(chat_id, method=method)) >= count, timeout
            )
        except AssertionError:
            arrived = [(m.method, m.text) for m in self.messages_to(chat_id, method=method)]
            raise AssertionError(
                f"chat {chat_id}: expected >= {count} messages within {timeout}s, "
                f"got {len(arrived)}: {arrived!r}"
            ) from None
        return self.messages_to(chat_id, method=method)

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - a test helper's deadline, not an I/O timeout
    ) -> None:
        """Wait until the bot called a method at least count times."""
        await self.wait_for(
            lambda: len(self.calls_to(method)) >= count, timeout, f"{count} x {method}"
        )

    # -- fault injection -----------------------------------------------------------------------

    def fail_next(self, chat_id: int, error: FakeError, times: int = 1) -> None:
        """Make the next sendMessage calls to chat_id answer with error."""
        self._failures[chat_id].extend([error] * times)

    # -- HTTP plumbing -------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        """Route /bot<token>/<method>, parse params and answer in the Bot API envelope."""
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", request.path)
        if match is None:
            return self._reply(FakeError(404, "Not Found").payload(), 404)
        token, method_name = match.groups()
        if token != self.token:
            status = 401 if re.fullmatch(r"\d+:[\w-]+", token) else 404
            return self._reply(
                FakeError(status, "Unauthorized" if status == 401 else "Not Found").payload(),
                status,
            )
        known = self._methods.get(method_name.lower())
        name = known[0] if known else method_name
        try:
            params = await self._read_params(request)
        except _ApiError as err:
            self.calls.append((name, {}))
            self._activity.fire()
            return self._reply(err.error.payload(), err.error.status)
        self.calls.append((name, params))
        self._activity.fire()
        if known is None:
            return self._reply(FakeError(404, "Not Found").payload(), 404)
        try:
            result = await known[1](params)
        except _ApiError as err:
            return self._reply(err.error.payload(), err.error.status)
        finally:
            self._activity.fire()
        return self._reply({"ok": True, "result": result}, 200)

    @staticmethod
    def _reply(body: JSONDict, status: int) -> web.Response:
        """A JSON response with Telegram's content type."""
        return web.json_response(body, status=status)

    @staticmethod
    async def _read_params(request: web.Request) -> JSONDict:
        """Merge query string and form or JSON body, as Telegram accepts all three."""
        raw: dict[str, Any] = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("parameters must be a JSON object")
                raw.update(body)
            elif request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                form = await request.post()
                raw.update({k: v for k, v in form.items() if isinstance(v, str)})
        return _normalise(raw)

    # -- state helpers -------------------------------------------------------------------------

    def _enqueue(self, update: JSONDict) -> int:
        """Give an update the next id and wake the long poll."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self._updates_signal.fire()
        return update_id

    def _next_message_id(self, chat_id: int) -> int:
        """Message ids count up per chat, shared by the user and the bot."""
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _check_channel_rights(self, chat_id: int) -> None:
        """A channel takes posts only from a bot that is its admin with Post messages."""
        channel = self.channels.get(chat_id)
        if channel is None or channel.bot == "poster":
            return
        if channel.bot == "admin":
            raise _bad("need administrator rights in the channel chat")
        raise _ApiError(FakeError(403, "Forbidden: bot is not a member of the channel chat"))

    def _thread(self, chat: JSONDict, thread_id: Any) -> int | None:
        """The forum topic a message goes to, with Telegram's errors for closed or unknown ones."""
        if thread_id is None or not chat.get("is_forum"):
            return None
        key = (chat["id"], thread_id)
        if key in self._closed_topics:
            raise _bad(self._closed_topics[key])
        if key not in self._topics:
            raise _bad("message thread not found")
        return int(thread_id)

    def _find_chat(self, params: JSONDict) -> int:
        """A chat_id parameter: a number, or a channel's @username."""
        raw = params.get("chat_id")
        if isinstance(raw, str) and raw.startswith("@"):
            for channel in self.channels.values():
                if channel.username.lower() == raw[1:].lower():
                    return channel.id
            raise _ApiError(FakeError.chat_not_found())
        return self._require_int(params, "chat_id")

    async def _get_chat(self, params: JSONDict) -> JSONDict:
        """A chat the fake knows (a channel by @username too); else chat not found."""
        chat = self._chats.get(self._find_chat(params))
        if chat is None:
            raise _ApiError(FakeError.chat_not_found())
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11}

    def _channel_member(self, channel: FakeChannel, user_id: int) -> JSONDict:
        """What getChatMember says of a user, or of the bot, in a channel."""
        if user_id == self.bot_id:
            if channel.bot == "absent":
                return {"status": "left", "user": self._bot_user()}
            return {
                "status": "administrator",
                "user": self._bot_user(),
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": False,
                "can_manage_video_chats": False,
                "can_restrict_members": False,
                "can_promote_members": False,
                "can_change_info": False,
                "can_invite_users": False,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
                "can_post_messages": channel.bot == "poster",
                "can_edit_messages": False,
            }
        if channel.bot == "absent":  # only a channel's admins may look at its members
            raise _bad("member list is inaccessible")
        if user_id in channel.admins:
            return {"status": "creator", "user": self._user(user_id), "is_anonymous": False}
        return {"status": "left", "user": self._user(user_id)}

    async def _get_chat_member(self, params: JSONDict) -> JSONDict:
        """A private chat's user owns it; in a group, only `group_admins` do; a channel's own."""
        chat_id = self._find_chat(params)
        user_id = self._require_int(params, "user_id")
        if chat_id in self.channels:
            return self._channel_member(self.channels[chat_id], user_id)
        owner = chat_id == user_id or user_id in self.group_admins[chat_id]
        member: JSONDict = {"status": "creator" if owner else "member", "user": self._user(user_id)}
        if owner:
            member["is_anonymous"] = False
        return member

    def _user(self, user_id: int) -> JSONDict:
        """A human User object."""
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": self.user_languages.get(user_id, "en"),
        }

    def _bot_user(self) -> JSONDict:
        """The bot's own User object, as getMe and message.from show it."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Newsbot Test",
            "username": self.bot_username,
        }

    def _register_chat(self, chat_id: int, chat_type: str, title: str | None) -> JSONDict:
        """Remember a chat a simulated user wrote from, so bot replies carry the right Chat.

        A chat seen before keeps what it had (a forum's is_forum, a channel's username).
        """
        known = self._chats.get(chat_id)
        if known is not None and known["type"] == chat_type:
            if title:
                known["title"] = title
            return known
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError("private chat ids are positive")
            chat: JSONDict = {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        elif chat_type in ("group", "supergroup", "channel"):
            if chat_id >= 0:
                raise ValueError(f"{chat_type} chat ids are negative")
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Chat {chat_id}"}
        else:
            raise ValueError(f"unknown chat type {chat_type!r}")
        self._chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int) -> JSONDict:
        """The Chat for a bot message; invents one unless strict_chats."""
        chat = self._chats.get(chat_id)
        if chat is not None:
            return chat
        if self.strict_chats:
            raise _ApiError(FakeError.chat_not_found())
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _check_limits(self, chat_id: int) -> None:
        """Answer 429 when the bot outruns Telegram's documented broadcast limits."""
        now = time.monotonic()
        waits: list[float] = []
        while self._global_sends and self._global_sends[0] <= now - 1.0:
            self._global_sends.popleft()
        if len(self._global_sends) >= GLOBAL_LIMIT_PER_SECOND:
            waits.append(self._global_sends[0] + 1.0 - now)
        per_chat = self._chat_sends[chat_id]
        window, limit = (
            (1.0, PRIVATE_LIMIT_PER_SECOND) if chat_id > 0 else (60.0, GROUP_LIMIT_PER_MINUTE)
        )
        while per_chat and per_chat[0] <= now - window:
            per_chat.popleft()
        if len(per_chat) >= limit:
            waits.append(per_chat[0] + window - now)
        if waits:
            self.too_many_requests += 1
            raise _ApiError(FakeError.retry_after(max(1, math.ceil(max(waits)))))

    def _note_send(self, chat_id: int) -> None:
        """Count an accepted message towards the flood limits."""
        now = time.monotonic()
        self._global_sends.append(now)
        self._chat_sends[chat_id].append(now)

    @staticmethod
    def _render_text(params: JSONDict) -> tuple[str, list[JSONDict]]:
        """Validate text and parse_mode the way Telegram does; return what the user sees."""
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("message text is empty")
        parse_mode = params.get("parse_mode")
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            plain, entities = parse_html(text)
        else:
            plain, entities = text, list(params.get("entities") or [])
        if not plain.strip():
            raise _bad("message text is empty")
        if _utf16_len(plain) > MAX_MESSAGE_LENGTH:
            raise _ApiError(FakeError.too_long())
        return plain, entities

    @staticmethod
    def _require_int(params: JSONDict, key: str) -> int:
        """A mandatory integer parameter."""
        value = params.get(key)
        if value is None:
            raise _bad(f"{key} is empty")
        if not isinstance(value, int):
            raise (
                _ApiError(FakeError.chat_not_found())
                if key == "chat_id"
                else _bad(f"invalid {key} specified")
            )
        return value

    def _record(self, method: str, message: JSONDict, params: JSONDict) -> None:
        """Append to `sent` and remember the message's current state."""
        record = SentMessage(
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
            text=params["text"] if "text" in params else self._current_text(message),
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            method=method,
            time=time.monotonic(),
            plain_text=message["text"],
            entities=tuple(message.get("entities", ())),
            params=params,
            thread_id=message.get("message_thread_id"),
        )
        self._current[record.chat_id, record.message_id] = record
        if method in ("sendMessage", "editMessageText"):
            self.sent.append(record)

    def _current_text(self, message: JSONDict) -> str:
        """The raw text of the last send or edit of a message."""
        current = self._current.get((message["chat"]["id"], message["message_id"]))
        return current.text if current else str(message.get("text", ""))

    def _editable(self, params: JSONDict) -> JSONDict:
        """Find the bot message an edit refers to, with Telegram's errors."""
        if "inline_message_id" in params:
            raise _bad("inline messages are not supported by FakeTelegram")
        chat_id = self._require_int(params, "chat_id")
        message_id = self._require_int(params, "message_id")
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return message

    # -- Bot API methods -----------------------------------------------------------------------

    async def _true(self, params: JSONDict) -> bool:
        """Methods whose only effect here is to succeed."""
        return True

    async def _delete_webhook(self, params: JSONDict) -> bool:
        """Forget the webhook; drop_pending_updates forgets the queue like Telegram."""
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _set_webhook(self, params: JSONDict) -> bool:
        """Remember where updates would go (the test posts them there itself)."""
        if not str(params.get("url", "")).startswith(("http://", "https://")):
            raise _bad("bad webhook: an HTTPS URL must be provided for webhook")
        self.webhook = params
        return True

    async def _get_me(self, params: JSONDict) -> JSONDict:
        """The bot's identity; PTB calls this in Bot.initialize()."""
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Long polling: confirm below offset, return at once if any, else wait up to timeout."""
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if allowed is not None:
            self._allowed_updates = list(allowed) or None
        if isinstance(offset, int):
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.fire()  # a newer poll terminates an older one, as on Telegram
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise _ApiError(
                    FakeError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                )
            if self._allowed_updates is not None:
                allowed_set = set(self._allowed_updates)
                self._updates = [u for u in self._updates if allowed_set & u.keys()]
            remaining = deadline - loop.time()
            if self._updates or remaining <= 0 or self._closing:
                return self._updates[:limit]
            await self._updates_signal.wait(remaining)

    async def _set_my_commands(self, params: JSONDict) -> bool:
        """Store the command menu, validating names like Telegram."""
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad('parameter "commands" is required')
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        clean = [{"command": c["command"], "description": c["description"]} for c in commands]
        self._my_commands[self._scope_key(params)] = clean
        self.commands = clean
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[dict[str, str]]:
        """The menu for a scope and language."""
        return self._my_commands.get(self._scope_key(params), [])

    async def _delete_my_commands(self, params: JSONDict) -> bool:
        """Drop the menu for a scope and language."""
        self._my_commands.pop(self._scope_key(params), None)
        self.commands = []
        return True

    def menu(self, language_code: str = "") -> list[dict[str, str]]:
        """The default scope's command menu for one language ("" is the default menu)."""
        return self._my_commands.get(self._scope_key({"language_code": language_code}), [])

    @staticmethod
    def _described(params: JSONDict, key: str, limit: int) -> str:
        text = params.get(key, "")
        if not isinstance(text, str) or len(text) > limit:
            raise _bad(f"{key.upper()}_INVALID")
        return text

    async def _set_my_description(self, params: JSONDict) -> bool:
        """Telegram allows 512 characters; an empty text removes it."""
        self.descriptions[str(params.get("language_code", ""))] = self._described(
            params, "description", 512
        )
        return True

    async def _get_my_description(self, params: JSONDict) -> JSONDict:
        return {"description": self.descriptions.get(str(params.get("language_code", "")), "")}

    async def _set_my_short_description(self, params: JSONDict) -> bool:
        """Telegram allows 120 characters."""
        self.short_descriptions[str(params.get("language_code", ""))] = self._described(
            params, "short_description", 120
        )
        return True

    async def _get_my_short_description(self, params: JSONDict) -> JSONDict:
        language = str(params.get("language_code", ""))
        return {"short_description": self.short_descriptions.get(language, "")}

    @staticmethod
    def _scope_key(params: JSONDict) -> str:
        """Commands are stored per (scope, language_code)."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    async def _send_message(self, params: JSONDict) -> JSONDict:
        """Deliver a message: latency, injected faults, limits, validation, then record it."""
        chat_id = self._require_int(params, "chat_id")
        if self.send_delay > 0:
            await asyncio.sleep(self.send_delay)
        failures = self._failures.get(chat_id)
        if failures:
            raise _ApiError(failures.popleft())
        if chat_id in self._migrated:
            raise _ApiError(FakeError.migrated(self._migrated[chat_id]))
        if self.enforce_limits:
            self._check_limits(chat_id)
        chat = self._chat(chat_id)
        self._check_channel_rights(chat_id)
        thread_id = self._thread(chat, params.get("message_thread_id"))
        plain, entities = self._render_text(params)
        markup = _check_markup(params.get("reply_markup"))
        reply_to = params.get("reply_to_message_id")
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_to = reply_parameters.get("message_id", reply_to)
        replied = self._messages.get((chat_id, reply_to)) if isinstance(reply_to, int) else None
        allow_missing = params.get("allow_sending_without_reply") or (
            isinstance(reply_parameters, dict)
            and reply_parameters.get("allow_sending_without_reply")
        )
        if reply_to is not None and replied is None and not allow_missing:
            raise _bad("message to be replied not found")
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "from": self._bot_user(),
            "chat": chat,
            "date": int(time.time()),
            "text": plain,
        }
        if entities:
            message["entities"] = entities
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
            replied = replied or self._topics[chat_id, thread_id]
        if chat.get("type") == "channel":
            message["sender_chat"] = chat
        if replied is not None:
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if "link_preview_options" in params:
            message["link_preview_options"] = params["link_preview_options"]
        self._messages[chat_id, message["message_id"]] = message
        self._note_send(chat_id)
        self._record("sendMessage", message, params)
        return message

    async def _edit_message_text(self, params: JSONDict) -> JSONDict:
        """Edit a bot message; like Telegram, omitting reply_markup removes the keyboard."""
        message = self._editable(params)
        plain, entities = self._render_text(params)
        markup = _check_markup(params.get("reply_markup"))
        inline = markup if markup is not None and "inline_keyboard" in markup else None
        if (
            plain == message["text"]
            and entities == message.get("entities", [])
            and inline == message.get("reply_markup")
        ):
            raise _bad(_NOT_MODIFIED)
        message["text"] = plain
        message["edit_date"] = int(time.time())
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        message.pop("reply_markup", None)
        if inline is not None:
            message["reply_markup"] = inline
        self._record("editMessageText", message, params)
        return message

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        """Swap or remove a bot message's inline keyboard."""
        message = self._editable(params)
        markup = _check_markup(params.get("reply_markup"))
        inline = markup if markup is not None and "inline_keyboard" in markup else None
        if inline == message.get("reply_markup"):
            raise _bad(_NOT_MODIFIED)
        message.pop("reply_markup", None)
        if inline is not None:
            message["reply_markup"] = inline
        message["edit_date"] = int(time.time())
        self._record("editMessageReplyMarkup", message, params)
        return message

    async def _delete_message(self, params: JSONDict) -> bool:
        """Forget a message so later edits and button presses fail like they would live."""
        chat_id = self._require_int(params, "chat_id")
        message_id = self._require_int(params, "message_id")
        if self._messages.pop((chat_id, message_id), None) is None:
            raise _bad("message to delete not found")
        self._current.pop((chat_id, message_id), None)
        return True

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        """Close a callback query exactly once, like Telegram."""
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._open_queries.discard(query_id)
        return True
