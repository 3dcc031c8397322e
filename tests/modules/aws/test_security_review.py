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
from tests.modules.aws.test_modules_b import ProviderFreeModule, needs_terraform


def resource(module: str, type_: str, name: str) -> dict[str, Any]:
    return parse_module(AWS_MODULES / module).resources[type_][name]


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
    vpc = [d for d in model["dynamic"] if "vpc_config" in d][0]["vpc_config"]
    assert strip_interpolation(unwrap(vpc["for_each"])) == "each.value.serverless ? [] : [1]"
    config = resource("serving", "aws_sagemaker_endpoint_configuration", "this")
    capture = [d for d in config["dynamic"] if "data_capture_config" in d][0]["data_capture_config"]
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
            or (status == "tagged" and tag is not None and any(tag.startswith(p) for p in selection.get("tagPrefixList", [])))
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
