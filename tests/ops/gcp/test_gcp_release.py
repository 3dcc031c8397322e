"""`mlgen release` on GCP: model upload with the serving image's routes and port, deployment to the endpoint
with all traffic, and the undeployment of what served before, through the real client and the fake."""

from __future__ import annotations

import json

from click.testing import CliRunner
from google.cloud.aiplatform_v1 import types
from google.protobuf import json_format
from tests.ops.gcp.landing_zone import LandingZone

from mlgen.cli import main
from mlgen.clouds.gcp import naming

TAG = "git-1a2b3c4"


def release(zone: LandingZone, *args: str) -> object:
    return CliRunner().invoke(
        main,
        ["release", "--env", "dev", "--project-dir", str(zone.project_dir), "--image-tag", TAG, *args],
        catch_exceptions=False,
    )


def parsed(message: type, body: dict) -> object:
    return message.wrap(json_format.ParseDict(body, message.pb(message())))


def endpoint_of(zone: LandingZone) -> dict:
    env = zone.env()
    return zone.fake.state.endpoints[f"{zone.location()}/endpoints/{naming.endpoint_id(env, 'default')}"]


def test_release_apply_uploads_deploys_and_undeploys_the_old_model(zone: LandingZone) -> None:
    zone.push_serving_tag(TAG)
    model_uri = zone.upload_model_files("jobs/churn-gcp-dev-1/model")
    env = zone.env()

    first = release(zone, "--model", model_uri, "--apply", "--yes")
    assert first.exit_code == 0, first.output
    (upload,) = zone.fake.calls("POST", r"/models:upload$")
    model = parsed(types.Model, upload.body["model"])
    assert model.artifact_uri == f"{model_uri}/"
    assert model.container_spec.image_uri == naming.image_uri(env, "serving", TAG)
    # The serving image (training_images/serving) listens on 8080 and answers /ready and /predict.
    assert [port.container_port for port in model.container_spec.ports] == [8080]
    assert model.container_spec.health_route == "/ready"
    assert model.container_spec.predict_route == "/predict"
    assert model.encryption_spec.kms_key_name == zone.job_defaults()["kms_key_name"]
    assert model.labels["project"] == "churn-gcp" and model.labels["environment"] == "dev"

    (deploy,) = zone.fake.calls("POST", r"/endpoints/\d+:deployModel$")
    request = parsed(types.DeployModelRequest, deploy.body)
    assert dict(request.traffic_split) == {}  # deployed without traffic; the update below moves it
    deployed = request.deployed_model
    assert deployed.model == zone.fake.state.models[deployed.model]["name"]
    assert deployed.service_account == naming.service_account_email(env, "serving")
    resources = deployed.dedicated_resources
    assert resources.machine_spec.machine_type == "n2-standard-2"  # size small: a CPU machine
    assert resources.machine_spec.accelerator_count == 0
    assert (resources.min_replica_count, resources.max_replica_count) == (1, 2)
    first_id = endpoint_of(zone)["deployedModels"][0]["id"]
    (update,) = zone.fake.calls("PATCH", r"/endpoints/\d+$")
    assert update.query["updateMask"] == ["trafficSplit"]
    assert parsed(types.Endpoint, update.body).traffic_split == {first_id: 100}
    assert zone.fake.calls("POST", r":undeployModel$") == []  # nothing served before

    # A second release replaces the first: new model with all traffic, then the old one undeployed.
    zone.push_serving_tag("git-2b3c4d5")
    second_uri = zone.upload_model_files("jobs/churn-gcp-dev-2/model")
    second = CliRunner().invoke(
        main,
        [
            "release",
            "--env",
            "dev",
            "--project-dir",
            str(zone.project_dir),
            "--image-tag",
            "git-2b3c4d5",
            "--model",
            second_uri,
            "--apply",
            "--yes",
        ],
        catch_exceptions=False,
    )
    assert second.exit_code == 0, second.output
    # Order: the new model deployed (no traffic), all traffic moved to it, then the old one undeployed.
    changes = [
        r for r in zone.fake.state.requests if r.method in {"POST", "PATCH"} and "/endpoints/" in r.path
    ]
    assert [r.path.rsplit(":", 1)[-1] if ":" in r.path else r.method for r in changes] == [
        "deployModel",
        "PATCH",
        "deployModel",
        "PATCH",
        "undeployModel",
    ]
    (undeploy,) = zone.fake.calls("POST", r":undeployModel$")
    undeploy_request = parsed(types.UndeployModelRequest, undeploy.body)
    assert undeploy_request.deployed_model_id == first_id
    endpoint = endpoint_of(zone)
    (serving,) = endpoint["deployedModels"]
    assert serving["id"] != first_id
    assert endpoint["trafficSplit"] == {serving["id"]: 100}

    written = json.loads((zone.project_dir / "infra/envs/dev/release.auto.tfvars.json").read_text())
    assert written == {"serving_release": {"image_tag": "git-2b3c4d5", "model_data_url": f"{second_uri}/"}}


def test_release_without_apply_writes_the_file_and_says_how_to_deploy(zone: LandingZone) -> None:
    zone.push_serving_tag(TAG)
    model_uri = zone.upload_model_files("m")
    result = release(zone, "--model", model_uri)
    assert result.exit_code == 0, result.output
    assert "--apply" in result.stdout and "make plan apply" not in result.stdout
    assert zone.fake.calls("POST", r"/models:upload$") == []


def test_apply_without_yes_is_refused_non_interactively(zone: LandingZone) -> None:
    zone.push_serving_tag(TAG)
    result = release(zone, "--model", zone.upload_model_files("m"), "--apply")
    assert result.exit_code == 3
    assert "without --yes" in result.output
    assert zone.fake.calls("POST", r"/models:upload$") == []


def test_missing_image_tag_and_bad_model_uri_are_clear_errors(zone: LandingZone) -> None:
    missing = release(zone, "--model", zone.upload_model_files("m"))
    assert missing.exit_code == 1 and f"no image serving:{TAG}" in missing.output
    zone.push_serving_tag(TAG)
    wrong = release(zone, "--model", "s3://bucket/model.tar.gz")
    assert wrong.exit_code == 1 and "gs:// folder" in wrong.output
    empty = release(zone, "--model", f"gs://{naming.bucket_name(zone.env(), 'artifacts')}/nothing-here")
    assert empty.exit_code == 1 and "holds no objects" in empty.output
    assert "Traceback" not in missing.output + wrong.output + empty.output


def test_a_large_endpoint_runs_on_one_l4(zone: LandingZone) -> None:
    spec = zone.project_dir / "mlgen.yaml"
    spec.write_text(spec.read_text().replace("size: small", "size: large"))
    zone.push_serving_tag(TAG)
    result = release(zone, "--model", zone.upload_model_files("m"), "--apply", "--yes")
    assert result.exit_code == 0, result.output
    (deploy,) = zone.fake.calls("POST", r":deployModel$")
    machine = parsed(types.DeployModelRequest, deploy.body).deployed_model.dedicated_resources.machine_spec
    assert (machine.machine_type, machine.accelerator_type, machine.accelerator_count) == (
        "g2-standard-8",
        types.AcceleratorType.NVIDIA_L4,
        1,
    )


def test_an_mlflow_run_model_is_uploaded_by_content_and_released(
    zone: LandingZone, tmp_path, monkeypatch
) -> None:
    """runs:/ resolved by a real MLflow (file store): the files land under releases/<content hash>/,
    and the same model released again lands in the same folder."""
    mlflow = __import__("pytest").importorskip("mlflow")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", (tmp_path / "mlruns").as_uri())
    # The file store is enough to resolve runs:/ (a SQLite store would spend a minute on migrations).
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "MLmodel").write_text("flavors: {python_function: {loader_module: x}}\n")
    (model_dir / "weights.bin").write_bytes(b"\x00\x01")
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(model_dir), artifact_path="model")
    zone.push_serving_tag(TAG)
    uri = f"runs:/{run.info.run_id}/model"
    first = release(zone, "--model", uri)
    assert first.exit_code == 0, first.output
    written = json.loads((zone.project_dir / "infra/envs/dev/release.auto.tfvars.json").read_text())
    folder = written["serving_release"]["model_data_url"]
    artifacts = naming.bucket_name(zone.env(), "artifacts")
    assert folder.startswith(f"gs://{artifacts}/releases/") and folder.endswith("/")
    from tests.ops.gcp.landing_zone import storage_client

    prefix = folder.removeprefix(f"gs://{artifacts}/")
    names = sorted(b.name for b in storage_client(zone.env().account_id).list_blobs(artifacts, prefix=prefix))
    assert names == [f"{prefix}MLmodel", f"{prefix}weights.bin"]
    again = release(zone, "--model", uri)
    assert "already holds this release" in again.stdout


CANARY = """\
serving:
  endpoints:
    - name: default
      size: small
      serverless: false
      variants:
        - {name: blue, weight: 90}
        - {name: green, weight: 10}
"""


def test_canary_variant_and_weights_become_deployed_models_and_a_split(zone: LandingZone) -> None:
    spec = zone.project_dir / "mlgen.yaml"
    text = spec.read_text()
    start, end = text.index("serving:"), text.index("environments:")
    spec.write_text(text[:start] + CANARY + text[end:])
    zone.push_serving_tag(TAG)
    zone.push_serving_tag("git-2b3c4d5")
    stable, canary = zone.upload_model_files("stable"), zone.upload_model_files("canary")

    def split_by_variant() -> dict[str, int]:
        endpoint = endpoint_of(zone)
        names = {d["id"]: d["displayName"].split("-")[-3] for d in endpoint["deployedModels"]}
        return {names[i]: w for i, w in endpoint["trafficSplit"].items()}

    whole = release(zone, "--model", stable, "--apply", "--yes")
    assert whole.exit_code == 0, whole.output
    assert split_by_variant() == {"blue": 90, "green": 10}  # the spec's weights, one model behind both
    assert len(zone.fake.calls("POST", r"/models:upload$")) == 1

    green = CliRunner().invoke(
        main,
        [
            "release",
            "--env",
            "dev",
            "--project-dir",
            str(zone.project_dir),
            "--image-tag",
            "git-2b3c4d5",
            "--model",
            canary,
            "--variant",
            "green",
            "--apply",
            "--yes",
        ],
        catch_exceptions=False,
    )
    assert green.exit_code == 0, green.output
    endpoint = endpoint_of(zone)
    models = {
        d["displayName"].split("-")[-3]: zone.fake.state.models[d["model"]]
        for d in endpoint["deployedModels"]
    }
    assert models["green"]["artifactUri"] == f"{canary}/" and models["blue"]["artifactUri"] == f"{stable}/"
    assert split_by_variant() == {"blue": 90, "green": 10}
    assert len(endpoint["deployedModels"]) == 2  # the old green was undeployed

    uploads, deploys = (
        len(zone.fake.calls("POST", r"/models:upload$")),
        len(zone.fake.calls("POST", r":deployModel$")),
    )
    shift = CliRunner().invoke(
        main,
        [
            "release",
            "--env",
            "dev",
            "--project-dir",
            str(zone.project_dir),
            "--weights",
            "blue=50,green=50",
            "--apply",
            "--yes",
        ],
        catch_exceptions=False,
    )
    assert shift.exit_code == 0, shift.output
    assert split_by_variant() == {"blue": 50, "green": 50}
    # A traffic shift uploads and deploys nothing: it only moves the split.
    assert len(zone.fake.calls("POST", r"/models:upload$")) == uploads
    assert len(zone.fake.calls("POST", r":deployModel$")) == deploys
