"""Boolean subscription filters: `Peru AND (strike OR protest) -football` as one subscription.

A small recursive-descent parser, no regular expressions over the reader's pattern (so
no ReDoS), with hard bounds on length, terms and nesting.  Grammar, operators in capitals:

    expr    := and ("OR" and)*
    and     := unary (["AND"] unary)*        adjacent parts are joined by AND
    unary   := ("NOT" | "-") unary | "(" expr ")" | term
    term    := a quoted phrase, or a run of plain words ("Latin America")

Each term goes through the Resolver: a country, topic, region or keyword.  A plain word
the resolver does not know becomes a keyword unless it is a typo of a known name or an
ambiguous one (the resolver's reason says which).  The result is a typed tree
(`bot.query.filter_tree`), stored in the subscription's value in that module's form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.classify.normalize import QUOTE_MARKS, collapse
from bot.errors import ReaderInputError
from bot.i18n import ENGLISH, Translator
from bot.models import Target, TargetKind
from bot.models import UnresolvedReason as Reason
from bot.query.filter_tree import MAX_DEPTH, MAX_TERMS, AllOf, AnyOf, Node, Not, Term, dump
from bot.query.resolver import Resolver, keyword_target
from bot.text import echo

MAX_FILTER_CHARS = 300
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_QUOTES = QUOTE_MARKS
_NOT_A_KEYWORD = frozenset({Reason.TYPO, Reason.AMBIGUOUS})  # ask the reader instead


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

    def __init__(
        self, tokens: list[_Token], resolve: Callable[[_Token], Term], tr: Translator
    ) -> None:
        self._tokens = tokens
        self._at = 0
        self._resolve = resolve
        self._tr = tr
        self.terms = 0

    def _unexpected(self, token: _Token) -> FilterError:
        return FilterError(
            self._tr.gettext("I did not expect “{token}” there.").format(
                token=echo(token.text or token.kind)
            )
        )

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._tokens[self._at]
        self._at += 1
        return token

    def parse(self) -> Node:
        if not self._tokens:
            raise FilterError(self._tr.gettext("The filter is empty."))
        node = self._or(0)
        token = self._peek()
        if token is not None:
            raise self._unexpected(token)
        return node

    def _or(self, depth: int) -> Node:
        parts = [self._and(depth)]
        while (token := self._peek()) is not None and token.kind == "OR":
            self._take()
            parts.append(self._and(depth))
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def _and(self, depth: int) -> Node:
        parts = [self._unary(depth)]
        while (token := self._peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self._take()
            parts.append(self._unary(depth))
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise FilterError(
                self._tr.gettext("The filter nests too deeply (at most {count} levels).").format(
                    count=MAX_DEPTH
                )
            )
        token = self._peek()
        if token is None:
            raise FilterError(
                self._tr.gettext("The filter ends too early: something is missing after it.")
            )
        if token.kind in ("NOT", "-"):
            self._take()
            return Not(self._unary(depth + 1))
        if token.kind == "(":
            self._take()
            node = self._or(depth + 1)
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise FilterError(self._tr.gettext("A “(” is never closed."))
            self._take()
            return node
        if token.kind in ("term", "quoted"):
            self._take()
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise FilterError(
                    self._tr.gettext("A filter can have at most {count} terms.").format(
                        count=MAX_TERMS
                    )
                )
            return self._resolve(token)
        raise self._unexpected(token)


def _term(resolver: Resolver, token: _Token, tr: Translator) -> tuple[Term, str]:
    """Resolve one term to a leaf and its label, or say why it cannot be one."""
    if token.kind == "quoted":
        target = keyword_target(token.text)
        if target is None:
            raise FilterError(
                tr.gettext("“{term}” is too short or too long to look for.").format(
                    term=echo(token.text)
                )
            )
        return Term(target.kind, target.value), f"“{token.text}”"
    found = resolver.resolve(token.text, keyword_hint=False, tr=tr)
    if isinstance(found, Target):
        label = f"“{token.text}”" if found.kind is TargetKind.KEYWORD else tr.label(found)
        return Term(found.kind, found.value), label
    if found.reason in _NOT_A_KEYWORD:
        raise FilterError(found.message)
    target = keyword_target(token.text)  # an unknown word, or a city such as Lima
    if target is None:
        raise FilterError(found.message)
    return Term(target.kind, target.value), f"“{token.text}”"


def _label(node: Node, names: dict[Term, str], top: bool = True) -> str:
    """Readable form of a filter for /list, with the targets' labels."""
    if isinstance(node, Term):
        return names.get(node, node.value)
    if isinstance(node, Not):
        return "NOT " + _label(node.part, names, False)
    operator = " AND " if isinstance(node, AllOf) else " OR "
    joined = operator.join(_label(part, names, False) for part in node.parts)
    return joined if top else f"({joined})"


def parse(resolver: Resolver, text: str, tr: Translator = ENGLISH) -> tuple[Node, str]:
    """A reader's boolean filter as a tree and its label, or FilterError saying what is wrong.

    The label names its parts in `tr`'s language; errors are in it too.
    """
    text = collapse(text or "")
    if len(text) > MAX_FILTER_CHARS:
        raise FilterError(
            tr.gettext("A filter can be at most {count} characters long.").format(
                count=MAX_FILTER_CHARS
            )
        )
    names: dict[Term, str] = {}

    def resolve(token: _Token) -> Term:
        term, label = _term(resolver, token, tr)
        names[term] = label
        return term

    tree = _Parser(_tokens(text), resolve, tr).parse()
    if _only_negative(tree):
        raise FilterError(
            tr.gettext("A filter needs something to follow, not only things to leave out.")
        )
    return tree, _label(tree, names)


def parse_filter(resolver: Resolver, text: str, tr: Translator = ENGLISH) -> Target:
    """Turn a reader's boolean filter into one FILTER target, or raise FilterError."""
    tree, label = parse(resolver, text, tr)
    return Target(TargetKind.FILTER, dump(tree), "🧩 " + label)


def _only_negative(node: Node) -> bool:
    """NOT football alone would match nearly every article."""
    if isinstance(node, Not):
        return True
    if isinstance(node, AllOf):
        return all(_only_negative(part) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(_only_negative(part) for part in node.parts)
    return False
