"""Fixes from the security review of the generated AWS landing zone (issue 15, section 3).

Each test names the review item it proves and fails on the module as it was before the fix. The checks
read the real module files with python-hcl2, or evaluate a module's pure locals with a provider-free
`terraform apply` (no provider, offline). Wall time: about 10 s (a few provider-free terraform runs).
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest
from tests.modules.aws.module_checks import AWS_MODULES, parse_module, strip_interpolation, unwrap
from tests.modules.aws.test_workload_modules import ProviderFreeModule, needs_terraform


def resource(module: str, type_: str, name: str) -> dict[str, Any]:
    return parse_module(AWS_MODULES / module).resources[type_][name]


def as_list(value: Any) -> list[Any]:
    """python-hcl2 unwraps one-element lists to their item; give the list back."""
    value = unwrap(value)
    return value if isinstance(value, list) else [value]


def statements(module: str, document: str) -> dict[str, dict[str, Any]]:
    """The statements of one aws_iam_policy_document data block, static and dynamic, keyed by sid."""
    body = parse_module(AWS_MODULES / module).data["aws_iam_policy_document"][document]
    found: dict[str, dict[str, Any]] = {}
    for statement in body.get("statement", []):
        found[unwrap(statement.get("sid", ""))] = statement
    for dynamic in body.get("dynamic", []):
        for statement in unwrap(dynamic.get("statement", {})).get("content", []):
            found[unwrap(statement.get("sid", ""))] = statement
    return found


# ---------------------------------------------------------------- item 2: serverless exclusions


def test_serverless_models_do_not_ask_for_network_isolation() -> None:
    """Item 2: SageMaker Serverless Inference supports no network isolation, VPC or data capture."""
    model = resource("serving", "aws_sagemaker_model", "this")
    isolation = strip_interpolation(unwrap(model["enable_network_isolation"]))
    assert isolation == "!each.value.serverless", isolation
    vpc = next(d for d in model["dynamic"] if "vpc_config" in d)["vpc_config"]
    assert strip_interpolation(unwrap(vpc["for_each"])) == "each.value.serverless ? [] : [1]"
    config = resource("serving", "aws_sagemaker_endpoint_configuration", "this")
    capture = next(d for d in config["dynamic"] if "data_capture_config" in d)["data_capture_config"]
    assert strip_interpolation(unwrap(capture["for_each"])).startswith("!each.value.serverless &&")


# ---------------------------------------------------------------- item 8: ECR lifecycle


def _matches(tag: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(tag, pattern) for pattern in patterns)


def expired_by(policy: dict[str, Any], tag: str | None) -> list[int]:
    """Priorities of the rules that can expire an image with `tag` (None: untagged), as ECR selects."""
    hits = []
    for rule in policy["rules"]:
        selection = rule["selection"]
        status = selection["tagStatus"]
        if (
            status == "any"
            or (status == "untagged" and tag is None)
            or (status == "tagged" and tag is not None and _matches(tag, selection.get("tagPatternList", [])))
            or (
                status == "tagged"
                and tag is not None
                and any(tag.startswith(p) for p in selection.get("tagPrefixList", []))
            )
        ):
            hits.append(rule["rulePriority"])
    return hits


@needs_terraform
def test_ecr_lifecycle_never_expires_a_release_tag(tmp_path: Path) -> None:
    """Item 8: "keep the last 30, any tag" could expire the image a live endpoint still runs."""
    harness = 'output "lifecycle_policy" {\n  value = local.lifecycle_policy\n}\n'
    module = ProviderFreeModule("registry", tmp_path, with_locals=True, extra=harness)
    values = {
        "project": "churn",
        "environment": "prod",
        "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }
    policy = json.loads(module.outputs(values)["lifecycle_policy"])
    for release in ("v1", "2026.12.03", "churn-model-7", "bootstrap"):
        assert expired_by(policy, release) == [], f"release tag {release} can expire"
    assert expired_by(policy, None) == [1]
    assert expired_by(policy, "sha-0123abcd") == [2]
    only_untagged = json.loads(module.outputs({**values, "ephemeral_tag_patterns": []})["lifecycle_policy"])
    assert [rule["selection"]["tagStatus"] for rule in only_untagged["rules"]] == ["untagged"]


# ---------------------------------------------------------------- item 4: CI plan and apply roles

IAM_VALUES = {
    "project": "fraud-detect",
    "environment": "prod",
    "kms_key_arn": "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "bucket_arns": {
        zone: f"arn:aws:s3:::fraud-detect-prod-{zone}"
        for zone in ("artifacts", "features", "processed", "raw")
    },
}
IAM_LOCALS = """
output "plan" {
  value = local.ci_plan_subjects
}
output "apply" {
  value = local.ci_apply_subjects
}
output "require_mfa" {
  value = local.data_scientist_require_mfa
}
output "session_hours" {
  value = local.data_scientist_session_hours
}
"""


@pytest.fixture(scope="module")
def iam_locals(tmp_path_factory: pytest.TempPathFactory) -> ProviderFreeModule:
    return ProviderFreeModule("iam", tmp_path_factory.mktemp("iam"), with_locals=True, extra=IAM_LOCALS)


@needs_terraform
def test_pull_requests_reach_only_the_plan_role(iam_locals: ProviderFreeModule) -> None:
    """Item 4: pull requests never hold write credentials; applies need the approved environment."""
    ci = {"repository": "example-org/fraud-detect", "branches": ["main"], "environments": ["prod"]}
    out = iam_locals.outputs({**IAM_VALUES, "ci": ci})
    assert out["plan"] == [
        "repo:example-org/fraud-detect:ref:refs/heads/main",
        "repo:example-org/fraud-detect:pull_request",
    ]
    assert out["apply"] == ["repo:example-org/fraud-detect:environment:prod"]
    assert not any("pull_request" in subject for subject in out["apply"])


@needs_terraform
def test_apply_branches_must_be_exact(iam_locals: ProviderFreeModule) -> None:
    ci = {"repository": "example-org/fraud-detect", "apply_branches": ["release/*"]}
    result = iam_locals.plan({**IAM_VALUES, "ci": ci})
    assert result.returncode != 0 and "no globs" in " ".join(result.stderr.split())


# Resource-type prefix -> IAM namespace; every service the modules manage must be readable by the plan.
SERVICES = {
    "aws_appautoscaling": "application-autoscaling",
    "aws_autoscaling": "autoscaling",
    "aws_budgets": "budgets",
    "aws_cloudwatch_dashboard": "cloudwatch",
    "aws_cloudwatch_log": "logs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_ecr": "ecr",
    "aws_eip": "ec2",
    "aws_flow_log": "ec2",
    "aws_iam": "iam",
    "aws_internet_gateway": "ec2",
    "aws_kms": "kms",
    "aws_launch_template": "ec2",
    "aws_nat_gateway": "ec2",
    "aws_default_security_group": "ec2",
    "aws_route": "ec2",
    "aws_s3": "s3",
    "aws_sagemaker": "sagemaker",
    "aws_security_group": "ec2",
    "aws_sns": "sns",
    "aws_ssm": "ssm",
    "aws_subnet": "ec2",
    "aws_vpc": "ec2",
    "aws_availability_zones": "ec2",
}
WRITE_VERBS = (
    "Create",
    "Put",
    "Delete",
    "Update",
    "Attach",
    "Detach",
    "Tag",
    "Untag",
    "Modify",
    "Start",
    "Stop",
    "Pass",
    "Encrypt",
)


def _namespace(type_: str) -> str | None:
    matches = [prefix for prefix in SERVICES if type_.startswith(prefix)]
    return SERVICES[max(matches, key=len)] if matches else None


def _actions(document: dict[str, dict[str, Any]]) -> list[str]:
    return [action for statement in document.values() for action in as_list(statement["actions"])]


def test_plan_role_can_read_every_service_the_modules_manage() -> None:
    """Item 4: the old CI role had no Describe/Get/List at all, so it could not even plan."""
    read = _actions(statements("iam", "ci_read"))
    assert "kms:ListAliases" in read  # data.aws_kms_alias.state in every environment root
    used: dict[str, str] = {}
    for module in sorted(p.name for p in AWS_MODULES.iterdir() if p.is_dir()):
        parsed = parse_module(AWS_MODULES / module)
        for type_ in [*parsed.resources, *parsed.data]:
            namespace = _namespace(type_)
            if namespace is None and type_ not in {
                "aws_iam_policy_document",
                "aws_caller_identity",
                "aws_region",
                "aws_partition",
            }:
                pytest.fail(f"{module}: {type_} has no entry in SERVICES (which IAM namespace reads it?)")
            if namespace:
                used.setdefault(namespace, f"{module}/{type_}")
    readable = {action.split(":")[0] for action in read}
    assert set(used) - readable == set(), {n: used[n] for n in set(used) - readable}


def test_plan_role_writes_nothing_but_lock_files() -> None:
    plan = {**statements("iam", "ci_read"), **statements("iam", "ci_plan")}
    for sid, statement in plan.items():
        writes = [
            a
            for a in as_list(statement["actions"])
            if any(a.split(":")[1].startswith(v) for v in WRITE_VERBS)
        ]
        if writes:
            assert sid == "WriteLockFiles", (sid, writes)
            assert [strip_interpolation(r) for r in as_list(statement["resources"])] == [
                "local.state_lock_files"
            ]
    locals_text = (AWS_MODULES / "iam" / "ci_policies.tf").read_text()
    assert (
        'state_lock_files = var.state_bucket_arn == null ? null : "${var.state_bucket_arn}/${var.state_key_prefix}*.tflock"'
        in locals_text
    )
    assert "s3:GetObject" not in _actions(statements("iam", "ci_read"))  # no data reads, only state


# ---------------------------------------------------------------- item 9: data scientists


def test_training_jobs_are_created_only_inside_the_landing_zone() -> None:
    """Item 9: CreateTrainingJob had no conditions (any VPC or none, no CMK, any instance type)."""
    found = statements("iam", "data_scientist")
    create = found["CreateTrainingJobsInTheLandingZone"]
    assert unwrap(create["actions"]) == "sagemaker:CreateTrainingJob"
    conditions = {(unwrap(c["test"]), unwrap(c["variable"])) for c in create["condition"]}
    assert conditions == {
        ("Null", "sagemaker:VpcSubnets"),
        ("ForAllValues:StringEquals", "sagemaker:VpcSubnets"),
        ("Null", "sagemaker:VpcSecurityGroupIds"),
        ("ForAllValues:StringEquals", "sagemaker:VpcSecurityGroupIds"),
        ("StringEquals", "sagemaker:VolumeKmsKey"),
        ("StringEquals", "sagemaker:OutputKmsKey"),
        ("ForAllValues:StringEquals", "sagemaker:InstanceTypes"),
    }
    unconditioned = [
        s
        for sid, s in found.items()
        if "sagemaker:CreateTrainingJob" in str(s["actions"]) and sid != "CreateTrainingJobsInTheLandingZone"
    ]
    assert unconditioned == []
    assert unwrap(found["ReadTrainingJobDefaults"]["actions"]) == "ssm:GetParameter"


@needs_terraform
@pytest.mark.parametrize(
    ("principals", "mfa", "hours"),
    [
        (["arn:aws:iam::444444444444:user/alice"], True, 4),
        (["arn:aws:iam::444444444444:root"], True, 4),
        (["arn:aws:iam::444444444444:role/data-scientists"], False, 1),
        (["arn:aws:iam::444444444444:user/alice", "arn:aws:iam::444444444444:role/sso"], False, 1),
    ],
)
def test_mfa_and_session_follow_how_the_role_is_assumed(
    iam_locals: ProviderFreeModule, principals: list[str], mfa: bool, hours: int
) -> None:
    """Item 9: a role principal chains (no MFA context, sessions capped at 1 h)."""
    out = iam_locals.outputs({**IAM_VALUES, "data_scientist_principals": principals})
    assert (out["require_mfa"], out["session_hours"]) == (mfa, hours)


@needs_terraform
def test_mfa_cannot_be_forced_on_a_role_principal(iam_locals: ProviderFreeModule) -> None:
    values = {
        **IAM_VALUES,
        "data_scientist_principals": ["arn:aws:iam::444444444444:role/ds"],
        "data_scientist_require_mfa": True,
    }
    result = iam_locals.plan(values)
    assert result.returncode != 0 and "locks out role principals" in " ".join(result.stderr.split())


# ---------------------------------------------------------------- item 13: Auto Scaling and the CMK


def test_autoscaling_service_role_may_use_the_key_for_fleet_volumes() -> None:
    """Item 13: without it the GPU fleet's Auto Scaling group cannot launch CMK-encrypted volumes."""
    key = statements("kms", "key")
    use, grants = key["AutoScalingServiceRoleUse"], key["AutoScalingServiceRoleGrants"]
    assert {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom"} <= set(
        as_list(use["actions"])
    )
    assert as_list(grants["actions"]) == ["kms:CreateGrant"]
    for statement in (use, grants):
        principal_arn = [
            c for c in as_list(statement["condition"]) if unwrap(c["variable"]) == "aws:PrincipalArn"
        ]
        assert principal_arn and unwrap(principal_arn[0]["test"]) == "StringEquals"
    policy_text = (AWS_MODULES / "kms" / "policy.tf").read_text()
    assert ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" in policy_text
    grant_conditions = {unwrap(c["variable"]): as_list(c["values"]) for c in as_list(grants["condition"])}
    assert grant_conditions["kms:GrantIsForAWSResource"] == ["true"]


# ---------------------------------------------------------------- item 11: S3 endpoint and egress


def test_s3_gateway_endpoint_reaches_only_this_accounts_buckets() -> None:
    """Item 11: the gateway endpoint had no policy (any bucket in any account, e.g. to exfiltrate data)."""
    endpoint = resource("network", "aws_vpc_endpoint", "s3")
    assert strip_interpolation(unwrap(endpoint["policy"])) == "data.aws_iam_policy_document.s3_endpoint.json"
    policy = statements("network", "s3_endpoint")
    own = as_list(policy["BucketsOfThisAccount"]["condition"])
    assert [(unwrap(c["test"]), unwrap(c["variable"])) for c in own] == [
        ("StringEquals", "aws:ResourceAccount")
    ]
    assert as_list(policy["AwsOwnedReadOnlyBuckets"]["actions"]) == ["s3:GetObject"]
    assert "starport-layer-bucket" in str(policy["AwsOwnedReadOnlyBuckets"]["resources"])


def test_workload_egress_goes_to_endpoints_and_to_the_internet_only_with_nat() -> None:
    """Item 11: the roots use the network module's workload group; its egress is endpoints-only without NAT."""
    rules = parse_module(AWS_MODULES / "network").resources["aws_vpc_security_group_egress_rule"]
    workload = {name: body for name, body in rules.items() if "workloads" in str(body["security_group_id"])}
    for name, body in workload.items():
        if unwrap(body.get("cidr_ipv4")) == "0.0.0.0/0":
            assert strip_interpolation(unwrap(body["count"])) == "local.nat_enabled ? 1 : 0", name
        else:
            targets = {key for key in ("referenced_security_group_id", "prefix_list_id") if key in body}
            assert targets, f"{name} sends traffic to a CIDR ({unwrap(body.get('cidr_ipv4'))})"
    https = workload["workloads_endpoints_https"]
    assert (
        strip_interpolation(unwrap(https["referenced_security_group_id"]))
        == "aws_security_group.endpoints.id"
    )


# ---------------------------------------------------------------- item 7: endpoint updates and autoscaling


@needs_terraform
def test_endpoint_updates_start_variants_at_max_capacity(tmp_path: Path) -> None:
    """Item 7: every update resets a variant to initial_instance_count (no RetainAllVariantProperties in
    the provider), which was min_capacity: an update under load dropped the fleet to its minimum."""
    harness = 'output "variants" {\n  value = local.variants\n}\n'
    module = ProviderFreeModule("serving", tmp_path, with_locals=True, extra=harness)
    values = json.loads((Path(__file__).parent / "workload_tfvars" / "serving.tfvars.json").read_text())
    blue = module.outputs(values)["variants"]["default/blue"]
    assert blue["initial_instance_count"] == blue["max_capacity"] == 4
    cheap = module.outputs({**values, "update_instance_count": "min"})["variants"]["default/blue"]
    assert cheap["initial_instance_count"] == cheap["min_capacity"] == 1
    main = (AWS_MODULES / "serving" / "main.tf").read_text()
    assert (
        "initial_instance_count = each.value.serverless ? null : production_variants.value.initial_instance_count"
        in main
    )
    schema = (AWS_MODULES.parents[1] / "generator/mlgen/conformance/schemas/aws.json.gz").read_bytes()
    import gzip

    endpoint = json.loads(gzip.decompress(schema))["resources"]["aws_sagemaker_endpoint"]
    assert "retain_all_variant_properties" not in endpoint["attributes"]  # why the mitigation is needed


# ---------------------------------------------------------------- issue 8 §3: one encrypted alert topic


@pytest.mark.parametrize(
    ("module", "publisher"),
    [("budgets", "budgets.amazonaws.com"), ("monitoring", "cloudwatch.amazonaws.com")],
)
def test_budgets_and_monitoring_share_one_alert_topic_module(module: str, publisher: str) -> None:
    parsed = parse_module(AWS_MODULES / module)
    assert not any(type_.startswith("aws_sns_topic") for type_ in parsed.resources), "topic written again"
    text = (AWS_MODULES / module / "sns.tf").read_text()
    assert 'source = "../alert_topic"' in text and f'publisher_service = "{publisher}"' in " ".join(
        text.split()
    ).replace("publisher_service =", "publisher_service =")
    assert "moved {" in text  # deployed topics keep their address history
    topic = parse_module(AWS_MODULES / "alert_topic")
    assert (
        strip_interpolation(unwrap(topic.resources["aws_sns_topic"]["this"]["kms_master_key_id"]))
        == "var.kms_key_arn"
    )
    assert "DenyInsecureTransport" in statements("alert_topic", "topic")
