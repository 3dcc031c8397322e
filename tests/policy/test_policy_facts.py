"""Every resource type and attribute path a cloud's PolicyFacts name exists in that provider's bundled schema.

A misspelt type or path would make a policy silently judge nothing (checkov never hands it such a block),
so each one is looked up in generator/mlgen/conformance/schemas (aws 6.69.1, google 6.50.0, azurerm 4.55.0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mlgen.clouds import CLOUDS, policy_facts
from mlgen.clouds.policy_fact_types import PolicyFacts
from mlgen.conformance.schema import load_provider, provider_for_type

# Block-level names Terraform itself defines (meta-arguments), not the provider.
META = {"lifecycle"}


def _child(node: dict[str, Any], name: str) -> dict[str, Any] | None:
    if name in node.get("blocks", {}):
        return node["blocks"][name]
    attribute = node.get("attributes", {}).get(name)
    if attribute is None:
        return None
    return attribute if attribute.get("attributes") else {}  # nested object attribute, or a leaf


def path_exists(node: dict[str, Any], dotted: str) -> bool:
    for part in dotted.split("."):
        if part in META:
            return True
        child = _child(node, part)
        if child is None:
            return False
        node = child
    return True


def _schema(kind: str, type_name: str) -> dict[str, Any] | None:
    provider = load_provider(provider_for_type(type_name))
    assert provider is not None, f"no bundled schema for {type_name}"
    table = provider.data_sources if kind == "data" else provider.resources
    return table.get(type_name)


def named_paths(facts: PolicyFacts) -> Iterator[tuple[str, str, str]]:
    """(resource or data, type, dotted path) for every attribute the facts tell a policy to read."""
    for resource_type, attribute in facts.self_tagged_resources.items():
        yield "resource", resource_type, attribute
    for resource_type, capacity in facts.gpu_capacity.items():
        if capacity.only_when:
            yield "resource", resource_type, capacity.only_when.attribute
        if capacity.json_document:
            # the other paths are keys of the JSON document (the job-defaults contract), not attributes
            yield "resource", resource_type, capacity.json_document
            continue
        yield "resource", resource_type, capacity.machine_attribute
        if capacity.accelerator_attribute:
            yield "resource", resource_type, capacity.accelerator_attribute
        for path in (*capacity.spot_values, *capacity.spot_flags, *capacity.spot_when_zero):
            yield "resource", resource_type, path
    for resource_type, scaling in facts.endpoint_autoscaling.items():
        yield "resource", resource_type, scaling.max_attribute
        yield "resource", resource_type, scaling.min_attribute
        if scaling.only_when:
            yield "resource", resource_type, scaling.only_when.attribute
    for resource_type, budget in facts.budget_notifications.items():
        yield "resource", resource_type, budget.block
        for recipient in budget.recipients:
            yield "resource", resource_type, f"{budget.block}.{recipient}"
        for path in budget.budget_recipients:
            yield "resource", resource_type, path
        if budget.default_recipients_off:
            yield "resource", resource_type, budget.default_recipients_off
    for resource_type, key in facts.customer_keys.items():
        prefix = f"{key.block}." if key.block else ""
        for attribute in key.key_attributes:
            yield "resource", resource_type, prefix + attribute
        if key.algorithm_attribute:
            yield "resource", resource_type, prefix + key.algorithm_attribute
        if key.log_exempt_name_attribute:
            yield "resource", resource_type, key.log_exempt_name_attribute
        if key.encrypted_by:
            yield "resource", key.encrypted_by, "id"
    for resource_type in facts.protected_resources:
        yield "resource", resource_type, "lifecycle"
    for resource_type, (attribute, _) in facts.native_deletion_protection.items():
        yield "resource", resource_type, attribute
    if facts.policy_documents:
        yield "data", facts.policy_documents.data_source, "statement.actions"
        yield "data", facts.policy_documents.data_source, "statement.principals.identifiers"
        for resource_type, path in facts.policy_documents.inline_json.items():
            yield "resource", resource_type, path
    for resource_type, definition in facts.role_definitions.items():
        for attribute in definition.action_attributes:
            yield "resource", resource_type, f"{definition.block}.{attribute}"
    for resource_type, path in facts.role_grants.items():
        yield "resource", resource_type, path
    for data_type, path in facts.role_grant_data_sources.items():
        yield "data", data_type, path
    for resource_type, paths in facts.image_attributes.items():
        for path in paths:
            yield "resource", resource_type, path


CASES = sorted({(cloud, *named) for cloud in CLOUDS for named in named_paths(policy_facts(cloud))})


@pytest.mark.parametrize(("cloud", "kind", "type_name", "path"), CASES)
def test_every_type_and_attribute_the_facts_name_is_in_the_provider_schema(
    cloud: str, kind: str, type_name: str, path: str
) -> None:
    schema = _schema(kind, type_name)
    assert schema is not None, f"{cloud}: {kind} type {type_name} is not in the bundled schema"
    if path == "id" or path in META:
        return
    assert path_exists(schema, path), f"{cloud}: {type_name} has no {path}"


def test_the_lookup_itself_refuses_what_the_schema_does_not_have() -> None:
    # guards the test above against passing vacuously
    bucket = _schema("resource", "google_storage_bucket")
    assert bucket is not None and path_exists(bucket, "encryption.default_kms_key_name")
    assert not path_exists(bucket, "encryption.kms_key_name")
    assert _schema("resource", "azurerm_machine_learning_online_endpoint") is None


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_cloud_names_its_types_for_each_policy(cloud: str) -> None:
    facts = policy_facts(cloud)
    assert facts.cloud == cloud
    assert facts.default_tag_providers or facts.self_tagged_resources  # MLG001
    assert facts.gpu_capacity and facts.gpu_instance_prefixes  # MLG002
    assert facts.endpoint_autoscaling  # MLG003
    assert facts.budget_notifications and facts.budgeted_providers  # MLG004
    assert facts.customer_keys and facts.key_service  # MLG005
    assert facts.protected_resources  # MLG006
    assert facts.policy_documents or facts.role_grants  # MLG007
    assert facts.image_attributes  # MLG008
    prefixes = {provider.split("-")[0] + "_" for provider in facts.providers}
    types = [*facts.gpu_capacity, *facts.customer_keys, *facts.protected_resources, *facts.image_attributes]
    assert all(t.startswith(tuple(prefixes)) for t in types), "a cloud's facts name only its own types"


@pytest.mark.parametrize("cloud", ["gcp", "azure"])
def test_the_cloud_fixtures_are_valid_for_the_provider(cloud: str) -> None:
    # a fixture with an argument the provider does not know would test a shape no real project has
    from pathlib import Path

    from mlgen.conformance import check_tree

    fixtures = Path(__file__).resolve().parent / "fixtures" / cloud
    assert [f"{f.path}:{f.line}: {f.message}" for f in check_tree(fixtures)] == []


def test_the_gcp_job_defaults_keys_the_gpu_policy_reads_are_in_the_ops_contract() -> None:
    contract = pytest.importorskip(
        "mlgen.clouds.gcp.ops.job_defaults",
        reason="the GCP job-defaults contract arrives with the gcp-ops branch",
    )
    capacity = policy_facts("gcp").gpu_capacity["google_storage_bucket_object"]
    read = {capacity.machine_attribute, capacity.accelerator_attribute, *capacity.spot_flags}
    assert read <= set(contract.KEYS)


def test_the_check_code_names_no_resource_type_of_any_cloud() -> None:
    # resource types live in the facts; a check that names one is a cloud seam outside clouds/<cloud>/
    import ast
    from pathlib import Path

    from mlgen.policy import checks

    prefixes = ("aws_", "google_", "azurerm_", "azapi_")
    offenders = []
    for path in sorted(Path(checks.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        offenders += [
            f"{path.name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value.startswith(prefixes)
        ]
    assert offenders == []
