"""bench/scale.py --quick runs end to end and prints every figure it promises."""

from __future__ import annotations

import pytest

from bench import scale


def test_quick_mode_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    scale.main(["--quick"])
    out = capsys.readouterr().out
    assert "1,000 subscriptions:" in out and "MiB" in out
    assert "first poll,    10 sources, 20 new:" in out
    assert "steady poll, 200 new vs 400 recent:" in out
    assert "10 sources: first poll" in out and "(20 new)" in out and "(1 new," in out


def test_the_corpus_republishes_stories_and_the_index_finds_them() -> None:
    figures = scale.syndicate(400, 200, 50)
    assert 0.1 * 200 < figures.copies_found < 200
