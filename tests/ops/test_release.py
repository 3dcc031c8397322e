"""`mlgen release` against moto's server: the committed release file, the image check, MLflow models packed
into model.tar.gz and uploaded, and the real generated root reading the file (terraform, no provider needed:
the variable and an output only). Wall time ~20-40 s (MLflow import and a registered model in SQLite).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.landing_zone import ACCOUNT, PROJECT, client, push_fake_image, seed_landing_zone, write_spec

from mlgen.cli import main
from mlgen.pipeline import generate_project

ARTIFACTS = f"{PROJECT}-dev-artifacts-{ACCOUNT}"
RELEASE = Path("infra/envs/dev/release.auto.tfvars.json")


def release(project: Path, *args: str):
    return CliRunner().invoke(
        main, ["release", "--env", "dev", "--project-dir", str(project), *args], catch_exceptions=False
    )


def test_release_of_an_s3_archive_writes_exactly_the_serving_release_variable(
    aws: str, tmp_path: Path
) -> None:
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    push_fake_image(f"{PROJECT}-dev/serving", "git-1a2b3c4")
    client("s3").put_object(Bucket=ARTIFACTS, Key="models/churn/model.tar.gz", Body=b"archive")
    model = f"s3://{ARTIFACTS}/models/churn/model.tar.gz"
    result = release(project, "--image-tag", "git-1a2b3c4", "--model", model)
    assert result.exit_code == 0, result.output
    assert json.loads((project / RELEASE).read_text()) == {
        "serving_release": {"image_tag": "git-1a2b3c4", "model_data_url": model}
    }
    assert "next: commit" in result.output
    again = release(project, "--image-tag", "git-1a2b3c4", "--model", model)
    assert "already holds this release" in again.output


def test_missing_image_or_model_fails_without_writing(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    no_image = release(project, "--image-tag", "git-0000000", "--model", f"s3://{ARTIFACTS}/x/model.tar.gz")
    assert no_image.exit_code == 1 and "mlgen images push" in no_image.output
    push_fake_image(f"{PROJECT}-dev/serving", "git-1a2b3c4")
    no_model = release(project, "--image-tag", "git-1a2b3c4", "--model", f"s3://{ARTIFACTS}/x/model.tar.gz")
    assert no_model.exit_code == 1 and "cannot be read" in no_model.output
    assert release(project, "--image-tag", "latest", "--model", "s3://b/m.tar.gz").exit_code == 2
    assert not (project / RELEASE).exists()


def test_registered_mlflow_model_is_packed_and_uploaded(aws: str, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("mlflow")
    import mlflow
    import mlflow.pyfunc

    # A sqlite store puts run artifacts under ./mlruns by default: keep them out of the checkout.
    monkeypatch.chdir(tmp_path)
    tracking = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking)
    mlflow.set_tracking_uri(tracking)

    class Model(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input):
            return model_input

    with mlflow.start_run():
        mlflow.pyfunc.log_model(name="model", python_model=Model(), registered_model_name="churn")
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    push_fake_image(f"{PROJECT}-dev/serving", "git-1a2b3c4")
    result = release(project, "--image-tag", "git-1a2b3c4", "--model", "models:/churn/1")
    assert result.exit_code == 0, result.output
    assert "Downloading artifacts" not in result.output  # no progress-bar lines off a terminal
    url = json.loads((project / RELEASE).read_text())["serving_release"]["model_data_url"]
    assert url.startswith(f"s3://{ARTIFACTS}/releases/") and url.endswith("/model.tar.gz")
    body = client("s3").get_object(Bucket=ARTIFACTS, Key=url.split("/", 3)[3])["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        assert "MLmodel" in archive.getnames()  # at the root, where the serving image looks
    assert (
        release(project, "--image-tag", "git-1a2b3c4", "--model", "models:/churn/1").output.startswith(
            "image"
        )
        or "already holds"
        in release(project, "--image-tag", "git-1a2b3c4", "--model", "models:/churn/1").output
    )


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_generated_root_reads_the_release_file(tmp_path: Path) -> None:
    """The real variable block of a generated root, with the file beside it: terraform takes its value."""
    project = write_spec(tmp_path / "p")
    generate_project(project)
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(project / "infra/envs/dev/variables.tf", root / "variables.tf")
    (root / "outputs.tf").write_text('output "release" {\n  value = var.serving_release\n}\n')
    from mlgen.ops.release_file import release_values, write_release

    values = release_values("git-1a2b3c4", f"s3://{ARTIFACTS}/releases/abc/model.tar.gz")
    write_release(root, values)
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        run = subprocess.run(
            ["terraform", f"-chdir={root}", *args], check=False, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr
    output = subprocess.run(
        ["terraform", f"-chdir={root}", "output", "-json", "release"],
        check=False,
        capture_output=True,
        text=True,
    )
    # The optional canary fields take the variable's defaults.
    assert json.loads(output.stdout) == {**values["serving_release"], "variants": {}, "weights": {}}
    write_release(root, release_values("latest", "s3://b/model.tar.gz"))
    refused = subprocess.run(
        ["terraform", f"-chdir={root}", "plan", "-input=false"], check=False, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "versioned image tag" in refused.stderr


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_apply_plans_asks_and_applies_the_release(aws: str, tmp_path: Path) -> None:
    """--apply against a root with the generated variable block and a terraform_data that takes the release
    (no provider needed): refused without --yes where nobody can be asked, applied with it, then no changes."""
    project = write_spec(tmp_path / "p")
    generate_project(project)
    root = project / "infra/envs/dev"
    variables = (root / "variables.tf").read_text()
    shutil.rmtree(root)
    root.mkdir()
    (root / "variables.tf").write_text(variables)
    (root / "main.tf").write_text(
        'resource "terraform_data" "release" {\n  input = var.serving_release\n}\n\n'
        'output "release" {\n  value = terraform_data.release.output\n}\n'
    )
    seed_landing_zone()
    push_fake_image(f"{PROJECT}-dev/serving", "git-1a2b3c4")
    client("s3").put_object(Bucket=ARTIFACTS, Key="models/churn/model.tar.gz", Body=b"archive")
    model = f"s3://{ARTIFACTS}/models/churn/model.tar.gz"
    args = ("--image-tag", "git-1a2b3c4", "--model", model, "--apply")

    refused = release(project, *args)
    assert refused.exit_code == 3 and "without --yes" in refused.output, refused.output
    assert (project / RELEASE).is_file() and not (root / "terraform.tfstate").exists()
    assert not (root / "release.tfplan").exists()

    applied = release(project, *args, "--yes")
    assert applied.exit_code == 0, applied.output
    assert "applied: dev serves the release" in applied.output
    output = subprocess.run(
        ["terraform", f"-chdir={root}", "output", "-json", "release"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert json.loads(output.stdout) == {
        "image_tag": "git-1a2b3c4",
        "model_data_url": model,
        "variants": {},
        "weights": {},
    }

    again = release(project, *args, "--yes")
    assert again.exit_code == 0 and "no changes: dev already serves this release" in again.output
