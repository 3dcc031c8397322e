"""Canary releases: `mlgen release --variant` gives one variant its own image and model, `--weights` shifts
the traffic split, and the generated root serves what the release file says (offline plan harness). The
release-file rules are checked pure; the command runs against moto's server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.landing_zone import ACCOUNT, PROJECT, client, push_fake_image, seed_landing_zone, write_spec

from mlgen.cli import main
from mlgen.ops.release_file import ReleaseError, check_weights, next_release, parse_weights
from mlgen.pipeline import generate_project
from mlgen.plan import load_plan

ARTIFACTS = f"{PROJECT}-dev-artifacts-{ACCOUNT}"
RELEASE = Path("infra/envs/dev/release.auto.tfvars.json")
CANARY = """\
serving:
  endpoints:
    - name: default
      size: small
      serverless: false
      min_replicas: 2
      max_replicas: 4
      variants:
        - {name: blue, weight: 90}
        - {name: green, weight: 10}
"""
BASE = {"image_tag": "git-1111111", "model_data_url": "s3://b/v1/model.tar.gz"}


def _dev(tmp_path: Path):
    return load_plan(write_spec(tmp_path / "p", extra=CANARY) / "mlgen.yaml").environments["dev"]


def test_a_variant_release_changes_that_variant_only_and_a_whole_release_promotes() -> None:
    canary = next_release(BASE, "git-2222222", "s3://b/v2/model.tar.gz", variant="green")
    assert canary == {
        **BASE,
        "variants": {"green": {"image_tag": "git-2222222", "model_data_url": "s3://b/v2/model.tar.gz"}},
    }
    shifted = next_release(canary, None, None, weights={"blue": 50, "green": 50})
    assert shifted == {**canary, "weights": {"blue": 50, "green": 50}}
    promoted = next_release(shifted, "git-2222222", "s3://b/v2/model.tar.gz")
    assert promoted == {
        "image_tag": "git-2222222",
        "model_data_url": "s3://b/v2/model.tar.gz",
        "weights": {"blue": 50, "green": 50},
    }
    assert next_release(None, "git-1111111", "s3://b/v1/model.tar.gz") == BASE  # the two-key file as before


def test_refused_releases_say_why() -> None:
    with pytest.raises(ReleaseError, match="no release yet"):
        next_release(None, "git-2222222", "s3://b/m.tar.gz", variant="green")
    with pytest.raises(ReleaseError, match="together"):
        next_release(BASE, "git-2222222", None)
    with pytest.raises(ReleaseError, match="name=percent"):
        parse_weights("blue:90")
    with pytest.raises(ReleaseError, match="twice"):
        parse_weights("blue=50,blue=50")


def test_weights_must_cover_an_endpoints_variants_and_sum_to_100(tmp_path: Path) -> None:
    env = _dev(tmp_path)
    check_weights(env, {"blue": 0, "green": 100})
    for weights, message in (
        ({"blue": 90}, "also has green"),
        ({"blue": 60, "green": 60}, "sum to 120"),
        ({"blue": 90, "red": 10}, "unknown variant"),
        ({"blue": 101, "green": 0}, "0 to 100"),
    ):
        with pytest.raises(ReleaseError, match=message):
            check_weights(env, weights)


def release(project: Path, *args: str):
    return CliRunner().invoke(
        main, ["release", "--env", "dev", "--project-dir", str(project), *args], catch_exceptions=False
    )


def test_canary_then_shift_then_promote_through_the_command(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p", extra=CANARY)
    seed_landing_zone()
    for tag in ("git-1111111", "git-2222222"):
        push_fake_image(f"{PROJECT}-dev/serving", tag)
    s3 = client("s3")
    models = {v: f"s3://{ARTIFACTS}/models/{v}/model.tar.gz" for v in ("v1", "v2")}
    for version in models:
        s3.put_object(Bucket=ARTIFACTS, Key=f"models/{version}/model.tar.gz", Body=b"archive")

    early = release(project, "--image-tag", "git-2222222", "--model", models["v2"], "--variant", "green")
    assert early.exit_code == 2 and "no release yet" in early.output
    assert release(project, "--image-tag", "git-1111111", "--model", models["v1"]).exit_code == 0
    unknown = release(project, "--image-tag", "git-2222222", "--model", models["v2"], "--variant", "red")
    assert unknown.exit_code == 2 and "no variant 'red'" in unknown.output and "blue, green" in unknown.output
    canary = release(project, "--image-tag", "git-2222222", "--model", models["v2"], "--variant", "green")
    assert canary.exit_code == 0, canary.output
    assert "variant green: image git-2222222" in canary.output
    bad = release(project, "--weights", "blue=80,green=10")
    assert bad.exit_code == 2 and "sum to 90" in bad.output
    assert release(project, "--weights", "blue=50,green=50").exit_code == 0
    written = json.loads((project / RELEASE).read_text())["serving_release"]
    assert written == {
        "image_tag": "git-1111111",
        "model_data_url": models["v1"],
        "variants": {"green": {"image_tag": "git-2222222", "model_data_url": models["v2"]}},
        "weights": {"blue": 50, "green": 50},
    }
    assert release(project, "--image-tag", "git-2222222", "--model", models["v2"]).exit_code == 0
    promoted = json.loads((project / RELEASE).read_text())["serving_release"]
    assert promoted == {
        "image_tag": "git-2222222",
        "model_data_url": models["v2"],
        "weights": {"blue": 50, "green": 50},
    }


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_the_root_serves_the_canary_and_the_split_the_file_says(tmp_path: Path) -> None:
    """The generated dev root, planned offline: green's model is the canary's, blue's the release's, and the
    weights are the file's, not the spec's 90/10. (The image URIs start with the registry URL, which is known
    only after apply, so the plan cannot show their tags.)"""
    from tests.terraform_harness import Harness

    project = write_spec(tmp_path / "p", extra=CANARY)
    generate_project(project)
    release_value = {
        **BASE,
        "variants": {"green": {"image_tag": "git-2222222", "model_data_url": "s3://b/v2/model.tar.gz"}},
        "weights": {"blue": 30, "green": 70},
    }
    with Harness() as harness:
        result = harness.plan(
            project / "infra/envs/dev", variables={"serving_release": release_value}, show=True
        )
        assert result.ok, result.summary()
        spec_split = harness.plan(project / "infra/envs/dev", variables={"serving_release": BASE}, show=True)
        assert spec_split.ok, spec_split.summary()
    changes = {c["address"]: c["change"]["after"] for c in result.plan["resource_changes"]}
    models = {
        address.split('"')[1].split("/")[1]: after["primary_container"][0]
        for address, after in changes.items()
        if address.startswith("module.serving[0].aws_sagemaker_model.this")
    }
    assert models["green"]["model_data_url"] == "s3://b/v2/model.tar.gz"
    assert models["blue"]["model_data_url"] == BASE["model_data_url"]

    def weights(plan: dict) -> dict[str, float]:
        configs = [
            c["change"]["after"]
            for c in plan["resource_changes"]
            if c["type"] == "aws_sagemaker_endpoint_configuration"
        ]
        return {v["variant_name"]: v["initial_variant_weight"] for v in configs[0]["production_variants"]}

    assert weights(result.plan) == {"blue": 30, "green": 70}
    assert weights(spec_split.plan) == {"blue": 90, "green": 10}
