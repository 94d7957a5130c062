"""bench/classify_eval.py keeps the holdouts unread: figures, never their items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.classify_eval import HOLDOUT_NAMES, main
from tests.helpers.classify_eval import EVAL_SET, Item, evaluate, load


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


def _item(title: str, teaser: str, countries: set[str]) -> Item:
    return Item("x", "https://example.org/x", title, teaser, (), frozenset(countries), frozenset())


def test_a_missed_country_no_word_names_lowers_the_recall_ceiling() -> None:
    # the labeller knows the story is Chile's too; no word of the text says so
    report = evaluate([_item("Peru's miners strike", "Miners walked out in Peru.", {"PE", "CL"})])
    assert (report.countries.fn, report.unnamed) == (1, 1)
    assert report.recall_ceiling == pytest.approx(0.5)


# a long teaser: a country it names once, late, is a passer-by the rules drop
_LONG = (
    "Miners walked out in Peru. " + "The union said the dispute over pay had lasted months. " * 12
)


@pytest.mark.parametrize(
    ("late", "code"),
    [("Ports in Chile were quiet.", "CL"), ("Observers from North and South Korea came.", "KP")],
)
def test_a_missed_country_the_text_names_is_not_beyond_the_ceiling(late: str, code: str) -> None:
    # "North and South Korea" names KP as the classifier reads it, though no word says "North Korea"
    report = evaluate([_item("Peru's miners strike", _LONG + late, {"PE", code})])
    assert (report.countries.fn, report.unnamed) == (1, 0)
    assert report.recall_ceiling == 1.0


def test_a_wrong_country_the_text_names_is_counted_by_its_name() -> None:
    report = evaluate([_item("Peru's miners strike", "Miners walked out in Peru.", set())])
    assert report.wrong_by_word == {"country": 1}


def test_a_wrong_country_named_by_several_kinds_of_word_is_counted_by_its_name() -> None:
    text = "Chilean workers marched in Santiago, the capital of Chile."
    report = evaluate([_item("Chilean workers march", text, set())])
    assert report.wrong_by_word == {"country": 1}


def test_a_wrong_country_is_counted_by_the_word_that_named_it() -> None:
    report = evaluate([_item("Chilean miners strike", "Miners walked out on Monday.", set())])
    assert report.wrong_by_word == {"demonym": 1}


def test_the_country_error_line_is_printed_for_a_holdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--text-only", str(_copy(tmp_path, "holdout.jsonl"))])
    line = next(x for x in capsys.readouterr().out.splitlines() if "country errors" in x)
    report = evaluate(load(EVAL_SET), use_categories=False)
    assert f"{report.countries.fn} missed, {report.unnamed} of them" in line
    assert f"(recall ceiling {report.recall_ceiling:.3f})" in line
