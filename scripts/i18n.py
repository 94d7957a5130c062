"""Keep the gettext catalogs in `bot/locales/` in step with the code, with Babel.

    python scripts/i18n.py extract        # the template, newsbot.pot, from the code and data
    python scripts/i18n.py update         # merge the template into every <lang>.po
    python scripts/i18n.py init fr        # start a new language from the template
    python scripts/i18n.py compile        # every .po to the .mo the bot reads
    python scripts/i18n.py check          # exit 1 if anything above would change a file

The messages are the code's `gettext`/`ngettext`/`N_` strings plus the names kept in data
(topic names and descriptions, region names, our short country names, each language's own
name), which carry a msgctxt. Babel is a dev dependency: the bot itself reads the `.mo`
files with the stdlib's gettext.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bot` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.classify.countries import DISPLAY_NAMES
from bot.classify.regions import REGIONS
from bot.classify.topics import TOPICS
from bot.i18n import (
    COUNTRY,
    DOMAIN,
    LANGUAGE_NAME,
    LOCALES,
    REGION,
    SOURCE_LANGUAGE,
    TOPIC,
    TOPIC_DESCRIPTION,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers")
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
# fixed so that regenerating the files changes them only when a message does
DATE = datetime(2025, 1, 1, tzinfo=UTC)
WIDTH = 100


def _code_messages() -> Iterator[tuple[str | tuple[str, ...], str | None, str]]:
    """(msgid or (singular, plural), msgctxt, where) for every marked string in the code."""
    for package in SOURCES:
        found = extract_from_dir(ROOT / package, method_map=[("**.py", "python")])
        for filename, _line, message, _comments, context in found:
            yield message, context, f"{package}/{filename}"


def _data_messages() -> Iterator[tuple[str, str, str]]:
    """(msgid, msgctxt, where) for the names readers see that live in data tables."""
    yield "English", LANGUAGE_NAME, "bot/i18n.py"
    for name in DISPLAY_NAMES.values():
        yield name, COUNTRY, "bot/classify/countries.py"
    for topic in TOPICS:
        yield topic.name, TOPIC, "bot/data/topics.toml"
        yield topic.description, TOPIC_DESCRIPTION, "bot/data/topics.toml"
    for region in REGIONS:
        yield region.name, REGION, "bot/classify/regions.py"


def template() -> Catalog:
    """Every message newsbot says, in English, as a catalog with no translations."""
    catalog = Catalog(
        project="newsbot",
        version="0.1",
        copyright_holder="newsbot's authors",
        creation_date=DATE,
        revision_date=DATE,
        fuzzy=False,
    )
    for message, context, where in _code_messages():
        msgid = message if isinstance(message, str) else tuple(message)
        if isinstance(msgid, tuple) and len(msgid) == 1:
            msgid = msgid[0]
        catalog.add(msgid, locations=[(where, 0)], context=context)
    for msgid, context, where in _data_messages():
        catalog.add(msgid, locations=[(where, 0)], context=context)
    return catalog


def _text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_lineno=False, sort_by_file=False)
    return out.getvalue()


def po_paths() -> list[Path]:
    return sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def updated(path: Path, fresh: Catalog) -> Catalog:
    """The language's catalog with the template's messages: new ones empty, gone ones out."""
    catalog = read(path)
    catalog.update(fresh, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date = DATE
    return catalog


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def planned() -> dict[Path, bytes]:
    """Every file this script maintains, with the content it should have."""
    fresh = template()
    files = {TEMPLATE: _text(fresh)}
    for path in po_paths():
        catalog = updated(path, fresh)
        files[path] = _text(catalog)
        files[path.with_suffix(".mo")] = compiled(catalog)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=("extract", "update", "init", "compile", "check"))
    parser.add_argument("language", nargs="?", help="for init: the new language's code")
    args = parser.parse_args(argv)
    if args.command == "init":
        if not args.language or args.language == SOURCE_LANGUAGE:
            parser.error("init needs the code of a language other than English, e.g. fr")
        path = LOCALES / args.language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            parser.error(f"{path} exists: use update")
        catalog = template()
        catalog.locale = args.language  # Babel fills in the language's plural forms
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_text(catalog))
        print(f"wrote {path.relative_to(ROOT)}: translate it, then run compile")
        return 0
    files = planned()
    wanted = {
        "extract": [TEMPLATE],
        "update": [p for p in files if p.suffix in (".pot", ".po")],
        "compile": list(files),
        "check": [],
    }[args.command]
    for path in wanted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[path])
        print(f"wrote {path.relative_to(ROOT)}")
    if args.command == "check":
        stale = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run scripts/i18n.py compile)")
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
