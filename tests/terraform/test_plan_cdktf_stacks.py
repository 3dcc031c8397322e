"""The synthesized CDKTF stacks plan like the HCL roots: `terraform init`, `validate` and `plan` of
`cdk.tf.json` against the harness's providers (tests/terraform_harness), with the same planned resource
addresses as the HCL root of the same spec.

Two roots of the production example (prod with serving_release set, the largest, and its bootstrap), each
planned in both formats. Wall time: 4 plans, two at a time: about 20 s on an idle 2-core machine,
3 min measured with the machine under load (load average 17).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from tests.terraform_harness import Harness

from mlgen.render.cdktf import APP_DIR
from mlgen.render.cdktf.synth import synthesize

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVING_RELEASE = {"image_tag": "v1.0.0", "model_data_url": "s3://models/churn/v1/model.tar.gz"}
# stack id -> (HCL root of examples/aws-production, variables)
STACKS = {
    "envs-prod": ("infra/envs/prod", {"serving_release": SERVING_RELEASE}),
    "bootstrap-prod": ("infra/bootstrap/prod", None),
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("node") is None or importlib.util.find_spec("cdktn") is None,
        reason="synthesizing needs Node.js and the cdktn package (pip install -e '.[test]')",
    ),
]


def test_synthesized_stacks_plan_the_same_resources_as_the_hcl_roots(
    harness: Harness, tmp_path: Path
) -> None:
    shutil.copytree(REPO_ROOT / "examples/aws-production-cdktf/infra", tmp_path / "infra")
    stacks = synthesize(tmp_path / APP_DIR) / "stacks"
    jobs = []
    for stack, (root, variables) in STACKS.items():
        jobs += [(stacks / stack, variables), (REPO_ROOT / "examples/aws-production" / root, variables)]
    results = harness.plan_many(jobs, workers=2)
    for index, stack in enumerate(STACKS):
        synthesized, hcl = results[2 * index], results[2 * index + 1]
        assert synthesized.ok and not synthesized.warnings, synthesized.summary()
        assert hcl.ok, hcl.summary()
        assert synthesized.resources > 0
        assert sorted(synthesized.planned) == sorted(hcl.planned), stack
