"""`mlgen release` to private GCP endpoints, through the real client and the fake, which holds Vertex AI's
rule for VPC-peering endpoints (one deployed model, no traffic split: a second deployModel is refused).

Private Service Connect endpoints (what modules/gcp/serving makes for `network.private_endpoints`) take the
usual deploy -> split -> undeploy release and canaries, and the release prints the service attachment and
the commands that connect the VPC to it. An endpoint still peered to a VPC (an older landing zone) gets the
one-model path: undeploy, then deploy, with the gap said out loud; canaries are refused there.
"""

from __future__ import annotations

from click.testing import CliRunner
from tests.ops.gcp.landing_zone import LandingZone
from tests.ops.gcp.test_gcp_release import CANARY, TAG, endpoint_of, release

from mlgen.cli import main
from mlgen.clouds.gcp import naming

SECOND = "git-2b3c4d5"


def make_private(zone: LandingZone, *, peered: bool) -> dict:
    """The endpoint as the landing zone leaves it: PSC (this project allowed) or peered to the VPC."""
    endpoint = endpoint_of(zone)
    env = zone.env()
    endpoint.pop("privateServiceConnectConfig", None)
    if peered:
        endpoint["network"] = f"projects/111111111111/global/networks/{naming.network_name(env)}"
    else:
        endpoint["privateServiceConnectConfig"] = {
            "enablePrivateServiceConnect": True,
            "projectAllowlist": [env.account_id],
        }
    return endpoint


def release_tag(zone: LandingZone, tag: str, model: str, *args: str) -> object:
    return CliRunner().invoke(
        main,
        ["release", "--env", "dev", "--project-dir", str(zone.project_dir), "--image-tag", tag]
        + ["--model", model, "--apply", "--yes", *args],
        catch_exceptions=False,
    )


def endpoint_changes(zone: LandingZone) -> list[str]:
    return [
        r.path.rsplit(":", 1)[-1] if ":" in r.path else r.method
        for r in zone.fake.state.requests
        if r.method in {"POST", "PATCH"} and "/endpoints/" in r.path
    ]


def test_the_fake_refuses_a_second_model_on_a_peered_endpoint(zone: LandingZone) -> None:
    """The rule the release must respect, straight from the fake: the old flow (deploy the new model next
    to the old one) fails on a peered endpoint, as it does on Vertex AI."""
    from google.api_core import exceptions
    from google.cloud.aiplatform_v1 import types

    from mlgen.clouds.gcp.ops.session import Clients

    endpoint = make_private(zone, peered=True)
    zone.push_serving_tag(TAG)
    first = release(zone, "--model", zone.upload_model_files("m1"), "--apply", "--yes")
    assert first.exit_code == 0, first.output
    model = endpoint["deployedModels"][0]["model"]
    client = Clients(zone.env().account_id, "us-central1").vertex("endpoint")
    second = types.DeployedModel(
        model=model, display_name="second", dedicated_resources={"min_replica_count": 1}
    )
    try:
        client.deploy_model(request={"endpoint": endpoint["name"], "deployed_model": second})
    except exceptions.BadRequest as error:
        assert "only one deployed model" in str(error)
    else:
        raise AssertionError("the fake let a peered endpoint take a second model")


def test_a_psc_endpoint_releases_without_a_gap_and_says_how_to_connect(zone: LandingZone) -> None:
    endpoint = make_private(zone, peered=False)
    # The fake landing zone makes dev's endpoint as modules/gcp/serving does for private_endpoints: true.
    assert zone.env().network.private_endpoints
    env = zone.env()
    zone.push_serving_tag(TAG)
    zone.push_serving_tag(SECOND)
    first = release_tag(zone, TAG, zone.upload_model_files("m1"))
    assert first.exit_code == 0, first.output
    first_id = endpoint["deployedModels"][0]["id"]
    second = release_tag(zone, SECOND, zone.upload_model_files("m2"))
    assert second.exit_code == 0, second.output
    # Same order as a public endpoint: new model beside the old one, traffic moved, old one undeployed.
    assert endpoint_changes(zone) == ["deployModel", "PATCH", "deployModel", "PATCH", "undeployModel"]
    (serving,) = endpoint["deployedModels"]
    assert serving["id"] != first_id and endpoint["trafficSplit"] == {serving["id"]: 100}

    attachment = endpoint["privateServiceConnectConfig"]["serviceAttachment"]
    rule = naming.psc_forwarding_rule(env, "default")
    output = " ".join(second.output.split())
    assert f"service attachment {attachment}" in output
    assert (
        f"gcloud compute addresses create {rule} --project {env.account_id} --region us-central1 "
        f"--subnet {naming.subnet_name(env)}"
    ) in output
    assert (
        f"gcloud compute forwarding-rules create {rule} --project {env.account_id} --region us-central1 "
        f"--network {naming.network_name(env)} --address {rule} --target-service-attachment {attachment}"
    ) in output
    assert f"/v1/{endpoint['name']}:predict" in output


def test_a_public_endpoint_prints_no_connection_steps(zone: LandingZone) -> None:
    endpoint_of(zone).pop("privateServiceConnectConfig", None)  # the landing zone of a public spec
    zone.push_serving_tag(TAG)
    result = release(zone, "--model", zone.upload_model_files("m1"), "--apply", "--yes")
    assert result.exit_code == 0, result.output
    assert "Private Service Connect" not in result.output and "forwarding-rules" not in result.output


def test_a_canary_splits_traffic_on_a_psc_endpoint(zone: LandingZone) -> None:
    spec = zone.project_dir / "mlgen.yaml"
    text = spec.read_text()
    spec.write_text(text[: text.index("serving:")] + CANARY + text[text.index("environments:") :])
    endpoint = make_private(zone, peered=False)
    zone.push_serving_tag(TAG)
    result = release(zone, "--model", zone.upload_model_files("stable"), "--apply", "--yes")
    assert result.exit_code == 0, result.output
    assert sorted(endpoint["trafficSplit"].values()) == [10, 90]
    assert len(endpoint["deployedModels"]) == 2


def test_a_peered_endpoint_is_replaced_undeploy_first_with_the_gap_stated(zone: LandingZone) -> None:
    endpoint = make_private(zone, peered=True)
    zone.push_serving_tag(TAG)
    zone.push_serving_tag(SECOND)
    first = release_tag(zone, TAG, zone.upload_model_files("m1"))
    assert first.exit_code == 0, first.output
    assert "undeploying" not in first.output  # nothing served before: no gap
    first_id = endpoint["deployedModels"][0]["id"]
    second = release_tag(zone, SECOND, zone.upload_model_files("m2"))
    assert second.exit_code == 0, second.output
    assert "answers no predictions until the new one is up" in second.output
    # Never two models at once: the old one goes, then the new one comes with all traffic.
    assert endpoint_changes(zone) == ["deployModel", "undeployModel", "deployModel"]
    (serving,) = endpoint["deployedModels"]
    assert serving["id"] != first_id and endpoint["trafficSplit"] == {serving["id"]: 100}
    again = release_tag(zone, SECOND, zone.upload_model_files("m2"))
    assert again.exit_code == 0, again.output
    assert endpoint_changes(zone)[-1] == "deployModel"  # the same release again changes nothing
    assert endpoint["deployedModels"] == [serving]


def test_a_canary_on_a_peered_endpoint_is_refused_before_any_deployment(zone: LandingZone) -> None:
    spec = zone.project_dir / "mlgen.yaml"
    text = spec.read_text()
    spec.write_text(text[: text.index("serving:")] + CANARY + text[text.index("environments:") :])
    make_private(zone, peered=True)
    zone.push_serving_tag(TAG)
    result = release(zone, "--model", zone.upload_model_files("stable"), "--apply", "--yes")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    message = " ".join(result.output.split())
    assert "is peered to the VPC" in message and "asks for 2 (blue, green)" in message
    assert "re-apply the landing zone" in message and "Private Service Connect" in message
    assert zone.fake.calls("POST", r":deployModel$") == []
