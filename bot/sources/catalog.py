"""The sources file: `[[source]]` tables in TOML read into SourceSpec, with exact complaints."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli

from bot.errors import ConfigError
from bot.models import ListingSelectors, SourceKind, SourceSpec
from bot.sources.listing import valid_selector
from bot.urls import is_http_url, normalize_url

_KEYS = ("name", "url", "kind", "selectors")
_SELECTOR_KEYS = ("item", "title", "link", "teaser", "date", "author")
_KINDS = ", ".join(f'"{kind.value}"' for kind in SourceKind)


def load_sources(path: Path) -> list[SourceSpec]:
    """Read the sources file, failing with a message that names the file and the bad entry."""
    data = _read_toml(path)
    unknown = sorted(key for key in data if key != "source")
    if unknown:
        hint = " (each source is a [[source]] table)" if "sources" in unknown else ""
        raise ConfigError(f"{path}: unknown top-level key {unknown[0]!r}{hint}")
    entries = data.get("source")
    if entries is None:
        raise ConfigError(f"{path}: no [[source]] entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{path}: 'source' must be an array of tables, written [[source]]")
    specs: list[SourceSpec] = []
    names: dict[str, int] = {}
    urls: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        spec = _spec(entry, where=f"{path}: source #{number}")
        where = f"{path}: source #{number} ({spec.name!r})"
        name_key = spec.name.casefold()
        if name_key in names:
            raise ConfigError(f"{where}: duplicate name, already used by source #{names[name_key]}")
        url_key = normalize_url(spec.url)
        if url_key in urls:
            raise ConfigError(f"{where}: duplicate url, already used by source #{urls[url_key]}")
        names[name_key] = number
        urls[url_key] = number
        specs.append(spec)
    return specs


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file, with a missing file or a syntax error (and its line) as ConfigError."""
    try:
        with path.open("rb") as handle:
            return tomli.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"sources file is a directory: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _spec(entry: dict[str, Any], *, where: str) -> SourceSpec:
    """One [[source]] table as a SourceSpec, checked field by field."""
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name.strip()!r})"
    unknown = sorted(key for key in entry if key not in _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(_KEYS)})")
    if name is None:
        raise ConfigError(f"{where}: missing 'name'")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' must be a non-empty string")
    url = entry.get("url")
    if url is None:
        raise ConfigError(f"{where}: missing 'url'")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: 'url' must be a non-empty string")
    url = url.strip()
    try:
        urlsplit(url).port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError(f"{where}: 'url' is not a valid URL: {url!r}") from None
    if not is_http_url(url):
        raise ConfigError(f"{where}: 'url' must be an http:// or https:// URL, got {url!r}")
    kind = _kind(entry.get("kind"), where=where)
    selectors = _selectors(entry.get("selectors"), where=where)
    if selectors is not None:
        if kind not in (None, SourceKind.HTML):
            raise ConfigError(f"{where}: 'selectors' are for kind = \"html\" listing pages")
        kind = SourceKind.HTML
    return SourceSpec(name=name.strip(), url=url, kind=kind, selectors=selectors)


def _selectors(value: object, *, where: str) -> ListingSelectors | None:
    """Optional [source.selectors]: CSS selectors that override the generic listing extractor."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'selectors' must be a table, written [source.selectors]")
    unknown = sorted(key for key in value if key not in _SELECTOR_KEYS)
    if unknown:
        allowed = ", ".join(_SELECTOR_KEYS)
        raise ConfigError(f"{where}: unknown selector {unknown[0]!r} (allowed: {allowed})")
    if "item" not in value:
        raise ConfigError(f"{where}: selectors need 'item', the CSS selector of one article")
    for key, selector in value.items():
        if not isinstance(selector, str) or not selector.strip():
            raise ConfigError(f"{where}: selector {key!r} must be a non-empty string")
        if not valid_selector(selector):
            raise ConfigError(f"{where}: selector {key!r} is not valid CSS: {selector!r}")
    return ListingSelectors(**{key: selector.strip() for key, selector in value.items()})


def _kind(value: object, *, where: str) -> SourceKind | None:
    """The declared kind, or None so the poller detects it from the response."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return SourceKind(value.strip().lower())
        except ValueError:
            pass
    raise ConfigError(f"{where}: unknown kind {value!r} (use one of {_KINDS}, or leave it out)")
