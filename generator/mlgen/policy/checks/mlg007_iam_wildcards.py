"""MLG007: no IAM policy grants wildcard actions on data stores or keys.

Looks at Allow statements in ``aws_iam_policy_document`` data sources and in the inline JSON of
identity policies. ``*`` and ``<data service>:*`` are wildcards; so is any action pattern that covers
a whole data service (``s3:*Object*`` is not flagged: it names what it grants). One statement is left
alone: a KMS key policy's delegation to the account root (``arn:...:iam::<account>:root`` with
``kms:*``), which AWS requires so that IAM policies -- checked here -- can grant key use at all.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import as_list, get, get_all, unwrap
from mlgen.policy.checks.tables import DATA_SERVICES, INLINE_POLICY_ATTRIBUTES

_ACCOUNT_ROOT = re.compile(r"^arn:[^:]*:iam::[^:]*:root$")


def wildcard_actions(actions: list[Any]) -> list[str]:
    found = []
    for action in actions:
        action = str(unwrap(action)).strip()
        if action == "*":
            found.append(action)
            continue
        service, _, name = action.partition(":")
        if service.lower() in DATA_SERVICES and name == "*":
            found.append(action)
    return found


def _is_root_key_delegation(actions: list[str], principals: list[str]) -> bool:
    return (
        bool(principals)
        and set(actions) <= {"kms:*"}
        and all(_ACCOUNT_ROOT.match(principal) for principal in principals)
    )


def _statement_findings(effect: Any, actions: list[Any], principals: list[str]) -> list[str]:
    if str(effect or "Allow") != "Allow":
        return []
    wildcards = wildcard_actions(actions)
    if wildcards and _is_root_key_delegation(wildcards, principals):
        return []
    return wildcards


def findings_in_document(document: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for statement in as_list(document.get("Statement")):
        if not isinstance(statement, dict):
            continue
        principal = statement.get("Principal")
        principals = as_list(principal.get("AWS")) if isinstance(principal, dict) else as_list(principal)
        found += _statement_findings(statement.get("Effect"), as_list(statement.get("Action")), principals)
    return found


class PolicyDocumentWildcards(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_data=("aws_iam_policy_document",),
        )

    @fail_on_error
    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        found: list[str] = []
        for statement in get_all(conf, "statement"):
            principals = [
                str(identifier)
                for block in get_all(statement, "principals")
                if str(get(block, "type")) == "AWS"
                for identifier in as_list(get(block, "identifiers"))
            ]
            found += _statement_findings(
                get(statement, "effect"), as_list(get(statement, "actions")), principals
            )
        return self._result(found)

    def _result(self, found: list[str]) -> CheckResult:
        if found:
            self.details.append(f"wildcard actions: {', '.join(sorted(set(found)))}")
            return CheckResult.FAILED
        return CheckResult.PASSED


class InlinePolicyWildcards(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG007"),
            id="MLG007",
            categories=CATEGORIES["MLG007"],
            supported_resources=(*INLINE_POLICY_ATTRIBUTES, "aws_iam_role"),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type == "aws_iam_role":
            documents = get_all(conf, "inline_policy.policy")
        else:
            documents = [get(conf, INLINE_POLICY_ATTRIBUTES[self.entity_type])]
        found: list[str] = []
        for document in documents:
            if isinstance(document, str):
                try:
                    document = json.loads(document)
                except ValueError:
                    continue  # a reference to a policy document: that data source is checked itself
            if isinstance(document, dict):
                found += findings_in_document(document)
        if found:
            self.details.append(f"wildcard actions: {', '.join(sorted(set(found)))}")
            return CheckResult.FAILED
        return CheckResult.PASSED


data_check = PolicyDocumentWildcards()
resource_check = InlinePolicyWildcards()
