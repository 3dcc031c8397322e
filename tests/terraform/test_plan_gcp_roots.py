"""What the GCP landing zone plans, read from `terraform show -json` of the offline plan (the harness serves
the google and google-beta 6.50 schemas): the secure defaults the module READMEs and docs/gcp-landing-zone.md
promise, on the production example's prod root (GPU group, tracking, private endpoints, CI federation) and the
starter's dev root (no NAT, no tracking, no CI). test_plan_generated_roots.py plans every example root too;
this file asserts the content. Wall time: about 30 s on 2 shared cores (two plans with show).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.terraform_harness import Harness, PlanResult

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
ROOTS = {
    "production/prod": REPO_ROOT / "examples/gcp-production/infra/envs/prod",
    "starter/dev": REPO_ROOT / "examples/gcp-starter/infra/envs/dev",
}


@pytest.fixture(scope="module")
def plans(harness: Harness) -> dict[str, PlanResult]:
    results = {name: harness.plan(root, show=True) for name, root in ROOTS.items()}
    for name, result in results.items():
        assert result.stage == "plan" and not result.errors and not result.warnings, (
            f"{name}\n{result.summary()}"
        )
    return results


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


def resources(result: PlanResult, type_name: str) -> list[dict[str, Any]]:
    assert result.plan is not None
    return [r for r in _resources(result.plan["planned_values"]["root_module"]) if r["type"] == type_name]


def test_every_bucket_is_private_uniform_versioned_and_encrypted(plans):
    for name, result in plans.items():
        buckets = resources(result, "google_storage_bucket")
        assert buckets, name
        for bucket in buckets:
            values = bucket["values"]
            assert values["uniform_bucket_level_access"] is True, bucket["address"]
            assert values["public_access_prevention"] == "enforced", bucket["address"]
            assert values["versioning"] == [{"enabled": True}], bucket["address"]
            assert len(values["encryption"]) == 1, bucket["address"]  # the key id is known after apply
            if "log" not in bucket["address"]:
                assert values["logging"][0]["log_object_prefix"], bucket["address"]
        addresses = {b["address"].split("[")[0] for b in buckets}
        # prod's buckets are the prevent_destroy variants; dev's can be destroyed
        expected = "protected" if name.endswith("prod") else "this"
        assert f"module.storage.google_storage_bucket.{expected}" in addresses, addresses


def test_keys_rotate_every_90_days_and_agents_hold_only_their_key(plans):
    for name, result in plans.items():
        keys = resources(result, "google_kms_crypto_key")
        assert keys and all(k["values"]["rotation_period"] == "7776000s" for k in keys), name
        grants = resources(result, "google_kms_crypto_key_iam_member")
        assert {g["values"]["role"] for g in grants} == {"roles/cloudkms.cryptoKeyEncrypterDecrypter"}
        identities = {r["values"]["service"] for r in resources(result, "google_project_service_identity")}
        assert {"aiplatform.googleapis.com", "artifactregistry.googleapis.com"} <= identities, name


def test_network_denies_by_default_and_nat_follows_the_spec(plans):
    for name, result in plans.items():
        rules = {r["values"]["name"]: r["values"] for r in resources(result, "google_compute_firewall")}
        deny = [rule for rule in rules.values() if rule.get("deny")]
        assert {rule["direction"] for rule in deny} == {"INGRESS", "EGRESS"}, name
        assert all(rule["priority"] == 65534 for rule in deny)
        assert all(rule["log_config"] for rule in rules.values()), name
        (subnet,) = resources(result, "google_compute_subnetwork")
        assert subnet["values"]["private_ip_google_access"] is True and subnet["values"]["log_config"]
    assert len(resources(plans["production/prod"], "google_compute_router_nat")) == 1  # nat: per_az
    assert resources(plans["starter/dev"], "google_compute_router_nat") == []  # nat: none


def test_the_gpu_group_is_spot_shielded_private_and_scaled_to_zero(plans):
    (template,) = resources(plans["production/prod"], "google_compute_instance_template")
    values = template["values"]
    assert values["machine_type"] == "g2-standard-48" and not values.get("guest_accelerator")
    assert values["scheduling"][0]["provisioning_model"] == "SPOT"
    assert values["shielded_instance_config"] == [
        {"enable_secure_boot": True, "enable_vtpm": True, "enable_integrity_monitoring": True}
    ]
    assert all(not nic.get("access_config") for nic in values["network_interface"])  # no public IP
    assert values["disk"][0]["disk_encryption_key"]  # CMEK (the key id is known after apply)
    (group,) = resources(plans["production/prod"], "google_compute_region_instance_group_manager")
    assert group["values"]["target_size"] == 0
    assert resources(plans["starter/dev"], "google_compute_instance_template") == []  # platform: managed


def test_tracking_is_private_and_passwordless_only_where_the_spec_has_it(plans):
    prod = plans["production/prod"]
    (instance,) = resources(prod, "google_sql_database_instance")
    ip = instance["values"]["settings"][0]["ip_configuration"][0]
    assert ip["ipv4_enabled"] is False and ip["ssl_mode"] == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    assert instance["values"]["deletion_protection"] is True
    (user,) = resources(prod, "google_sql_user")
    assert user["values"]["type"] == "CLOUD_IAM_SERVICE_ACCOUNT" and not user["values"].get("password")
    (service,) = resources(prod, "google_cloud_run_v2_service")
    # Ingress ALL: Vertex AI jobs (Google's tenant project) and laptops are not "internal" to Cloud Run.
    # IAM is the gate, so the invoker grants below are the whole access control.
    assert service["values"]["ingress"] == "INGRESS_TRAFFIC_ALL"
    invokers = resources(prod, "google_cloud_run_v2_service_iam_member")
    # Two invokers (training, data scientist); their members are service accounts known after apply.
    assert sorted(i["index"] for i in invokers) == ["data_scientist", "training"]
    assert all(i["values"]["role"] == "roles/run.invoker" for i in invokers)
    assert not {i["values"].get("member") for i in invokers} & {"allUsers", "allAuthenticatedUsers"}
    for kind in ("google_sql_database_instance", "google_cloud_run_v2_service"):
        assert resources(plans["starter/dev"], kind) == [], kind  # tracking.mlflow: none


# Both example specs have network.private_endpoints: true; the project each root serves.
PROJECTS = {"production/prod": "fraud-detect-prod", "starter/dev": "churn-starter-dev"}


def test_endpoints_are_encrypted_private_service_connect_and_carry_no_model(plans):
    for name, result in plans.items():
        (endpoint,) = resources(result, "google_vertex_ai_endpoint")
        values = endpoint["values"]
        assert values["encryption_spec"], name  # the key id is known only after apply
        # Private Service Connect, this project allowed; never VPC peering (`network`), which serves one
        # model without a traffic split and so would break `mlgen release`.
        (psc,) = values["private_service_connect_config"]
        assert psc["enable_private_service_connect"] is True, name
        assert psc["project_allowlist"] == [PROJECTS[name]], name
        assert not values.get("network"), name
        assert not values.get("traffic_split"), name  # `mlgen release` deploys


def test_ci_federation_only_where_the_spec_has_ci(plans):
    (provider,) = resources(plans["production/prod"], "google_iam_workload_identity_pool_provider")
    condition = provider["values"]["attribute_condition"]
    assert condition.startswith("assertion.repository == 'example-org/fraud-detect' && (")
    assert "environment:prod'" in condition
    assert provider["values"]["oidc"][0]["issuer_uri"] == "https://token.actions.githubusercontent.com"
    members = {
        m["values"].get("member")  # None: a service account's member, known after apply
        for m in resources(plans["production/prod"], "google_service_account_iam_member")
    }
    assert any(m and m.endswith("/attribute.environment/prod") for m in members)
    assert any(m and m.endswith("/attribute.plan/allowed") for m in members)
    assert resources(plans["starter/dev"], "google_iam_workload_identity_pool_provider") == []


def test_no_primitive_role_is_granted(plans):
    for name, result in plans.items():
        roles = {
            r["values"]["role"]
            for kind in (
                "google_project_iam_member",
                "google_storage_bucket_iam_member",
                "google_artifact_registry_repository_iam_member",
                "google_service_account_iam_member",
            )
            for r in resources(result, kind)
        }
        assert roles and not roles & {"roles/owner", "roles/editor", "roles/viewer"}, name


def test_budget_notifies_on_actual_and_forecast_spend(plans):
    for name, result in plans.items():
        (budget,) = resources(result, "google_billing_budget")
        rules = budget["values"]["threshold_rules"]
        assert {rule["spend_basis"] for rule in rules} == {"CURRENT_SPEND", "FORECASTED_SPEND"}, name
        assert sorted(rule["threshold_percent"] for rule in rules) == [0.5, 0.5, 0.8, 0.8, 1, 1]
        assert resources(result, "google_pubsub_topic"), name


def test_monitoring_alerts_on_every_endpoint_and_keeps_logs_as_the_spec_says(plans):
    for name, result in plans.items():
        policies = resources(result, "google_monitoring_alert_policy")
        assert len(policies) == 2, name  # latency and error rate of the one endpoint
        (retention,) = [
            bucket
            for bucket in resources(result, "google_logging_project_bucket_config")
            if bucket["values"]["bucket_id"] == "_Default"
        ]
        assert retention["values"]["retention_days"] == (365 if name.endswith("prod") else 30)


def test_google_apis_resolve_to_the_one_range_the_firewall_lets_out(plans):
    for name, result in plans.items():
        zones = {z["values"]["dns_name"]: z["values"] for z in resources(result, "google_dns_managed_zone")}
        # run.app: the GPU VMs reach the Cloud Run MLflow server through Private Google Access.
        assert set(zones) == {"googleapis.com.", "pkg.dev.", "gcr.io.", "run.app."}, name
        assert all(zone["visibility"] == "private" for zone in zones.values())
        records = resources(result, "google_dns_record_set")
        a_records = [r["values"]["rrdatas"] for r in records if r["values"]["type"] == "A"]
        assert len(a_records) == len(zones)
        assert all(ips == [f"199.36.153.{n}" for n in range(8, 12)] for ips in a_records)
        names = {(r["values"]["type"], r["values"]["name"]) for r in records}
        assert {("A", "run.app."), ("CNAME", "*.run.app.")} <= names, name
        (allow,) = [
            r["values"]
            for r in resources(result, "google_compute_firewall")
            if r["values"]["name"].endswith("allow-google-apis")
        ]
        assert "199.36.153.8/30" in allow["destination_ranges"]


def test_usage_logs_may_be_written_into_the_log_bucket_only(plans):
    for name, result in plans.items():
        writers = [
            r["values"]
            for r in resources(result, "google_storage_bucket_iam_member")
            if r["values"].get("member") == "group:cloud-storage-analytics@google.com"
        ]
        assert [w["role"] for w in writers] == ["roles/storage.objectCreator"], name
        assert "access-logs" in writers[0]["bucket"]


def test_the_longest_names_the_spec_accepts_pass_every_module_validation(harness, tmp_path):
    """The spec's GCP name limits hold in Terraform: the env and bootstrap roots of a project with the longest
    project, zone and endpoint names (staging, the longest environment) plan with zero errors."""
    from click.testing import CliRunner

    from mlgen.cli import main
    from mlgen.clouds import capabilities

    limits = capabilities("gcp").name_limits
    project = "p" + "r" * (limits.project - 2) + "j"
    zone = "z" + "o" * (limits.zone - 2) + "n"
    endpoint = "e" + "n" * (limits.endpoint - 2) + "d"
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(
        f"project: {project}\ncloud: gcp\nregion: us-central1\nblueprint: production\nowner: a@example.com\n"
        "cost_center: cc-1\nenvironments:\n  staging: {account_id: a-very-long-project-id-0123456}\n"
        f"storage: {{zones: [artifacts, {zone}]}}\n"
        f"serving: {{endpoints: [{{name: {endpoint}}}]}}\n"
        "access: {ci: {repository: example-org/a-repository-with-a-long-name, branches: [main, 'release/*']}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["generate", "--spec", str(spec)])
    assert result.exit_code == 0, result.output
    for root in ("envs/staging", "bootstrap/staging"):
        planned = harness.plan(tmp_path / "infra" / root)
        assert planned.stage == "plan" and not planned.errors, planned.summary()


def test_flow_logs_have_their_own_encrypted_bucket_kept_as_the_spec_says(plans):
    for name, result in plans.items():
        buckets = {
            b["values"]["bucket_id"]: b["values"]
            for b in resources(result, "google_logging_project_bucket_config")
        }
        (flow,) = [bucket for bucket_id, bucket in buckets.items() if bucket_id.endswith("-flow-logs")]
        assert flow["retention_days"] == (365 if name.endswith("prod") else 30), name
        assert flow["cmek_settings"] and flow["location"] != "global"
        (sink,) = resources(result, "google_logging_project_sink")
        (exclusion,) = resources(result, "google_logging_project_exclusion")
        assert 'log_id("compute.googleapis.com/vpc_flows")' in sink["values"]["filter"]
        assert exclusion["values"]["filter"] == sink["values"]["filter"]
