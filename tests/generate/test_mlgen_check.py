"""`mlgen check` on what mlgen generates: clean output passes, and a violation planted in it is caught."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO_ROOT

from mlgen.cli import main

pytestmark = pytest.mark.slow
EXAMPLES = sorted(path.parent for path in (REPO_ROOT / "examples").glob("*/mlgen.yaml"))


def cdktf_synth_available() -> bool:
    return shutil.which("node") is not None and importlib.util.find_spec("cdktn") is not None


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_generated_project_passes_mlgen_check(example: Path) -> None:
    if "\nformat: cdktf\n" in (example / "mlgen.yaml").read_text() and not cdktf_synth_available():
        pytest.skip(
            "checking a CDKTF project synthesizes it: needs Node.js and cdktn (pip install -e '.[test]')"
        )
    result = CliRunner().invoke(main, ["check", str(example)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Result: PASSED" in result.output
    assert "drift:           passed" in result.output


def test_unprotected_prod_storage_fails_mlg006_and_drift(tmp_path: Path) -> None:
    project = tmp_path / "prod-project"
    shutil.copytree(REPO_ROOT / "examples" / "aws-production", project)
    main_tf = project / "infra/envs/prod/main.tf"
    text = main_tf.read_text()
    storage = text.index('module "storage"')
    end = text.index("\n}\n", storage)
    main_tf.write_text(
        text[:storage]
        + text[storage:end].replace(
            "deletion_protection                = true", "deletion_protection                = false"
        )
        + text[end:]
    )
    assert main_tf.read_text() != text

    result = CliRunner().invoke(main, ["check", str(project), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    assert '"MLG006"' in result.output and "module.storage" in result.output
    assert "infra/envs/prod/main.tf" in result.output  # drift names the hand-edited file too
