"""`mlgen teardown` against moto's server with a real `terraform destroy` (hashicorp/aws 5.100.0 from the
filesystem mirror) of a small root that holds what blocked teardown before: a versioned bucket and a
repository, non-empty, with force_destroy/force_delete off. The test adds what jobs and MLflow make outside
Terraform (object versions and delete markers, images, a SageMaker model, endpoint config and endpoint, a
finished training job, a key) and another project's resources, then checks the emulator by listing it.

Wall time: 8.4 min measured on the shared 2-core machine at load ~30 (setup 161 s, test 338 s); the 5.100
provider binary takes ~20 s of CPU per start, and apply, a failed destroy and the teardown's init/state
pull/destroy start it several times, so expect about a minute on an idle machine. Skips without the provider.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.landing_zone import ACCOUNT, PROJECT, client, push_fake_image, tag_list, tags_for, write_spec

from mlgen.cli import main

MIRROR = Path("/opt/tf-plugins")
PROVIDER = MIRROR / "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PROVIDER.is_dir(), reason=f"the hashicorp/aws 5.100.0 mirror is not at {MIRROR}"),
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH"),
]
PREFIX = f"{PROJECT}-dev"
BUCKET = f"{PREFIX}-artifacts-{ACCOUNT}"
REPOSITORY = f"{PREFIX}/serving"

ROOT = """\
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true
  max_retries                 = 2
  endpoints {
    s3  = "ENDPOINT"
    ecr = "ENDPOINT"
    iam = "ENDPOINT"
    sts = "ENDPOINT"
  }
  default_tags { tags = TAGS }
}

resource "aws_s3_bucket" "artifacts" {
  bucket        = "BUCKET"
  force_destroy = false
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration { status = "Enabled" }
}

resource "aws_ecr_repository" "serving" {
  name         = "REPOSITORY"
  force_delete = false
}
"""


@pytest.fixture
def applied_project(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose dev root is applied into moto by the real Terraform and aws provider."""
    config = tmp_path / "terraform.rc"
    config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n    include = ["hashicorp/aws"]\n  }}\n'
        '  direct { exclude = ["hashicorp/aws"] }\n}\n'
    )
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(config))
    monkeypatch.setenv("TF_IN_AUTOMATION", "1")
    project = write_spec(tmp_path / "project", prod_protection=False)
    root = project / "infra" / "envs" / "dev"
    root.mkdir(parents=True)
    text = ROOT.replace("ENDPOINT", aws).replace("BUCKET", BUCKET).replace("REPOSITORY", REPOSITORY)
    (root / "main.tf").write_text(
        text.replace("TAGS", json.dumps(tags_for(PROJECT, "dev")).replace(":", " ="))
    )
    for args in (
        ["init", "-input=false", "-no-color"],
        ["apply", "-input=false", "-auto-approve", "-no-color"],
    ):
        result = subprocess.run(
            ["terraform", f"-chdir={root}", *args],
            check=False,
            capture_output=True,
            text=True,
            env=os.environ,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    return project


def add_out_of_band_leftovers() -> None:
    s3 = client("s3")
    for version in range(3):
        s3.put_object(Bucket=BUCKET, Key="model/weights.pt", Body=f"v{version}".encode())
    s3.delete_object(Bucket=BUCKET, Key="model/weights.pt")  # a delete marker on top of three versions
    for tag in ("git-1111111", "git-2222222"):
        push_fake_image(REPOSITORY, tag)
    tags = tag_list(tags_for(PROJECT, "dev"))
    sagemaker = client("sagemaker")
    role = f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-serving"
    image = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{REPOSITORY}:git-1111111"
    sagemaker.create_model(
        ModelName=f"{PREFIX}-mlflow-model",
        ExecutionRoleArn=role,
        PrimaryContainer={"Image": image},
        Tags=tags,
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=f"{PREFIX}-adhoc",
        ProductionVariants=[
            {
                "VariantName": "primary",
                "ModelName": f"{PREFIX}-mlflow-model",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
        Tags=tags,
    )
    sagemaker.create_endpoint(EndpointName=f"{PREFIX}-adhoc", EndpointConfigName=f"{PREFIX}-adhoc", Tags=tags)
    client("kms").create_key(Tags=tag_list(tags_for(PROJECT, "dev"), "TagKey", "TagValue"))


def add_other_projects_resources() -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="other-dev-data")
    s3.put_bucket_tagging(Bucket="other-dev-data", Tagging={"TagSet": tag_list(tags_for("other", "dev"))})
    s3.put_object(Bucket="other-dev-data", Key="keep.csv", Body=b"1")
    s3.create_bucket(Bucket="untagged-scratch")
    s3.put_object(Bucket="untagged-scratch", Key="keep.txt", Body=b"1")
    # Same project, other environment: not this teardown's either.
    client("ecr").create_repository(
        repositoryName=f"{PROJECT}-prod/serving", tags=tag_list(tags_for(PROJECT, "prod"))
    )
    push_fake_image(f"{PROJECT}-prod/serving", "git-3333333")


def snapshot() -> dict[str, object]:
    s3, ecr, sagemaker = client("s3"), client("ecr"), client("sagemaker")
    versions = (
        s3.list_object_versions(Bucket=BUCKET)
        if BUCKET in [b["Name"] for b in s3.list_buckets()["Buckets"]]
        else {}
    )
    keys = client("kms").list_keys()["Keys"]
    return {
        "buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
        "versions": len(versions.get("Versions", [])) + len(versions.get("DeleteMarkers", [])),
        "repositories": sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"]),
        "models": [m["ModelName"] for m in sagemaker.list_models()["Models"]],
        "endpoints": [e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]],
        "configs": [c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]],
        "key_states": sorted(
            client("kms").describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] for k in keys
        ),
    }


def teardown(project: Path, *args: str):
    return CliRunner().invoke(
        main, ["teardown", "--project-dir", str(project), *args], catch_exceptions=False
    )


def test_dry_run_then_teardown_leaves_zero_tagged_resources_and_spares_everything_else(
    applied_project: Path,
) -> None:
    """One apply (the provider is slow to start on a busy machine): dry run, plain destroy, then teardown."""
    add_out_of_band_leftovers()
    add_other_projects_resources()
    before = snapshot()

    dry = teardown(applied_project, "--env", "dev", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would delete 4 object version(s) and delete marker(s) from bucket " + BUCKET in dry.output
    assert f"would delete 2 image(s) from repository {REPOSITORY}" in dry.output
    assert f"would delete SageMaker endpoint {PREFIX}-adhoc" in dry.output
    assert "would run `terraform destroy`" in dry.output
    assert snapshot() == before
    assert not (applied_project / "infra/envs/dev/backups").exists()

    # What the generated teardown script did before: destroy without emptying stops part-way. Shown on the
    # repository: destroying the bucket first suspends its versioning, and moto 5.2.5 then crashes (HTTP 500,
    # FakeDeleteMarker.dispose) on deleting delete markers, which AWS does not.
    root = applied_project / "infra/envs/dev"
    plain = subprocess.run(
        [
            "terraform",
            f"-chdir={root}",
            "destroy",
            "-auto-approve",
            "-no-color",
            "-target=aws_ecr_repository.serving",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert plain.returncode != 0 and "RepositoryNotEmpty" in plain.stdout + plain.stderr

    result = teardown(applied_project, "--env", "dev", "--yes")
    assert result.exit_code == 0, result.output
    assert f"{PREFIX}: nothing left" in result.output
    after = snapshot()
    assert BUCKET not in after["buckets"]
    assert {"other-dev-data", "untagged-scratch"} <= set(after["buckets"])
    assert after["repositories"] == [f"{PROJECT}-prod/serving"]
    assert after["models"] == [] and after["endpoints"] == [] and after["configs"] == []
    assert after["key_states"] == ["PendingDeletion"]
    assert client("ecr").list_images(repositoryName=f"{PROJECT}-prod/serving")["imageIds"]
    assert client("s3").list_objects_v2(Bucket="other-dev-data")["KeyCount"] == 1
    backups = list((root / "backups").glob("terraform-*.tfstate"))
    assert len(backups) == 1 and json.loads(backups[0].read_text())["resources"]
