"""MLG007: no IAM policy grants wildcard actions on data stores or keys.

Each cloud writes access its own way; its facts say where:

- statements of actions (AWS): Allow statements in ``aws_iam_policy_document`` data sources and in the
  inline JSON of identity policies. ``*`` and ``<data service>:*`` are wildcards (``s3:*Object*`` is not
  flagged: it names what it grants). One statement is left alone: a KMS key policy's delegation to the
  account root (``arn:...:iam::<account>:root`` with ``kms:*``), which AWS requires so that IAM policies --
  checked here -- can grant key use at all.
- custom role definitions that list actions (Azure): ``*`` and ``<namespace>/*`` of a data service
  (``Microsoft.Storage/*``) in ``actions`` or ``data_actions``.
- role grants (GCP, Azure role assignments): a role that is a wildcard -- a basic role (``roles/owner``,
  ``roles/editor``; Azure ``Owner``, ``Contributor``) or a data service's admin role
  (``roles/storage.admin``, ``Storage Blob Data Owner``). GCP custom roles cannot hold wildcards at all.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.clouds.policy_fact_types import ActionPolicyDocuments
from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import as_list, get, get_all, is_resolved, unwrap
from mlgen.policy.checks.tables import (
    DATA_SERVICE_WILDCARDS,
    INLINE_POLICY_DOCUMENTS,
    POLICY_DOCUMENTS,
    ROLE_DEFINITIONS,
    ROLE_GRANT_DATA_SOURCES,
    ROLE_GRANTS,
    WILDCARD_ROLES,
)


def wildcard_actions(actions: list[Any]) -> list[str]:
    found = []
    for action in actions:
        action = str(unwrap(action)).strip()
        if action == "*":
            found.append(action)
            continue
        for separator, services in DATA_SERVICE_WILDCARDS:
            service, _, name = action.partition(separator)
            if name == "*" and service.lower() in services:
                found.append(action)
                break
    return found


def _is_delegation(grammar: ActionPolicyDocuments, actions: list[str], principals: list[str]) -> bool:
    if not grammar.delegation_actions or not principals:
        return False
    pattern = re.compile(grammar.delegation_principal_pattern)
    return set(actions) <= grammar.delegation_actions and all(pattern.match(p) for p in principals)


def _statement_findings(
    grammar: ActionPolicyDocuments, effect: Any, actions: list[Any], principals: list[str]
) -> list[str]:
    if str(effect or "Allow") != "Allow":
        return []
    wildcards = wildcard_actions(actions)
    if wildcards and _is_delegation(grammar, wildcards, principals):
        return []
    return wildcards


def findings_in_document(document: dict[str, Any], grammar: ActionPolicyDocuments | None = None) -> list[str]:
    grammar = grammar or next(iter(POLICY_DOCUMENTS.values()))
    found: list[str] = []
    for statement in as_list(document.get("Statement")):
        if not isinstance(statement, dict):
            continue
        principal = statement.get("Principal")
        principals = (
            as_list(principal.get(grammar.principal_json_key))
            if isinstance(principal, dict)
            else as_list(principal)
        )
        found += _statement_findings(
            grammar, statement.get("Effect"), as_list(statement.get("Action")), principals
        )
    return found


def _result(check: Any, found: list[str], what: str = "wildcard actions") -> CheckResult:
    if found:
        check.details.append(f"{what}: {', '.join(sorted(set(found)))}")
        return CheckResult.FAILED
    return CheckResult.PASSED


class PolicyDocumentWildcards(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_data=tuple(POLICY_DOCUMENTS),
        )

    @fail_on_error
    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        grammar = POLICY_DOCUMENTS[self.entity_type]
        found: list[str] = []
        for statement in get_all(conf, "statement"):
            principals = [
                str(identifier)
                for block in get_all(statement, "principals")
                if str(get(block, "type")) == grammar.principal_type
                for identifier in as_list(get(block, "identifiers"))
            ]
            found += _statement_findings(
                grammar, get(statement, "effect"), as_list(get(statement, "actions")), principals
            )
        return _result(self, found)


class InlinePolicyWildcards(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_resources=tuple(INLINE_POLICY_DOCUMENTS),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        path, grammar = INLINE_POLICY_DOCUMENTS[self.entity_type]
        found: list[str] = []
        for document in get_all(conf, path):
            if isinstance(document, str):
                try:
                    document = json.loads(document)
                except ValueError:
                    continue  # a reference to a policy document: that data source is checked itself
            if isinstance(document, dict):
                found += findings_in_document(document, grammar)
        return _result(self, found)


class RoleDefinitionWildcards(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_resources=tuple(ROLE_DEFINITIONS),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        definition = ROLE_DEFINITIONS[self.entity_type]
        actions = [
            action
            for block in get_all(conf, definition.block)
            for attribute in definition.action_attributes
            for action in as_list(get(block, attribute))
        ]
        return _result(self, wildcard_actions(actions))


class RoleGrantWildcards(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_resources=tuple(ROLE_GRANTS),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        return judge_role_grants(self, conf, ROLE_GRANTS[self.entity_type])


class RoleGrantWildcardsInPolicyData(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_data=tuple(ROLE_GRANT_DATA_SOURCES),
        )

    @fail_on_error
    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        return judge_role_grants(self, conf, ROLE_GRANT_DATA_SOURCES[self.entity_type])


def judge_role_grants(check: Any, conf: dict[str, Any], path: str) -> CheckResult:
    roles = [str(role) for role in get_all(conf, path) if is_resolved(role)]
    if not roles:
        return CheckResult.UNKNOWN  # a role given by reference or id: not judged here
    return _result(
        check, [role for role in roles if role.strip().lower() in WILDCARD_ROLES], "wildcard roles"
    )


data_check = PolicyDocumentWildcards()
resource_check = InlinePolicyWildcards()
role_definition_check = RoleDefinitionWildcards()
role_grant_check = RoleGrantWildcards()
role_grant_data_check = RoleGrantWildcardsInPolicyData()
