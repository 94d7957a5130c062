"""The catalogs: complete, translated, placeholders kept, compiled, and plural forms that count."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import handlers
from bot.i18n import ENGLISH, LOCALES, language_for, languages, translator
from scripts import i18n as catalogs

_FIELDS = string.Formatter()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FIELDS.parse(text) if name is not None}


def _tags(text: str) -> list[str]:
    return re.findall(r"</?\w+>", text)


def _key(message: object) -> tuple[str | None, str]:
    msgid = message.id  # type: ignore[attr-defined]
    return message.context, msgid if isinstance(msgid, str) else msgid[0]  # type: ignore[attr-defined]


TRANSLATED = [code for code in languages() if code != "en"]


def test_spanish_is_offered() -> None:
    assert languages()[0] == "en" and "es" in languages()


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_in_the_code_is_in_the_catalog(code: str) -> None:
    """A gettext string added to the code (or a topic added to the data) and not to the .po."""
    wanted = {_key(m) for m in catalogs.template() if m.id}
    path = LOCALES / code / "LC_MESSAGES" / "newsbot.po"
    present = {_key(m) for m in catalogs.read(path) if m.id}
    assert sorted(wanted - present, key=str) == []
    assert sorted(present - wanted, key=str) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(code: str) -> None:
    path = LOCALES / code / "LC_MESSAGES" / "newsbot.po"
    for message in catalogs.read(path):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = (
            [message.string] if isinstance(message.string, str) else list(message.string or ())
        )
        assert all(strings) and not message.fuzzy, f"untranslated: {ids[0]!r}"
        for text in strings:
            assert _placeholders(text) == _placeholders(ids[0]), (ids[0], text)
            assert sorted(_tags(text)) == sorted(_tags(ids[0])), (ids[0], text)


def test_the_committed_files_are_what_the_script_makes() -> None:
    """The template, the merged .po files and the compiled .mo the bot reads are all current."""
    stale = [str(p) for p, data in catalogs.planned().items() if p.read_bytes() != data]
    assert stale == [], "run: python scripts/i18n.py compile"


def test_plural_forms_follow_the_count() -> None:
    es = translator("es")
    one, many = "📰 {count} new article for you", "📰 {count} new articles for you"
    assert es.ngettext(one, many, 1).format(count=1) == "📰 1 artículo nuevo para ti"
    assert es.ngettext(one, many, 3).format(count=3) == "📰 3 artículos nuevos para ti"
    assert ENGLISH.ngettext(one, many, 1).format(count=1) == "📰 1 new article for you"


@pytest.mark.parametrize(
    ("code", "language"),
    [("es", "es"), ("es-419", "es"), ("es-MX", "es"), ("ES", "es"), ("en", "en"),
     ("pt-BR", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_the_language_comes_from_the_users_language_code(code: str | None, language: str) -> None:
    assert language_for(code) == language


def test_translators_are_cached_per_language_and_unknown_ones_are_english() -> None:
    assert translator("es") is translator("es")
    assert translator("xx") is ENGLISH and translator(None) is ENGLISH


def test_names_are_shown_in_the_language() -> None:
    es = translator("es")
    assert (es.country_name("PE"), es.country_name("CD"), es.country_name("US")) == (
        "Perú",
        "RD del Congo",
        "Estados Unidos",
    )
    assert (es.topic_name("labor"), es.region_name("latin-america")) == (
        "Trabajo",
        "América Latina",
    )
    assert ENGLISH.country_name("PE") == "Peru" and ENGLISH.topic_name("labor") == "Labor"


_WORDS = re.compile(r"[A-Za-z]{2,}[ ,.:;']+[A-Za-z]{2,}")  # two words: prose, not a key
_MARKERS = {"N_", "gettext", "ngettext", "pgettext"}
# words in handlers/ that no one reads in Telegram: Telegram's own error text matched, a stored
# reason for stopping a channel, a log line's piece
NOT_SHOWN = {"not modified", "no 'Post messages' right", " in chat "}


def _called(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _literal_prose(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """String constants with words in them, outside docstrings, gettext markers and log calls."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        if isinstance(node, ast.Call):
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if _called(node.func) in _MARKERS or (
                isinstance(owner, ast.Name) and owner.id == "log"
            ):
                skipped.update(id(inner) for inner in ast.walk(node))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) not in skipped and _WORDS.search(node.value):
            yield node.lineno, node.value


def test_handlers_send_no_words_outside_the_catalogs() -> None:
    """Every reply, button and toast of handlers/ is a msgid: no literal English left behind."""
    found = [
        f"{path.name}:{line}: {text!r}"
        for path in sorted(Path(handlers.__file__).parent.glob("*.py"))
        for line, text in _literal_prose(ast.parse(path.read_text(encoding="utf-8")))
        if text not in NOT_SHOWN
    ]
    assert found == []
