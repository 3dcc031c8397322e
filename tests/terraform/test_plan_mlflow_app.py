"""tracking.mlflow = serverless plans an aws_sagemaker_mlflow_app (offline plan harness, hashicorp/aws 6.69.1
schema): the app on the artifacts bucket's mlflow/ prefix with its own role, and no tracking server.

The apply harness runs the local hashicorp/aws 5.100.0 binary, which has no such resource, so this option is
planned only (the blueprints keep managed/none, which tests/apply applies).
Wall time: about 30-60 s on 2 cores (one generate, one plan).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML
from tests.terraform_harness import Harness

from mlgen.cli import main as mlgen_main

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_serverless_tracking_plans_an_mlflow_app_and_no_server(harness: Harness, tmp_path: Path) -> None:
    spec = YAML(typ="safe").load((REPO_ROOT / "examples/aws-production/mlgen.yaml").read_text())
    spec["environments"]["dev"]["tracking"] = {"mlflow": "serverless"}
    spec_path = tmp_path / "mlgen.yaml"
    with spec_path.open("w") as handle:
        YAML().dump(spec, handle)
    out = tmp_path  # generate writes the project beside its spec
    result = CliRunner().invoke(mlgen_main, ["generate", "--spec", str(spec_path)])
    assert result.exit_code == 0, result.output

    plan = harness.plan(out / "infra/envs/dev", show=True)
    assert plan.ok and not plan.warnings and plan.plan, plan.summary()
    changes = {c["address"]: c["change"] for c in plan.plan["resource_changes"]}
    app = changes["module.tracking.aws_sagemaker_mlflow_app.this"]["after"]
    unknown = changes["module.tracking.aws_sagemaker_mlflow_app.this"]["after_unknown"]
    assert app["name"] == "fraud-detect-dev-mlflow"
    # The artifacts bucket's name (hence the URI) and the role are known only after apply.
    assert unknown["artifact_store_uri"] is True and unknown["role_arn"] is True
    assert app["model_registration_mode"] == "AutoModelRegistrationEnabled"
    assert "module.tracking.module.role.aws_iam_role.this" in changes
    assert not any("aws_sagemaker_mlflow_tracking_server" in address for address in changes)
