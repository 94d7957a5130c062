"""Button payloads: Telegram's 64-byte callback_data limit is counted in UTF-8 bytes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import ENGLISH
from bot.models import Target, TargetKind
from handlers.common import MAX_CALLBACK_BYTES, SUBSCRIBE, buttons, callback_data, parse_callback


def keyword(value: str) -> Target:
    return Target(TargetKind.KEYWORD, value, value)


def test_a_payload_of_few_characters_but_many_bytes_gets_no_button() -> None:
    emoji = "🌍" * 14  # 14 code points, 28 UTF-16 units, 56 bytes: with "s|keyword|", 66 bytes
    assert len(f"{SUBSCRIBE}|keyword|{emoji}") < MAX_CALLBACK_BYTES
    assert callback_data(SUBSCRIBE, keyword(emoji)) is None
    assert buttons(SUBSCRIBE, [keyword(emoji), keyword("strike")], ENGLISH) == [
        [buttons(SUBSCRIBE, [keyword("strike")], ENGLISH)[0][0]]
    ]


@given(st.text(min_size=1, max_size=40))
def test_every_payload_fits_in_64_bytes_and_reads_back(value: str) -> None:
    data = callback_data(SUBSCRIBE, keyword(value))
    if data is None:
        assert len(f"{SUBSCRIBE}|keyword|{value}".encode()) > MAX_CALLBACK_BYTES
    else:
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        assert parse_callback(data) == (SUBSCRIBE, TargetKind.KEYWORD, value)
