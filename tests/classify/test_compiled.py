"""The mypyc-compiled classifier (setup.py) tags exactly as its plain Python source does, and a
checkout refuses a compiled module older than its edited source."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from bot.classify import compiled, stale_compiled
from tests.helpers.classify_eval import EVAL_SET

ROOT = Path(__file__).resolve().parents[2]
TUNING = ("tune", "tune2", "tune3", "tune4", "tune5")
SETS = [EVAL_SET, *(EVAL_SET.parent / "corpus" / f"{name}.jsonl" for name in TUNING)]
# every tuning item, text only and with its categories, in a fresh interpreter
_TAGS = """
import json, sys
from pathlib import Path
from bot.classify import compiled
from bot.classify.classifier import Classifier
from tests.helpers.classify_eval import load
c = Classifier.default()
out = []
for path in sys.argv[1:]:
    for item in load(Path(path)):
        for categories in ((), item.categories):
            tags = c.classify(item.title, item.teaser, categories)
            out.append([item.id, list(tags.countries), list(tags.topics)])
print(json.dumps({"compiled": compiled(), "tags": out}))
"""


def _tags(root: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _TAGS, *map(str, SETS)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(
    not compiled(),
    reason="the classifier is plain Python here (no C compiler, or NEWSBOT_COMPILE=0)",
)
def test_the_compiled_classifier_tags_every_labelled_item_as_plain_python(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "plain"
    for part in ("bot", "tests"):
        shutil.copytree(
            ROOT / part, plain / part, ignore=shutil.ignore_patterns("*.so", "__pycache__")
        )
    compiled, source = _tags(ROOT), _tags(plain)
    assert compiled["compiled"] is True and source["compiled"] is False
    assert len(SETS) >= 5 and len(source["tags"]) > 1900  # type: ignore[arg-type]
    assert compiled["tags"] == source["tags"]


def _package(tmp_path: Path, *, checkout: bool) -> Path:
    """bot/classify under tmp_path, with setup.py beside bot/ if it is a checkout."""
    package = tmp_path / "bot" / "classify"
    package.mkdir(parents=True)
    if checkout:
        (tmp_path / "setup.py").write_text("")
    return package


def test_a_source_edited_after_its_build_is_named(tmp_path: Path) -> None:
    package = _package(tmp_path, checkout=True)
    suffix = EXTENSION_SUFFIXES[0]
    for name, built_at, edited_at in (("matcher", 100, 200), ("context", 200, 100)):
        (package / f"{name}.py").write_text("")
        (package / f"{name}{suffix}").write_bytes(b"")
        os.utime(package / f"{name}{suffix}", (built_at, built_at))
        os.utime(package / f"{name}.py", (edited_at, edited_at))
    assert stale_compiled(package) == ["matcher.py"]


def test_an_installed_package_is_never_called_stale(tmp_path: Path) -> None:
    package = _package(tmp_path, checkout=False)  # site-packages: no setup.py beside it
    (package / "matcher.py").write_text("")
    (package / f"matcher{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    os.utime(package / f"matcher{EXTENSION_SUFFIXES[0]}", (100, 100))
    assert stale_compiled(package) == []


def test_this_checkout_has_no_stale_build() -> None:
    assert stale_compiled() == []
