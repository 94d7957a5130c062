"""URLs: which strings newsbot treats as web addresses, and one key per article address."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gclsrc", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_http_url(text: str) -> bool:
    """Whether text is an absolute http(s) URL with a host: the only kind newsbot reads."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:  # "http://[broken", "http://host:port"
        return False
    return parts.scheme in _DEFAULT_PORTS and bool(parts.hostname)


def normalize_url(url: str) -> str:
    """Give every spelling of one article's address the same key, so it is stored and sent once."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    host = host.removeprefix("www.")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        host = f"{userinfo}@{host}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, _clean_query(parts.query), ""))


def _clean_query(query: str) -> str:
    """Drop tracking parameters and sort the rest, keeping each pair's original encoding."""
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        key = pair.split("=", 1)[0].lower()
        if key.startswith("utm_") or key in _TRACKING_PARAMS:
            continue
        kept.append(pair)
    return "&".join(sorted(kept))
