"""Boolean subscription filters: `Peru AND (strike OR protest) -football` as one subscription.

A small recursive-descent parser, no regular expressions over the reader's pattern (so
no ReDoS), with hard bounds on length, terms and nesting.  Grammar, operators in capitals:

    expr    := and ("OR" and)*
    and     := unary (["AND"] unary)*        adjacent parts are joined by AND
    unary   := ("NOT" | "-") unary | "(" expr ")" | term
    term    := a quoted phrase, or a run of plain words ("Latin America")

Each term goes through the Resolver: a country, topic, region or keyword.  A plain word
the resolver does not know becomes a keyword unless it looks like a typo of a known name.
The filter is stored as compact JSON in the subscription's value; `evaluate` runs it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.classify.normalize import QUOTE_MARKS, collapse
from bot.errors import ReaderInputError
from bot.models import Target, TargetKind, Unresolved
from bot.query.resolver import Resolver, keyword_target

__all__ = [
    "MAX_DEPTH",
    "MAX_FILTER_CHARS",
    "MAX_FILTER_TERMS",
    "FilterError",
    "evaluate",
    "looks_like_filter",
    "parse_filter",
]

MAX_FILTER_CHARS = 300
MAX_FILTER_TERMS = 12
MAX_DEPTH = 6
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_QUOTES = QUOTE_MARKS

# A node is ["t", kind, value] | ["and", [nodes]] | ["or", [nodes]] | ["not", node].
Node = list[Any]


class FilterError(ReaderInputError):
    """The filter cannot be read; the message is for the reader."""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(" ")" "AND" "OR" "NOT" "-" "term" "quoted"
    text: str = ""


def looks_like_filter(text: str) -> bool:
    """Whether /subscribe text is a boolean filter: an AND, OR or NOT, or a -word."""
    words = text.replace("(", " ( ").replace(")", " ) ").split()
    return any(word in _OPERATORS for word in words) or any(
        word.startswith("-") and len(word) > 1 and word[1].isalnum() for word in words
    )


def _tokens(text: str) -> list[_Token]:
    """Split the filter into tokens by scanning characters once."""
    out: list[_Token] = []
    words: list[str] = []

    def flush() -> None:
        if words:
            out.append(_Token("term", " ".join(words)))
            words.clear()

    position = 0
    size = len(text)
    starts = frozenset(" \t\n(")
    while position < size:
        char = text[position]
        if char.isspace():
            position += 1
        elif char in "()":
            flush()
            out.append(_Token(char))
            position += 1
        elif char in _QUOTES:
            flush()
            end = position + 1
            while end < size and text[end] not in _QUOTES:
                end += 1
            out.append(_Token("quoted", collapse(text[position + 1 : end])))
            position = end + 1
        elif char == "-" and (position == 0 or text[position - 1] in starts):
            flush()
            out.append(_Token("-"))
            position += 1
        else:
            end = position
            while end < size and not text[end].isspace() and text[end] not in "()" + _QUOTES:
                end += 1
            word = text[position:end]
            if word in _OPERATORS:
                flush()
                out.append(_Token(word))
            else:
                words.append(word)
            position = end
    flush()
    return out


class _Parser:
    """Recursive descent over the tokens, resolving each term as it is read."""

    def __init__(self, tokens: list[_Token], resolve: Callable[[_Token], Node]) -> None:
        self._tokens = tokens
        self._at = 0
        self._resolve = resolve
        self.terms = 0

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    def parse(self) -> Node:
        if not self._tokens:
            raise FilterError("The filter is empty.")
        node = self._or(0)
        token = self._peek()
        if token is not None:
            raise FilterError(f"I did not expect “{token.text or token.kind}” there.")
        return node

    def _or(self, depth: int) -> Node:
        parts = [self._and(depth)]
        while (token := self._peek()) is not None and token.kind == "OR":
            self._take()
            parts.append(self._and(depth))
        return parts[0] if len(parts) == 1 else ["or", parts]

    def _and(self, depth: int) -> Node:
        parts = [self._unary(depth)]
        while (token := self._peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self._take()
            parts.append(self._unary(depth))
        return parts[0] if len(parts) == 1 else ["and", parts]

    def _unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise FilterError(f"The filter nests too deeply (at most {MAX_DEPTH} levels).")
        token = self._peek()
        if token is None:
            raise FilterError("The filter ends too early: something is missing after it.")
        if token.kind in ("NOT", "-"):
            self._take()
            return ["not", self._unary(depth + 1)]
        if token.kind == "(":
            self._take()
            node = self._or(depth + 1)
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise FilterError("A “(” is never closed.")
            self._take()
            return node
        if token.kind in ("term", "quoted"):
            self._take()
            self.terms += 1
            if self.terms > MAX_FILTER_TERMS:
                raise FilterError(f"A filter can have at most {MAX_FILTER_TERMS} terms.")
            return self._resolve(token)
        raise FilterError(f"I did not expect “{token.text or token.kind}” there.")


def _leaf(resolver: Resolver, token: _Token) -> Node:
    """Resolve one term to a leaf node, or say why it cannot be one."""
    if token.kind == "quoted":
        target = keyword_target(token.text)
        if target is None:
            raise FilterError(f"“{token.text}” is too short or too long to look for.")
        return ["t", target.kind.value, target.value]
    found = resolver.resolve(token.text)
    if isinstance(found, Target):
        return ["t", found.kind.value, found.value]
    if found.suggestions and not _typo_free(found):
        raise FilterError(found.message.split(" To follow it")[0])
    target = keyword_target(token.text)
    if target is None:
        raise FilterError(found.message)
    return ["t", target.kind.value, target.value]


def _typo_free(found: Unresolved) -> bool:
    """An unknown word with only city/state hints is a fine keyword ("Lima" -> Peru)."""
    return "not cities" in found.message


def _label(node: Node, names: dict[tuple[str, str], str], top: bool = True) -> str:
    """Readable form of a filter for /list, with the targets' labels."""
    kind = node[0]
    if kind == "t":
        return names.get((str(node[1]), str(node[2])), str(node[2]))
    if kind == "not":
        return "NOT " + _label(node[1], names, False)
    joined = f" {kind.upper()} ".join(_label(part, names, False) for part in node[1])
    return joined if top else f"({joined})"


def parse_filter(resolver: Resolver, text: str) -> Target:
    """Turn a reader's boolean filter into one FILTER target, or raise FilterError."""
    text = collapse(text or "")
    if len(text) > MAX_FILTER_CHARS:
        raise FilterError(f"A filter can be at most {MAX_FILTER_CHARS} characters long.")
    names: dict[tuple[str, str], str] = {}

    def resolve(token: _Token) -> Node:
        node = _leaf(resolver, token)
        if node[1] == TargetKind.KEYWORD.value:
            names[(node[1], node[2])] = f"“{token.text}”"
        else:
            found = resolver.resolve(token.text)
            names[(node[1], node[2])] = found.label if isinstance(found, Target) else token.text
        return node

    tree = _Parser(_tokens(text), resolve).parse()
    if _only_negative(tree):
        raise FilterError("A filter needs something to follow, not only things to leave out.")
    value = json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
    return Target(TargetKind.FILTER, value, "🧩 " + _label(tree, names))


def _only_negative(node: Node) -> bool:
    """NOT football alone would match nearly every article."""
    if node[0] == "not":
        return True
    if node[0] == "and":
        return all(_only_negative(part) for part in node[1])
    if node[0] == "or":
        return any(_only_negative(part) for part in node[1])
    return False


Leaf = Callable[[str, str], bool]


def evaluate(value: str, leaf: Leaf) -> bool:
    """Run a stored filter; `leaf(kind, value)` says whether one target matches the article."""
    try:
        tree = json.loads(value)
    except ValueError:
        return False
    return _run(tree, leaf, 0)


def _run(node: Any, leaf: Leaf, depth: int) -> bool:
    """Evaluate one node; a malformed or too deep stored filter matches nothing."""
    if not isinstance(node, list) or not node or depth > 2 * MAX_DEPTH + 2:
        return False
    kind = node[0]
    if kind == "t" and len(node) == 3:
        return leaf(str(node[1]), str(node[2]))
    if kind == "not" and len(node) == 2:
        return not _run(node[1], leaf, depth + 1)
    if kind in ("and", "or") and len(node) == 2 and isinstance(node[1], Sequence):
        results = (_run(part, leaf, depth + 1) for part in node[1])
        return all(results) if kind == "and" else any(results)
    return False
