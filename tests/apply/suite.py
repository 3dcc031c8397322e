"""The set of environments the apply harness runs, shared by the test and benchmarks/terraform_apply.py."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.apply.lifecycle import apply_root, generate_variant, moto_server, root_settings, run_environment
from tests.apply.workspace import Workspace
from tests.conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
SERVING_RELEASE = {"image_tag": "v1", "model_data_url": "s3://emulator-models/model.tar.gz"}
# The prod variant: protection off so it can be destroyed, the GPU fleet on so it is applied.
PROD_VARIANT = {
    "environments": {
        "prod": {"deletion_protection": False, "training": {"platform": "vm", "vm_max_instances": 2}}
    }
}
ENVIRONMENTS = ("aws-starter/dev", "aws-production/dev", "aws-production/prod")


def protected_destroy(workdir: Path) -> dict[str, object]:
    """Apply the protected prod bootstrap, then try to destroy it (terraform and the teardown script)."""
    project = EXAMPLES / "aws-production"
    account, region = root_settings(project / "infra" / "bootstrap" / "prod")
    workdir.mkdir(parents=True, exist_ok=True)
    with moto_server(account, workdir / "moto.log") as endpoint:
        ws = Workspace.prepare(project, workdir / "aws-production", endpoint)
        bootstrap = ws.root("bootstrap", "prod")
        applied = apply_root(ws, bootstrap)
        destroy = ws.terraform(bootstrap, "destroy", "-auto-approve", "-input=false", "-no-color")
        script = ws.run(
            ["bash", str(ws.project / "scripts" / "teardown-prod.sh"), "--yes", "--confirm", "fraud-detect"]
        )
        import boto3

        s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name=region, aws_access_key_id="t", aws_secret_access_key="t"
        )
        buckets = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])
    return {"applied": applied, "destroy": destroy, "script": script, "buckets": buckets}


def run_all(base: Path) -> dict[str, object]:
    """Every environment of ENVIRONMENTS plus the protected-destroy check, in parallel (one moto each)."""
    prod_variant = generate_variant(
        EXAMPLES / "aws-production", base / "variant" / "aws-production", PROD_VARIANT
    )
    jobs = {
        "aws-starter/dev": lambda: run_environment(
            EXAMPLES / "aws-starter", "dev", base / "s-dev", SERVING_RELEASE
        ),
        "aws-production/dev": lambda: run_environment(EXAMPLES / "aws-production", "dev", base / "p-dev"),
        "aws-production/prod": lambda: run_environment(
            prod_variant, "prod", base / "p-prod", SERVING_RELEASE
        ),
        "protected": lambda: protected_destroy(base / "protected"),
    }
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
