"""bench/classify_eval.py keeps the holdouts unread: figures, never their items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.classify_eval import HOLDOUT_NAMES, main
from tests.helpers.classify_eval import EVAL_SET


def _copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(EVAL_SET.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _error_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("  #")]


def test_another_set_lists_its_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--text-only", str(_copy(tmp_path, "tune.jsonl"))])
    assert _error_lines(capsys.readouterr().out)


@pytest.mark.parametrize("name", sorted(HOLDOUT_NAMES))
def test_a_holdout_prints_figures_but_no_item(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(tmp_path, name)
    main(["--text-only", str(path)])
    out = capsys.readouterr().out
    assert "countries  P=" in out and not _error_lines(out)
    titles = [json.loads(line)["title"] for line in path.read_text().splitlines()]
    assert not any(title[:40] in out for title in titles if len(title) >= 25)
    main(["--text-only", "--read-holdout", str(path)])
    assert _error_lines(capsys.readouterr().out)
