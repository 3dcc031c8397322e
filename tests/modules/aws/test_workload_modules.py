"""Checks for the AWS modules gpu_compute, tracking, serving, budgets and monitoring.

Every check runs a real tool on the real module files: `terraform fmt`, python-hcl2, checkov, and a
provider-free `terraform plan/apply` over each module's variables (validations) and pure locals (logic),
which works offline because no provider is needed for variables, locals and outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
MODULES_ROOT = REPO_ROOT / "modules" / "aws"
FIXTURES = Path(__file__).resolve().parent / "workload_tfvars"
DOC = REPO_ROOT / "docs" / "aws-modules-workloads.md"
MODULES = ["gpu_compute", "tracking", "serving", "budgets", "monitoring"]
TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not on PATH")

# Resource types in these modules that take no `tags` argument (checked against provider 6.x docs).
UNTAGGABLE = {
    "aws_iam_role_policy",
    "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
    "aws_appautoscaling_policy",
    "aws_cloudwatch_dashboard",
    "aws_autoscaling_group",  # tags via `tag` blocks, checked separately
}
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=(CKV2?_AWS_\d+)(?::(.*))?")


# ---------------------------------------------------------------- helpers


def module_dir(name: str) -> Path:
    return MODULES_ROOT / name


def load_hcl(path: Path) -> dict[str, Any]:
    import hcl2

    with path.open() as handle:
        return hcl2.load(handle)


def unquote(value: Any) -> Any:
    return value.strip('"') if isinstance(value, str) else value


def first(value: Any) -> Any:
    """python-hcl2 wraps some attribute values in single-element lists."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def blocks(module: str, kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, name, body) for every `resource` or `data` block of a module."""
    found = []
    for tf in sorted(module_dir(module).glob("*.tf")):
        for block in load_hcl(tf).get(kind, []):
            for rtype, named in block.items():
                for name, body in named.items():
                    found.append((unquote(rtype), unquote(name), body))
    return found


def declared(module: str, kind: str) -> dict[str, dict[str, Any]]:
    """Variables or outputs of a module keyed by name."""
    path = module_dir(module) / ("variables.tf" if kind == "variable" else "outputs.tf")
    return {unquote(n): b for item in load_hcl(path).get(kind, []) for n, b in item.items()}


def run_terraform(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TERRAFORM, *args, "-no-color"] if args[0] != "output" else [TERRAFORM, *args],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"},
    )


def fixture_vars(module: str, **overrides: Any) -> dict[str, Any]:
    values = json.loads((FIXTURES / f"{module}.tfvars.json").read_text())
    values.update(overrides)
    return values


class ProviderFreeModule:
    """A copy of a module's variables.tf (plus optionally its pure locals.tf) with no provider.

    `terraform plan` on it evaluates every variable validation; `terraform apply` evaluates the locals and
    exposes them through outputs, all offline.
    """

    def __init__(self, module: str, workdir: Path, with_locals: bool = False, extra: str = "") -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        shutil.copy(module_dir(module) / "variables.tf", workdir / "variables.tf")
        if with_locals:
            shutil.copy(module_dir(module) / "locals.tf", workdir / "locals.tf")
        (workdir / "harness.tf").write_text(extra)
        init = run_terraform(["init", "-input=false", "-backend=false"], workdir)
        assert init.returncode == 0, init.stderr

    def plan(self, values: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        var_file = self.workdir / "case.tfvars.json"
        var_file.write_text(json.dumps(values))
        return run_terraform(
            ["plan", "-input=false", "-refresh=false", f"-var-file={var_file.name}"], self.workdir
        )

    def outputs(self, values: dict[str, Any]) -> dict[str, Any]:
        var_file = self.workdir / "case.tfvars.json"
        var_file.write_text(json.dumps(values))
        applied = run_terraform(
            ["apply", "-auto-approve", "-input=false", f"-var-file={var_file.name}"], self.workdir
        )
        assert applied.returncode == 0, applied.stderr
        shown = run_terraform(["output", "-json"], self.workdir)
        assert shown.returncode == 0, shown.stderr
        return {k: v["value"] for k, v in json.loads(shown.stdout).items()}


def assert_rejected(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, "terraform accepted values the module should reject"
    flat = " ".join(result.stderr.split())
    assert message in flat, flat


# ---------------------------------------------------------------- structure and documentation


@pytest.mark.parametrize("module", MODULES)
def test_module_has_standard_structure(module: str) -> None:
    for name in ("versions.tf", "variables.tf", "main.tf", "outputs.tf", "README.md"):
        assert (module_dir(module) / name).is_file(), f"{module}/{name} missing"


@pytest.mark.parametrize("module", MODULES)
def test_versions_bound_terraform_and_aws_provider(module: str) -> None:
    terraform_block = first(load_hcl(module_dir(module) / "versions.tf")["terraform"])
    assert first(terraform_block["required_version"]) == ">= 1.10"
    aws = first(first(first(terraform_block["required_providers"])["aws"]))
    assert aws["source"] == "hashicorp/aws"
    assert aws["version"] == ">= 6.69, < 7.0"


@pytest.mark.parametrize("module", MODULES)
def test_every_variable_has_type_and_description(module: str) -> None:
    variables = declared(module, "variable")
    assert variables
    for name, body in variables.items():
        assert first(body.get("description")), f"variable {name} lacks a description"
        assert "type" in body, f"variable {name} lacks a type"


@pytest.mark.parametrize("module", MODULES)
def test_every_output_has_description(module: str) -> None:
    outputs = declared(module, "output")
    assert outputs
    for name, body in outputs.items():
        assert first(body.get("description")), f"output {name} lacks a description"


@pytest.mark.parametrize("module", MODULES)
def test_common_inputs_are_accepted(module: str) -> None:
    variables = declared(module, "variable")
    for name in ("project", "environment", "tags", "kms_key_arn"):
        assert name in variables, f"{module} does not take {name}"
    assert "map(string)" in first(variables["tags"]["type"])


@pytest.mark.parametrize("module", MODULES)
def test_readme_documents_every_input_and_output(module: str) -> None:
    readme = (module_dir(module) / "README.md").read_text()
    assert "```hcl" in readme, "README needs a minimal example"
    for kind in ("variable", "output"):
        for name in declared(module, kind):
            assert f"| `{name}` |" in readme, f"{module} README does not list {kind} {name}"


# ---------------------------------------------------------------- formatting, parsing, policy


@needs_terraform
@pytest.mark.parametrize("module", MODULES)
def test_terraform_fmt_is_clean(module: str) -> None:
    result = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", "-diff", str(module_dir(module))],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("module", MODULES)
def test_taggable_resources_merge_module_tags(module: str) -> None:
    for rtype, name, body in blocks(module, "resource"):
        if rtype in UNTAGGABLE:
            continue
        assert "tags" in body, f"{rtype}.{name} has no tags"
        assert "local.tags" in str(body["tags"]), f"{rtype}.{name} does not use the merged local.tags"
    tags_locals = "".join(p.read_text() for p in module_dir(module).glob("*.tf"))
    assert re.search(r"tags\s*=\s*merge\(var\.tags,", tags_locals), "tags must be merged from var.tags once"


def test_autoscaling_group_propagates_tags() -> None:
    (asg,) = [b for t, _, b in blocks("gpu_compute", "resource") if t == "aws_autoscaling_group"]
    dynamic_tag = first(asg["dynamic"])["tag"]
    assert "local.tags" in str(dynamic_tag["for_each"])
    assert first(first(dynamic_tag["content"])["propagate_at_launch"]) is True


@pytest.mark.parametrize("module", MODULES)
def test_policy_documents_use_no_wildcard_actions(module: str) -> None:
    for rtype, name, body in blocks(module, "data"):
        if rtype != "aws_iam_policy_document":
            continue
        statements = list(body.get("statement", []))
        for dynamic in body.get("dynamic", []):
            statements += [first(d["content"]) for d in dynamic.values()]
        assert statements, f"{name} has no statements"
        for statement in statements:
            for action in statement.get("actions", []):
                assert "*" not in action, f"{name} grants wildcard action {action}"


@pytest.mark.parametrize("module", MODULES)
def test_no_default_points_at_a_latest_tag(module: str) -> None:
    for name, body in declared(module, "variable").items():
        assert ":latest" not in json.dumps(body.get("default")), (
            f"variable {name} defaults to a :latest image"
        )


@pytest.fixture(scope="module")
def checkov_runner():
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    def scan(path: Path, var_file: Path | None = None):
        runner_filter = RunnerFilter(framework=["terraform"], var_files=[str(var_file)] if var_file else None)
        return Runner().run(root_folder=str(path), runner_filter=runner_filter)

    return scan


@pytest.mark.slow
@pytest.mark.parametrize("with_example_values", [False, True], ids=["defaults", "example-values"])
@pytest.mark.parametrize("module", MODULES)
def test_checkov_reports_no_failed_checks(module: str, with_example_values: bool, checkov_runner) -> None:
    # With example values checkov expands for_each/count (endpoints, the GPU fleet) that defaults leave empty.
    var_file = FIXTURES / f"{module}.tfvars.json" if with_example_values else None
    report = checkov_runner(module_dir(module), var_file)
    failed = [f"{c.check_id} {c.resource}: {c.check_name}" for c in report.failed_checks]
    assert not failed, "\n".join(failed)
    assert report.passed_checks, "checkov evaluated nothing; is the module parsed?"
    for skipped in report.skipped_checks:
        reason = (skipped.check_result.get("suppress_comment") or "").strip()
        assert len(reason) > 20, f"{skipped.check_id} on {skipped.resource} is skipped without a real reason"


def test_every_checkov_skip_is_documented() -> None:
    doc = DOC.read_text()
    skips = []
    for module in MODULES:
        for tf in module_dir(module).glob("*.tf"):
            for match in SKIP_COMMENT.finditer(tf.read_text()):
                skips.append((module, match.group(1), (match.group(2) or "").strip()))
    assert skips, "expected the documented skips to exist"
    for module, check_id, reason in skips:
        assert reason, f"{module}: {check_id} skipped without a reason"
        assert re.search(rf"\|\s*`?{module}`?\s*\|.*{check_id}", doc), (
            f"{module} {check_id} not in {DOC.name}"
        )


# ---------------------------------------------------------------- validations (provider-free plan)


@pytest.fixture(scope="module")
def validator(tmp_path_factory):
    cache: dict[str, ProviderFreeModule] = {}

    def get(module: str) -> ProviderFreeModule:
        if module not in cache:
            cache[module] = ProviderFreeModule(module, tmp_path_factory.mktemp(f"validate-{module}"))
        return cache[module]

    return get


@needs_terraform
@pytest.mark.parametrize("module", MODULES)
def test_example_values_pass_validation(module: str, validator) -> None:
    result = validator(module).plan(fixture_vars(module))
    assert result.returncode == 0, result.stderr


@needs_terraform
@pytest.mark.parametrize(
    ("module", "overrides", "message"),
    [
        ("budgets", {"thresholds": [80, 50]}, "thresholds must be strictly ascending"),
        ("budgets", {"thresholds": [50, 1200]}, "between 1 and 1000"),
        ("budgets", {"thresholds": [10, 20, 30, 40, 50]}, "between 1 and 4 entries"),
        ("budgets", {"emails": ["not-an-address"]}, "valid e-mail addresses"),
        ("budgets", {"project": "Fraud_Detect"}, "project must be 3-24 characters"),
        (
            "gpu_compute",
            {"training": {"spot": True, "max_runtime_hours": 24, "max_wait_hours": 24}},
            "max_wait_hours must be greater than max_runtime_hours",
        ),
        (
            "gpu_compute",
            {"training_image_uri": "123.dkr.ecr.eu-west-1.amazonaws.com/train:latest"},
            "never :latest",
        ),
        ("gpu_compute", {"vpc_id": None}, "create_security_group = true needs vpc_id"),
        (
            "gpu_compute",
            {"create_security_group": False},
            "create_security_group = false needs security_group_id",
        ),
        ("gpu_compute", {"vm_max_instances": 0}, "vm_max_instances must be a whole number"),
        (
            "serving",
            {"default_image_uri": "123.dkr.ecr.eu-west-1.amazonaws.com/serve:latest"},
            "must not use :latest",
        ),
        (
            "serving",
            {"endpoints": {"a": {"variants": {"x": {"weight": 1, "min_capacity": 3, "max_capacity": 2}}}}},
            "1 <= min_capacity <= max_capacity <= max_instances_per_variant",
        ),
        (
            "serving",
            {"endpoints": {"a": {"variants": {"x": {"weight": 1, "max_capacity": 50}}}}},
            "1 <= min_capacity <= max_capacity <= max_instances_per_variant",
        ),
        (
            "serving",
            {
                "endpoints": {
                    "a": {"serverless": True, "variants": {"x": {"weight": 50}, "y": {"weight": 50}}}
                }
            },
            "A serverless endpoint has exactly one variant",
        ),
        (
            "serving",
            {"endpoints": {"a": {"serverless": True, "serverless_memory_mb": 1500}}},
            "serverless_memory_mb",
        ),
        ("serving", {"endpoints": {"Bad_Key": {}}}, "Endpoint keys must be"),
        (
            "serving",
            {"endpoints": {"a": {"model_data_url": "https://example.com/model.tar.gz"}}},
            "s3:// URIs",
        ),
        ("tracking", {"tracking_server_size": "Huge"}, "Small, Medium or Large"),
        ("tracking", {"weekly_maintenance_window_start": "TUE:03:30"}, "Tue:03:30 (UTC, capitalised day)"),
        (
            "monitoring",
            {"log_retention_days": 42},
            "log_retention_days must be a value CloudWatch Logs accepts",
        ),
        ("monitoring", {"error_rate_percent": 0}, "error_rate_percent must be greater than 0"),
        ("monitoring", {"kms_key_arn": "alias/mlgen"}, "kms_key_arn must be a KMS key ARN"),
    ],
)
def test_invalid_values_are_rejected_with_a_clear_message(module, overrides, message, validator) -> None:
    assert_rejected(validator(module).plan(fixture_vars(module, **overrides)), message)


# ---------------------------------------------------------------- module logic (provider-free apply)


@needs_terraform
def test_serving_flattens_variants_and_omits_cmk_only_where_sagemaker_refuses_it(tmp_path) -> None:
    harness = """
output "variants" { value = local.variants }
output "endpoint_volume_kms" { value = local.endpoint_volume_kms }
"""
    values = fixture_vars("serving")
    out = ProviderFreeModule("serving", tmp_path, with_locals=True, extra=harness).outputs(values)

    assert sorted(out["variants"]) == ["default/blue", "default/green", "gpu/primary", "small/primary"]
    blue = out["variants"]["default/blue"]
    assert (blue["weight"], blue["min_capacity"], blue["max_capacity"]) == (90, 1, 4)
    assert blue["image_uri"] == values["default_image_uri"]
    assert out["variants"]["default/green"]["max_capacity"] == 2  # default
    kms = out["endpoint_volume_kms"]
    assert kms["default"] == values["kms_key_arn"]  # ml.m5.large: EBS volume, CMK used
    assert kms["gpu"] is None  # ml.g5 has NVMe instance storage: SageMaker rejects a KmsKeyId
    assert kms["small"] is None  # serverless takes no KmsKeyId


@needs_terraform
def test_monitoring_scales_thresholds_to_instance_size(tmp_path) -> None:
    harness = """
locals { region = "eu-west-1" }
output "watched" { value = local.watched }
output "dashboard" { value = jsonencode({ widgets = local.dashboard_widgets }) }
"""
    out = ProviderFreeModule("monitoring", tmp_path, with_locals=True, extra=harness).outputs(
        fixture_vars("monitoring")
    )

    watched = out["watched"]
    assert (watched["default/blue"]["vcpus"], watched["default/blue"]["gpus"]) == (48, 4)  # ml.g5.12xlarge
    assert (watched["default/green"]["vcpus"], watched["default/green"]["gpus"]) == (4, 0)  # ml.m5.xlarge
    assert watched["small/primary"]["serverless"] is True

    widgets = json.loads(out["dashboard"])["widgets"]
    titles = [w["properties"]["title"] for w in widgets]
    assert len(widgets) == 5  # three for the instance endpoint, two for the serverless one
    assert not any("small: utilisation" in t for t in titles)
    for widget in widgets:
        for row in widget["properties"]["metrics"]:
            assert isinstance(row, list) and row[2] == "EndpointName" and row[4] == "VariantName", row
    latency = next(w for w in widgets if "latency" in w["properties"]["title"])
    assert latency["properties"]["annotations"]["horizontal"][0]["value"] == 500 * 1000  # microseconds


@needs_terraform
def test_budget_filters_on_project_tag_and_adds_forecast(tmp_path) -> None:
    harness = """
output "filter" { value = local.tag_filter_value }
output "notifications" { value = local.notifications }
"""
    out = ProviderFreeModule("budgets", tmp_path, with_locals=True, extra=harness).outputs(
        fixture_vars("budgets")
    )

    assert out["filter"] == "user:project$fraud-detect"
    assert out["notifications"] == {
        "actual-50": {"type": "ACTUAL", "threshold": 50},
        "actual-80": {"type": "ACTUAL", "threshold": 80},
        "actual-100": {"type": "ACTUAL", "threshold": 100},
        "forecast-100": {"type": "FORECASTED", "threshold": 100},
    }


# ---------------------------------------------------------------- secure defaults in the code itself


def test_launch_template_enforces_imdsv2_private_and_encrypted_volumes() -> None:
    (template,) = [b for t, _, b in blocks("gpu_compute", "resource") if t == "aws_launch_template"]
    metadata = first(template["metadata_options"])
    assert first(metadata["http_tokens"]) == "required"
    assert first(metadata["http_put_response_hop_limit"]) == 1
    assert first(first(template["network_interfaces"])["associate_public_ip_address"]) is False
    ebs = first(first(template["block_device_mappings"])["ebs"])
    assert first(ebs["encrypted"]) is True and "var.kms_key_arn" in first(ebs["kms_key_id"])


def test_fleet_scales_to_zero_on_spot_only() -> None:
    (asg,) = [b for t, _, b in blocks("gpu_compute", "resource") if t == "aws_autoscaling_group"]
    assert (first(asg["min_size"]), first(asg["desired_capacity"])) == (0, 0)
    assert first(asg["capacity_rebalance"]) is True
    distribution = first(first(asg["mixed_instances_policy"])["instances_distribution"])
    assert first(distribution["on_demand_base_capacity"]) == 0
    assert first(distribution["on_demand_percentage_above_base_capacity"]) == 0


def test_latency_alarm_converts_milliseconds_to_microseconds() -> None:
    alarms = {n: b for t, n, b in blocks("monitoring", "resource") if t == "aws_cloudwatch_metric_alarm"}
    assert first(alarms["p99_latency"]["metric_name"]) == "ModelLatency"
    assert first(alarms["p99_latency"]["extended_statistic"]) == "p99"
    assert "var.p99_latency_ms * 1000" in str(alarms["p99_latency"]["threshold"])


def test_endpoint_configuration_replaces_safely_and_captures_with_cmk() -> None:
    (config,) = [
        b for t, _, b in blocks("serving", "resource") if t == "aws_sagemaker_endpoint_configuration"
    ]
    assert "name_prefix" in config and "name" not in config
    assert first(first(config["lifecycle"])["create_before_destroy"]) is True
    capture = next(d for d in config["dynamic"] if "data_capture_config" in d)["data_capture_config"]
    assert "var.kms_key_arn" in str(first(capture["content"])["kms_key_id"])
    (model,) = [b for t, _, b in blocks("serving", "resource") if t == "aws_sagemaker_model"]
    assert first(model["enable_network_isolation"]) == "${!each.value.serverless}"  # serverless refuses it
