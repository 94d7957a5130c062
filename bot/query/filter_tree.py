"""A boolean filter as a typed tree, how it is evaluated, and the form it is stored in.

`bot.query.filters` builds the tree from a reader's words; `bot.pipeline.match` runs it
against articles.  A subscription of kind `filter` keeps the tree in its value as exactly
this text (version 2):

    {"tree":NODE,"v":2}
    NODE := {"term":[KIND,VALUE]} | {"and":[NODE,...]} | {"or":[NODE,...]} | {"not":NODE}

KIND is a target kind other than "filter" (country, topic, keyword, region) and VALUE that
target's value ("PE", "labor", "lithium mining", "latin-america").  The text is
`json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)`, so one tree
has one text and equal filters are equal strings.  `Peru AND NOT football` is stored as

    {"tree":{"and":[{"term":["country","PE"]},{"not":{"term":["keyword","football"]}}]},"v":2}

`load` accepts nothing else: not version 1 (the bare list `["and", [["t", "country",
"PE"], ...]]`, converted by the schema migration), not more terms or deeper nesting than
the parser can build.  A stored filter that fails to load matches nothing.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import StorageError
from bot.models import TargetKind

MAX_TERMS = 12  # terms in one filter
MAX_DEPTH = 6  # parentheses and NOTs within each other
MAX_LEVELS = 2 * MAX_DEPTH + 3  # tree levels that allows: an OR and an AND per depth, the term
MAX_STORED_CHARS = 4096  # far above what MAX_TERMS terms of at most 100 characters need
VERSION = 2
_KINDS = frozenset(kind.value for kind in TargetKind)

log = logging.getLogger(__name__)

Leaf = Callable[["Term"], bool]


class FilterFormatError(StorageError, ValueError):
    """A stored filter is not in the form the module docstring describes."""


@dataclass(frozen=True, slots=True)
class Term:
    """One target in a filter: matched like a subscription of its own kind."""

    kind: TargetKind
    value: str

    def __post_init__(self) -> None:
        if self.kind is TargetKind.FILTER:
            raise ValueError("a filter cannot hold another filter")

    def matches(self, leaf: Leaf) -> bool:
        return leaf(self)


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part matches (AND)."""

    parts: tuple[Node, ...]

    def matches(self, leaf: Leaf) -> bool:
        return all(part.matches(leaf) for part in self.parts)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one part matches (OR)."""

    parts: tuple[Node, ...]

    def matches(self, leaf: Leaf) -> bool:
        return any(part.matches(leaf) for part in self.parts)


@dataclass(frozen=True, slots=True)
class Not:
    """The part does not match (NOT, or -word)."""

    part: Node

    def matches(self, leaf: Leaf) -> bool:
        return not self.part.matches(leaf)


Node = Term | AllOf | AnyOf | Not


def terms(node: Node) -> list[Term]:
    """The filter's terms, left to right."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms(node.part)
    return [term for part in node.parts for term in terms(part)]


def _encode(node: Node) -> object:
    if isinstance(node, Term):
        return {"term": [node.kind.value, node.value]}
    if isinstance(node, Not):
        return {"not": _encode(node.part)}
    return {"and" if isinstance(node, AllOf) else "or": [_encode(part) for part in node.parts]}


def dump(tree: Node) -> str:
    """The stored text of a filter: one tree, one string."""
    return json.dumps(
        {"tree": _encode(tree), "v": VERSION},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


def load(text: str) -> Node:
    """The tree stored in `text`, or FilterFormatError when it is not exactly that form."""
    if len(text) > MAX_STORED_CHARS:
        raise FilterFormatError(f"longer than {MAX_STORED_CHARS} characters")
    try:
        stored = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FilterFormatError("not JSON") from exc
    if not isinstance(stored, dict) or set(stored) != {"tree", "v"}:
        raise FilterFormatError('not an object of "tree" and "v"')
    version = stored["v"]
    if type(version) is not int or version != VERSION:
        raise FilterFormatError(f"version {version!r}, not {VERSION}")
    tree = _decode(stored["tree"], 1)
    if len(terms(tree)) > MAX_TERMS:
        raise FilterFormatError(f"more than {MAX_TERMS} terms")
    return tree


def _decode(obj: object, level: int) -> Node:
    """One node of the stored tree, checked all the way down."""
    if level > MAX_LEVELS:
        raise FilterFormatError(f"nested more than {MAX_LEVELS} levels")
    if not isinstance(obj, dict) or len(obj) != 1:
        raise FilterFormatError("a node is not an object of one key")
    [(key, body)] = obj.items()
    if key == "term":
        if not isinstance(body, list) or len(body) != 2:
            raise FilterFormatError("a term is not [kind, value]")
        kind, value = body
        if not isinstance(kind, str) or not isinstance(value, str):
            raise FilterFormatError("a term's kind and value are not strings")
        if kind == TargetKind.FILTER or kind not in _KINDS or not value:
            raise FilterFormatError(f"a term has kind {kind!r} or an empty value")
        return Term(TargetKind(kind), value)
    if key == "not":
        return Not(_decode(body, level + 1))
    if key in ("and", "or"):
        if not isinstance(body, list) or not body:
            raise FilterFormatError(f'"{key}" does not hold a list of nodes')
        parts = tuple(_decode(part, level + 1) for part in body)
        return AllOf(parts) if key == "and" else AnyOf(parts)
    raise FilterFormatError(f"unknown node {key!r}")


def canonical(node: Node) -> Node:
    """The filter with order, nesting and repeats that do not change its meaning taken out.

    `strike AND Peru` and `Peru AND (strike)` are the same filter as `Peru AND strike`: AND
    and OR parts are flattened into their own kind, sorted and kept once; NOT NOT x is x.
    """
    if isinstance(node, Term):
        return node
    if isinstance(node, Not):
        inner = canonical(node.part)
        return inner.part if isinstance(inner, Not) else Not(inner)
    kind = type(node)
    parts: dict[str, Node] = {}
    for part in map(canonical, node.parts):
        for piece in part.parts if isinstance(part, kind) else (part,):
            parts.setdefault(_sort_key(piece), piece)
    ordered = tuple(parts[key] for key in sorted(parts))
    return ordered[0] if len(ordered) == 1 else kind(ordered)


def _sort_key(node: Node) -> str:
    return json.dumps(_encode(node), ensure_ascii=False, sort_keys=True)


def canonical_text(text: str) -> str | None:
    """The canonical form of a stored filter, to compare two; None when it cannot be read."""
    tree = stored(text)
    return None if tree is None else dump(canonical(tree))


@functools.lru_cache(maxsize=4096)
def stored(text: str) -> Node | None:
    """A stored filter, decoded once per distinct value; None, logged once, when unreadable."""
    try:
        return load(text)
    except FilterFormatError as exc:
        log.warning("a stored filter cannot be read and matches nothing (%s): %.80s", exc, text)
        return None
