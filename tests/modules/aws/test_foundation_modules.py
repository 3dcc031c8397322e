"""Checks for the first half of the AWS landing-zone modules: structure, formatting, checkov, conventions.

Each test is parametrised over the module directories, so a new module in MODULES gets every check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.modules.aws.module_checks import (
    AWS_MODULES,
    REPO_ROOT,
    CheckovReport,
    ParsedModule,
    inline_skips,
    parse_module,
    run_checkov,
    strip_interpolation,
    terraform_binary,
    terraform_fmt_check,
    unwrap,
)

MODULES = ["state_bootstrap", "network", "kms", "storage", "iam", "registry"]
# Modules that hold data or keys: their top-level resources come in a protected and an unprotected variant.
PROTECTED_RESOURCES = {
    "state_bootstrap": {"aws_kms_key", "aws_s3_bucket"},
    "kms": {"aws_kms_key"},
    "storage": {"aws_s3_bucket"},
    "registry": {"aws_ecr_repository"},
}
# Variables whose values can be wrong and therefore must carry a validation block.
VALIDATED_VARIABLES = {
    "state_bootstrap": {"project", "environment", "bucket_name", "key_deletion_window_in_days"},
    "network": {
        "project",
        "environment",
        "cidr",
        "az_count",
        "nat_mode",
        "kms_key_arn",
        "flow_log_retention_days",
    },
    "kms": {"project", "environment", "deletion_window_in_days", "key_user_arns"},
    "storage": {"project", "environment", "kms_key_arn", "zones", "transition_to_ia_days"},
    "iam": {"project", "environment", "kms_key_arn", "bucket_arns", "ci", "data_scientist_principals"},
    "registry": {"project", "environment", "kms_key_arn", "repositories", "keep_last_images"},
}
TAGGABLE = {
    "aws_cloudwatch_log_group",
    "aws_default_security_group",
    "aws_ecr_repository",
    "aws_eip",
    "aws_flow_log",
    "aws_iam_openid_connect_provider",
    "aws_iam_role",
    "aws_internet_gateway",
    "aws_kms_key",
    "aws_nat_gateway",
    "aws_route_table",
    "aws_s3_bucket",
    "aws_security_group",
    "aws_subnet",
    "aws_vpc",
    "aws_vpc_endpoint",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
}
# Types the AWS provider cannot tag; every resource type used must be in one of the two sets.
NOT_TAGGABLE = {
    "aws_ecr_lifecycle_policy",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_kms_alias",
    "aws_route",
    "aws_route_table_association",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
}
# Every checkov skip is reviewed: a new one must be added here on purpose (and to the docs, with its reason).
KEY_POLICY_SKIPS = {"CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"}
BUCKET_SKIPS = {"CKV_AWS_144", "CKV2_AWS_62"}
LOG_BUCKET_SKIPS = {"CKV_AWS_18", "CKV_AWS_145"}
ALLOWED_SKIPS = {
    "state_bootstrap": KEY_POLICY_SKIPS | BUCKET_SKIPS | LOG_BUCKET_SKIPS,
    "network": {"CKV2_AWS_5", "CKV_AWS_283"},  # 283: endpoint policies name no principal (IAM does)
    "kms": KEY_POLICY_SKIPS,
    # checkov's bucket-connection checks cannot follow the merged protected/unprotected bucket map from a
    # root; test_storage_controls.py proves each control instead.
    "storage": BUCKET_SKIPS
    | LOG_BUCKET_SKIPS
    | {"CKV_AWS_18", "CKV_AWS_21", "CKV_AWS_145", "CKV2_AWS_6", "CKV2_AWS_61"},
    "iam": set(),
    "registry": set(),
}
# The only Allow statement with a whole-service action: AWS's default key-policy root statement (see kms README).
ROOT_KEY_STATEMENT = "AccountRootAdministration"
DOCS = REPO_ROOT / "docs" / "aws-modules-foundation.md"

_parsed: dict[str, ParsedModule] = {}
_checkov: dict[str, CheckovReport] = {}


def parsed(module: str) -> ParsedModule:
    if module not in _parsed:
        _parsed[module] = parse_module(AWS_MODULES / module)
    return _parsed[module]


def checkov_report(module: str) -> CheckovReport:
    # One real checkov run per module per session; several tests read it.
    if module not in _checkov:
        _checkov[module] = run_checkov(AWS_MODULES / module)
    return _checkov[module]


def policy_statements(module: str) -> list[tuple[str, dict]]:
    """(document name, statement) for every statement, static or dynamic, of every policy document."""
    found = []
    for name, body in parsed(module).data.get("aws_iam_policy_document", {}).items():
        for statement in body.get("statement", []):
            found.append((name, statement))
        for dynamic in body.get("dynamic", []):
            for content in dynamic.get("statement", {}).get("content", []):
                found.append((name, content))
    return found


@pytest.mark.parametrize("module", MODULES)
def test_module_has_standard_structure(module: str) -> None:
    directory = AWS_MODULES / module
    for name in ("versions.tf", "variables.tf", "main.tf", "outputs.tf", "README.md"):
        assert (directory / name).is_file(), f"{module} lacks {name}"


@pytest.mark.parametrize("module", MODULES)
def test_terraform_fmt_leaves_module_unchanged(module: str) -> None:
    if terraform_binary() is None:
        pytest.skip("terraform binary not on PATH; fmt cannot be checked here")
    result = terraform_fmt_check(AWS_MODULES / module)
    assert result.returncode == 0, f"terraform fmt would change {module}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("module", MODULES)
def test_versions_pin_terraform_and_aws_provider_major(module: str) -> None:
    (terraform,) = parsed(module).terraform
    assert unwrap(terraform["required_version"]) == ">= 1.10"
    aws = unwrap(unwrap(terraform["required_providers"])["aws"])
    assert aws == {"source": "hashicorp/aws", "version": ">= 6.69, < 7.0"}


@pytest.mark.parametrize("module", MODULES)
def test_every_variable_has_type_and_description(module: str) -> None:
    variables = parsed(module).variables
    assert variables
    for name, body in variables.items():
        assert "type" in body, f"{module}: variable {name} has no type"
        assert str(unwrap(body.get("description", ""))).strip(), (
            f"{module}: variable {name} has no description"
        )


@pytest.mark.parametrize("module", MODULES)
def test_every_output_has_description(module: str) -> None:
    outputs = parsed(module).outputs
    assert outputs
    for name, body in outputs.items():
        assert str(unwrap(body.get("description", ""))).strip(), f"{module}: output {name} has no description"


@pytest.mark.parametrize("module", MODULES)
def test_common_inputs_are_project_environment_tags(module: str) -> None:
    variables = parsed(module).variables
    assert strip_interpolation(unwrap(variables["project"]["type"])) == "string"
    assert strip_interpolation(unwrap(variables["environment"]["type"])) == "string"
    assert strip_interpolation(unwrap(variables["tags"]["type"])) == "map(string)"
    if "kms_key_arn" in variables:
        assert "default" not in variables["kms_key_arn"], "a module that encrypts must be given the key"


@pytest.mark.parametrize("module", MODULES)
def test_values_that_can_be_wrong_are_validated(module: str) -> None:
    variables = parsed(module).variables
    for name in VALIDATED_VARIABLES[module]:
        assert variables[name].get("validation"), f"{module}: variable {name} has no validation block"


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_checkov_reports_no_failed_checks(module: str) -> None:
    report = checkov_report(module)
    assert not report.parsing_errors, report.parsing_errors
    assert report.passed, f"checkov passed nothing in {module}; did it scan the module at all?"
    failures = [f"{f.check_id} {f.resource} ({f.check_name})" for f in report.failed]
    assert not failures, f"checkov failures in {module}:\n" + "\n".join(failures)


# Non-default inputs that switch on the optional parts: protected variants, CI federation, MFA role, NAT.
KEY = "arn:aws:kms:eu-west-1:333333333333:key/0000aaaa-bbbb-cccc-dddd-eeeeffff0000"
PROD_INPUTS = {
    "state_bootstrap": 'deletion_protection = true\nbucket_name = "fraud-detect-prod-tfstate"\n',
    "kms": 'deletion_protection = true\nkey_user_arns = ["arn:aws:iam::333333333333:role/fraud-detect-prod-training"]\n',
    "storage": f'deletion_protection = true\nkms_key_arn = "{KEY}"\n',
    "registry": f'deletion_protection = true\nkms_key_arn = "{KEY}"\n',
    "network": f'kms_key_arn = "{KEY}"\nnat_mode = "per_az"\naz_count = 3\n',
    "iam": f"""kms_key_arn = "{KEY}"
bucket_arns = {{ raw = "arn:aws:s3:::r", processed = "arn:aws:s3:::p", features = "arn:aws:s3:::f", artifacts = "arn:aws:s3:::a" }}
ecr_repository_arns = {{ training = "arn:aws:ecr:eu-west-1:333333333333:repository/fraud-detect-prod/training" }}
mlflow_tracking_server_arn = "arn:aws:sagemaker:eu-west-1:333333333333:mlflow-tracking-server/fraud-detect-prod"
data_scientist_principals = ["arn:aws:iam::333333333333:root"]
ci = {{ repository = "example-org/fraud-detect", branches = ["main"], pull_requests = true, environments = ["prod"] }}
state_bucket_arn = "arn:aws:s3:::fraud-detect-prod-tfstate"
state_kms_key_arn = "{KEY}"
""",
}


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_checkov_reports_no_failed_checks_with_prod_inputs(module: str, tmp_path: Path) -> None:
    var_file = tmp_path / "prod.tfvars"
    var_file.write_text('project = "fraud-detect"\nenvironment = "prod"\n' + PROD_INPUTS[module])
    report = run_checkov(AWS_MODULES / module, var_file=var_file)
    assert not report.parsing_errors, report.parsing_errors
    assert report.passed
    failures = [f"{f.check_id} {f.resource} ({f.check_name})" for f in report.failed]
    assert not failures, f"checkov failures in {module} with prod inputs:\n" + "\n".join(failures)


@pytest.mark.parametrize("module", MODULES)
def test_module_parses_with_python_hcl2(module: str) -> None:
    info = parse_module(AWS_MODULES / module)
    assert info.resources, f"{module} declares no resources"


@pytest.mark.slow
def test_checkov_harness_reports_failures_for_an_insecure_bucket(tmp_path: Path) -> None:
    # Negative control: the zero-failure assertion above means something only if the harness sees failures.
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "insecure" {\n  bucket = "insecure-example"\n}\n'
    )
    report = run_checkov(tmp_path)
    assert {"CKV_AWS_18", "CKV_AWS_21", "CKV_AWS_145"} <= {f.check_id for f in report.failed}


@pytest.mark.parametrize("module", MODULES)
def test_checkov_skips_are_few_reasoned_and_documented(module: str) -> None:
    skips = inline_skips(AWS_MODULES / module)
    unexpected = {check for _, check, _ in skips} - ALLOWED_SKIPS[module]
    assert not unexpected, f"{module} skips unreviewed checks {unexpected}"
    docs = DOCS.read_text(encoding="utf-8")
    readme = (AWS_MODULES / module / "README.md").read_text(encoding="utf-8")
    for file_name, check_id, reason in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", check_id), f"{module}/{file_name}: malformed skip {check_id}"
        assert len(reason) >= 30, f"{module}/{file_name}: skip {check_id} needs a real reason, got {reason!r}"
        assert check_id in docs, f"{check_id} ({module}) is not listed in {DOCS.name}"
        assert check_id in readme, f"{check_id} is not listed in the {module} README"


@pytest.mark.parametrize("module", sorted(PROTECTED_RESOURCES))
def test_data_stores_and_keys_have_literal_prevent_destroy_variant(module: str) -> None:
    info = parsed(module)
    assert strip_interpolation(unwrap(info.variables["deletion_protection"]["type"])) == "bool"
    for resource_type in PROTECTED_RESOURCES[module]:
        instances = info.resources[resource_type]
        protected = {
            n: b
            for n, b in instances.items()
            if unwrap(unwrap(b.get("lifecycle", {})).get("prevent_destroy")) is True
        }
        unprotected = {n: b for n, b in instances.items() if n not in protected}
        assert protected and unprotected, (
            f"{module}: {resource_type} needs a protected and an unprotected variant"
        )
        assert len(protected) == len(unprotected)
        for name, body in instances.items():
            guard = str(unwrap(body.get("count", body.get("for_each", ""))))
            assert "var.deletion_protection" in guard, (
                f"{module}: {resource_type}.{name} ignores deletion_protection"
            )
            for flag in ("force_destroy", "force_delete"):
                if name in protected and flag in body:
                    assert unwrap(body[flag]) is False, (
                        f"{module}: protected {resource_type}.{name} sets {flag}"
                    )
    readme = (AWS_MODULES / module / "README.md").read_text(encoding="utf-8")
    assert "prevent_destroy" in readme and "literal" in readme, (
        f"{module} README must explain the two variants"
    )


@pytest.mark.parametrize("module", MODULES)
def test_taggable_resources_merge_module_tags(module: str) -> None:
    for resource_type, instances in parsed(module).resources.items():
        assert resource_type in TAGGABLE | NOT_TAGGABLE, f"classify {resource_type} as taggable or not"
        if resource_type not in TAGGABLE:
            continue
        for name, body in instances.items():
            tags = str(unwrap(body.get("tags", "")))
            assert "local.tags" in tags, f"{module}: {resource_type}.{name} does not carry local.tags"


@pytest.mark.parametrize("module", MODULES)
def test_tags_and_prefix_are_derived_in_one_place(module: str) -> None:
    source = "".join(path.read_text(encoding="utf-8") for path in (AWS_MODULES / module).glob("*.tf"))
    assert (
        source.count('prefix = "${var.project}-${var.environment}"')
        + source.count('prefix     = "${var.project}-${var.environment}"')
        == 1
    )
    assert len(re.findall(r"^\s*tags\s*=\s*merge\(var\.tags", source, flags=re.MULTILINE)) == 1
    assert "var.tags" not in source.replace("merge(var.tags", ""), (
        f"{module} uses var.tags outside local.tags"
    )


@pytest.mark.parametrize("module", MODULES)
def test_policies_come_from_policy_documents(module: str) -> None:
    for resource_type, instances in parsed(module).resources.items():
        for name, body in instances.items():
            for attribute in ("policy", "assume_role_policy"):
                if attribute not in body or resource_type == "aws_ecr_lifecycle_policy":
                    continue  # an ECR lifecycle policy is not an IAM document
                value = str(unwrap(body[attribute]))
                assert value.startswith("${data.aws_iam_policy_document."), (
                    f"{module}: {resource_type}.{name}.{attribute} is not built from aws_iam_policy_document"
                )


@pytest.mark.parametrize("module", MODULES)
def test_allow_statements_have_no_wildcard_actions(module: str) -> None:
    for document, statement in policy_statements(module):
        if unwrap(statement.get("effect", "Allow")) == "Deny":
            continue  # a deny on s3:* (TLS only) is as broad as it should be
        actions = unwrap(statement.get("actions", []))
        actions = [actions] if isinstance(actions, str) else actions
        sid = unwrap(statement.get("sid", ""))
        for action in actions:
            if module in {"kms", "state_bootstrap"} and sid == ROOT_KEY_STATEMENT and action == "kms:*":
                principals = str(statement.get("principals"))
                assert ":root" in principals, "kms:* may only go to the account root (IAM delegation)"
                continue
            assert action != "*" and not action.endswith(":*"), f"{module}: {document}/{sid} allows {action}"


def _readme_module_examples(module: str) -> list[dict]:
    import hcl2

    readme = (AWS_MODULES / module / "README.md").read_text(encoding="utf-8")
    calls = []
    for block in re.findall(r"```hcl\n(.*?)```", readme, flags=re.DOTALL):
        if 'module "' not in block:
            continue
        for module_block in hcl2.loads(block).get("module", []):
            for body in module_block.values():
                if unwrap(body.get("source", "")).endswith(f"/{module}"):
                    calls.append(body)
    return calls


@pytest.mark.parametrize("module", MODULES)
def test_readme_example_calls_the_module_with_valid_arguments(module: str) -> None:
    calls = _readme_module_examples(module)
    assert calls, f"{module} README has no example call of the module"
    variables = parsed(module).variables
    required = {name for name, body in variables.items() if "default" not in body}
    for call in calls:
        arguments = {key for key in call if not key.startswith("__")} - {"source"}
        assert arguments <= set(variables), (
            f"unknown arguments in {module} example: {arguments - set(variables)}"
        )
        assert required <= arguments, f"{module} example misses required inputs {required - arguments}"


@pytest.mark.parametrize("module", MODULES)
def test_readme_tables_list_every_input_and_output(module: str) -> None:
    readme = (AWS_MODULES / module / "README.md").read_text(encoding="utf-8")
    info = parsed(module)
    for name in [*info.variables, *info.outputs]:
        assert f"| `{name}` |" in readme, f"{module} README table lacks {name}"


def test_docs_list_every_module() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for module in MODULES:
        assert f"`{module}`" in docs, f"{DOCS.name} does not describe {module}"
