"""The ML policies on GCP and Azure Terraform: each fails its failing fixture on exactly the expected
resources and passes its passing one (fixtures/<cloud>/mlgNNN/{fail,pass}).

Run through the same checkov integration `mlgen check` uses (scan_with_checkov); the last tests run the
real `mlgen check` command over each cloud's whole fixture tree.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.policy.projects import FIXTURES

from mlgen.cli import main
from mlgen.policy.report import FAILED, PASSED, Finding

EXPECTED_FAILURES: dict[str, dict[str, set[tuple[str, str]]]] = {
    "gcp": {
        "MLG001": {("environments/dev/main.tf", "google.default")},
        "MLG002": {
            ("modules/training/main.tf", "module.training.google_compute_region_instance_template.gpu"),
            ("modules/training/main.tf", "module.training.google_compute_instance_template.t4"),
            ("modules/training/main.tf", "module.training.google_storage_bucket_object.job_defaults"),
        },
        "MLG003": {
            ("main.tf", "google_vertex_ai_deployment_resource_pool.gpu"),
            ("main.tf", "google_cloud_run_v2_service.api"),
            ("main.tf", "serving"),
        },
        "MLG004": {
            ("environments/dev/main.tf", "google.default"),
            ("environments/staging/main.tf", "google.default"),
        },
        "MLG005": {
            ("main.tf", "google_storage_bucket.raw"),
            ("main.tf", "google_storage_bucket.access_logs"),
            ("main.tf", "google_artifact_registry_repository.serving"),
            ("main.tf", "google_sql_database_instance.mlflow"),
        },
        "MLG006": {
            ("environments/prod/main.tf", "storage"),
            ("environments/prod/main.tf", "google_kms_crypto_key.state"),
            ("environments/prod/main.tf", "google_sql_database_instance.mlflow"),
        },
        "MLG007": {
            ("main.tf", "google_project_iam_member.ci"),
            ("main.tf", "google_storage_bucket_iam_member.data_scientists"),
            ("main.tf", "google_iam_policy.keys"),
        },
        "MLG008": {
            ("images/serving/Dockerfile", "images/serving/Dockerfile.FROM"),
            ("main.tf", "google_cloud_run_v2_service.api"),
            ("main.tf", "serving"),
        },
    },
    "azure": {
        "MLG001": {
            ("environments/dev/main.tf", "azurerm_resource_group.ml"),
            ("environments/dev/main.tf", "azurerm_storage_account.data"),
        },
        "MLG002": {
            ("modules/training/main.tf", "module.training.azurerm_machine_learning_compute_cluster.gpu"),
        },
        "MLG003": {("main.tf", "azurerm_monitor_autoscale_setting.fraud"), ("main.tf", "serving")},
        "MLG004": {
            ("environments/dev/main.tf", "azurerm.default"),
            ("environments/staging/main.tf", "azurerm.default"),
        },
        "MLG005": {
            ("main.tf", "azurerm_storage_account.raw"),
            ("main.tf", "azurerm_storage_account.features"),
            ("main.tf", "azurerm_container_registry.serving"),
        },
        "MLG006": {
            ("environments/prod/main.tf", "storage"),
            ("environments/prod/main.tf", "azurerm_key_vault.state"),
        },
        "MLG007": {
            ("main.tf", "azurerm_role_definition.data_scientist"),
            ("main.tf", "azurerm_role_definition.anything"),
            ("main.tf", "azurerm_role_assignment.ci"),
            ("main.tf", "azurerm_role_assignment.keys"),
        },
        "MLG008": {
            ("images/serving/Dockerfile", "images/serving/Dockerfile.FROM"),
            ("main.tf", "azurerm_container_app.api"),
            ("main.tf", "serving"),
        },
    },
}
CASES = [
    (cloud, policy_id) for cloud, policies in EXPECTED_FAILURES.items() for policy_id in sorted(policies)
]


@cache
def scan(path: Path) -> tuple[Finding, ...]:
    from mlgen.policy.checkov_scan import scan_with_checkov

    return tuple(scan_with_checkov(path, ("terraform", "dockerfile")))


def findings(cloud: str, policy_id: str, variant: str) -> list[Finding]:
    return [f for f in scan(FIXTURES / cloud / policy_id.lower() / variant) if f.check_id == policy_id]


def results_for(cloud: str, policy_id: str, variant: str, status: str) -> set[tuple[str, str]]:
    return {(f.file, f.resource) for f in findings(cloud, policy_id, variant) if f.status == status}


@pytest.mark.parametrize(("cloud", "policy_id"), CASES)
def test_policy_fails_exactly_the_planted_resources(cloud: str, policy_id: str) -> None:
    assert results_for(cloud, policy_id, "fail", FAILED) == EXPECTED_FAILURES[cloud][policy_id]


@pytest.mark.parametrize(("cloud", "policy_id"), CASES)
def test_policy_passes_compliant_resources(cloud: str, policy_id: str) -> None:
    assert results_for(cloud, policy_id, "pass", FAILED) == set()
    # the check really ran on the same kinds of resources
    passed = {resource for _, resource in results_for(cloud, policy_id, "pass", PASSED)}
    failed = {resource for _, resource in EXPECTED_FAILURES[cloud][policy_id]}
    assert passed & failed, passed


@pytest.mark.parametrize(
    ("cloud", "resource"),
    [
        ("gcp", "module.training.google_compute_region_instance_template.gpu"),
        ("azure", "module.training.azurerm_machine_learning_compute_cluster.gpu"),
    ],
)
def test_gpu_policy_allows_on_demand_in_prod_but_not_in_dev(cloud: str, resource: str) -> None:
    # the same module is called by dev (fails) and prod (passes): the environment comes from the root
    # (GCP: the provider's default_labels; Azure, without provider defaults: the resource's tags)
    statuses = {(f.resource, f.status) for f in findings(cloud, "MLG002", "fail")}
    assert {(resource, PASSED), (resource, FAILED)} <= statuses
    assert not any("cpu" in name for name, _ in statuses)


def test_gcp_gpu_capacity_is_told_by_machine_family_or_attached_accelerator() -> None:
    failed = {f.resource.rsplit(".", 1)[-1] for f in findings("gcp", "MLG002", "fail") if f.status == FAILED}
    # a2-highgpu-1g by its family, n1-standard-8 by its guest_accelerator, the job defaults by their GPUs
    assert failed == {"gpu", "t4", "job_defaults"}


def test_gcp_vertex_jobs_are_judged_by_the_job_defaults_document_only() -> None:
    # custom jobs have no Terraform instance: the document `mlgen train submit` reads says spot or not;
    # any other bucket object is not capacity
    resources = {f.resource for f in findings("gcp", "MLG002", "pass")}
    assert "module.training.google_storage_bucket_object.job_defaults" in resources
    assert "module.training.google_storage_bucket_object.readme" not in resources


def test_gcp_budget_without_default_recipients_needs_a_channel() -> None:
    messages = {f.file: f.message for f in findings("gcp", "MLG004", "fail")}
    assert "no notification with a recipient" in messages["environments/staging/main.tf"]
    assert "no budget resource" in messages["environments/dev/main.tf"]


def test_only_aws_exempts_access_log_buckets_from_customer_keys() -> None:
    # S3 access logging cannot write to a CMK bucket; GCS usage logs can, so a GCS log bucket is judged
    assert ("main.tf", "google_storage_bucket.access_logs") in results_for("gcp", "MLG005", "fail", FAILED)


@pytest.mark.parametrize(
    ("cloud", "policy_id", "words", "not_words"),
    [
        ("gcp", "MLG005", "customer-managed Cloud KMS key", "S3"),
        ("azure", "MLG005", "customer-managed Key Vault key", "KMS"),
        ("gcp", "MLG007", "wildcard roles: roles/", "s3:"),
        ("azure", "MLG003", "maximum = 1000", "max_capacity"),
    ],
)
def test_failure_messages_use_the_clouds_own_words(
    cloud: str, policy_id: str, words: str, not_words: str
) -> None:
    messages = [f.message for f in findings(cloud, policy_id, "fail") if f.status == FAILED]
    assert any(words in message for message in messages), messages
    assert not any(not_words in message for message in messages), messages


def test_wildcards_in_not_actions_take_rights_away_and_pass() -> None:
    statuses = {(f.resource, f.status) for f in findings("azure", "MLG007", "pass")}
    assert ("azurerm_role_definition.data_scientist", PASSED) in statuses


def test_a_role_assigned_by_id_is_judged_at_its_definition_not_at_the_assignment() -> None:
    assert not [
        f
        for f in findings("azure", "MLG007", "pass")
        if f.resource == "azurerm_role_assignment.data_scientists"
    ]


# --- the real command over each cloud's fixture tree --------------------------------------------------


@pytest.mark.parametrize("cloud", sorted(EXPECTED_FAILURES))
def test_mlgen_check_reports_exactly_the_planted_ml_policy_failures(cloud: str) -> None:
    result = CliRunner().invoke(main, ["check", str(FIXTURES / cloud), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    # Each fixture directory holds one policy's cases; the other policies' results there are not its subject.
    reported = {
        (f["check_id"], f["file"], f["resource"])
        for f in report["failures"]
        if f["check_id"].startswith("MLG") and f["file"].startswith(f"{f['check_id'].lower()}/")
    }
    expected = {
        # a Dockerfile's resource is its path, so it moves with the file
        (policy_id, f"{where}{file}", f"{where}{resource}" if resource.startswith(file) else resource)
        for policy_id, failures in EXPECTED_FAILURES[cloud].items()
        for file, resource in failures
        for where in [f"{policy_id.lower()}/fail/"]
    }
    assert reported == expected
    policies = report["summary"]["policies"]
    assert all(policies[policy_id].get("passed", 0) > 0 for policy_id in EXPECTED_FAILURES[cloud])
    # what the policies cannot see in this cloud's Terraform is said, for this cloud only
    assert {(n["policy_id"], n["cloud"]) for n in report["not_covered"]} == {
        (policy_id, cloud) for policy_id in NOT_COVERED[cloud]
    }


NOT_COVERED = {"gcp": {"MLG003"}, "azure": {"MLG001", "MLG003", "MLG008"}}


def _finding(resource: str, framework: str = "terraform") -> Finding:
    return Finding(
        framework=framework, check_id="CKV_X_1", status=PASSED, file="main.tf", line=1, resource=resource
    )


@pytest.mark.parametrize(
    ("resources", "clouds"),
    [
        (["aws_s3_bucket.raw", "aws.default"], set()),  # AWS has no gaps to state
        (["module.storage.google_storage_bucket.raw[0]"], {"gcp"}),
        (["google-beta.default"], {"gcp"}),
        (["azurerm.default", "aws_s3_bucket.raw"], {"azure"}),
    ],
)
def test_coverage_notes_follow_the_clouds_in_the_scanned_terraform(
    resources: list[str], clouds: set[str]
) -> None:
    from mlgen.policy.coverage import coverage_notes

    notes = coverage_notes(
        [_finding(resource) for resource in resources] + [_finding("google_x.y", "dockerfile")]
    )
    assert {note.cloud for note in notes} == clouds
    assert all(note.note for note in notes)


def test_the_text_report_says_what_is_not_covered() -> None:
    from mlgen.policy.coverage import coverage_notes
    from mlgen.policy.output import render_report
    from mlgen.policy.report import CheckReport

    findings = [_finding("google_storage_bucket.raw")]
    text = render_report(CheckReport("demo", findings=findings, notes=coverage_notes(findings)), "text")
    assert (
        "Not covered by the ML policies\n  MLG003 on gcp: google_vertex_ai_endpoint has no replica settings"
        in text
    )


AWS_WORDS = re.compile(
    r"\b(aws|s3|ecr|sagemaker|sse_algorithm|default_tags|launch template|asg)\b", re.IGNORECASE
)


@pytest.mark.parametrize(("cloud", "policy_id"), CASES)
def test_failures_on_a_clouds_resources_carry_that_clouds_fix_in_its_words(
    cloud: str, policy_id: str
) -> None:
    from mlgen.clouds import policy_facts
    from mlgen.policy.coverage import cloud_of_resource

    hint = policy_facts(cloud).fix_hints[policy_id]
    failures = [f for f in findings(cloud, policy_id, "fail") if f.status == FAILED]
    # module calls and Dockerfiles belong to no cloud: they keep the catalog's general fix
    on_resources = [f for f in failures if cloud_of_resource(f.resource) == cloud]
    assert on_resources and all(f.fix == hint for f in on_resources)
    assert not AWS_WORDS.search(hint), hint
    assert not [f.message for f in on_resources if AWS_WORDS.search(f.message)]


def test_sarif_carries_the_coverage_notes_as_valid_notifications() -> None:
    import jsonschema
    from tests.policy.projects import SARIF_SCHEMA

    from mlgen.policy.coverage import coverage_notes
    from mlgen.policy.output import render_report
    from mlgen.policy.report import CheckReport

    findings = [_finding("azurerm.default")]
    document = json.loads(
        render_report(CheckReport("demo", findings=findings, notes=coverage_notes(findings)), "sarif")
    )
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(document))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    notifications = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {n["descriptor"]["id"] for n in notifications} == NOT_COVERED["azure"]
