"""Folding helpers beyond fold and align (tested in test_countries.py, next to their users)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.classify.normalize import QUOTE_MARKS, collapse, fold, phrase_form, strip_marks


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Lithium-Mining", "lithium mining"),
        ("  lithium \t\n mining  ", "lithium mining"),
        ("Perú \u2013 Bolivia", "peru bolivia"),  # an en dash is a hyphen, and so a space
        ("São Paulo", "sao paulo"),
        ("U.S.", "u.s."),
        ("---", ""),
    ],
)
def test_phrase_form(text: str, form: str) -> None:
    assert phrase_form(text) == form


@given(st.text(max_size=30))
def test_phrase_form_is_idempotent_and_has_no_hyphen_or_double_space(text: str) -> None:
    form = phrase_form(text)
    assert phrase_form(form) == form
    assert "-" not in form and "  " not in form and form == form.strip()


def test_strip_marks_drops_accents_but_keeps_case_and_letters_without_marks() -> None:
    assert strip_marks("Perú Ñandú") == "Peru Nandu"
    assert strip_marks("Øresund") == "Øresund"  # a stroke is not a combining mark


def test_collapse() -> None:
    assert collapse("  a \u00a0 b\n\nc ") == "a b c"


def test_every_quote_mark_folds_to_a_straight_quote() -> None:
    assert QUOTE_MARKS.startswith('"') and len(set(QUOTE_MARKS)) == len(QUOTE_MARKS)
    assert {fold(mark) for mark in QUOTE_MARKS} == {'"'}
