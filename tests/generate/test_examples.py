"""Golden examples: examples/* regenerated from their specs must match the committed trees byte for byte.

When this fails after an intended change, run `python scripts/update_examples.py` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

from mlgen.pipeline import generate_project

EXAMPLES = sorted(path.parent for path in (REPO_ROOT / "examples").glob("*/mlgen.yaml"))


def tree(root: Path) -> dict[str, tuple[bytes, bool]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), bool(path.stat().st_mode & 0o100))
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_both_blueprints_have_an_example() -> None:
    assert {example.name for example in EXAMPLES} >= {"aws-starter", "aws-production"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_example_matches_what_the_generator_writes(example: Path, tmp_path: Path) -> None:
    regenerated = tmp_path / example.name
    regenerated.mkdir()
    shutil.copy(example / "mlgen.yaml", regenerated / "mlgen.yaml")
    generate_project(regenerated)
    expected, actual = tree(example), tree(regenerated)
    assert sorted(actual) == sorted(expected), "file lists differ; run scripts/update_examples.py"
    differing = [path for path in expected if expected[path] != actual[path]]
    assert differing == [], "contents differ; run scripts/update_examples.py and review the diff"
