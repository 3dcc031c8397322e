"""MLG005: data buckets and registries are encrypted with a customer-managed key.

Each cloud's data stores and how each shows its key are in ``CUSTOMER_KEYS``. Some clouds keep the key
in a separate resource that references the store (S3's encryption configuration since AWS provider v4,
``azurerm_storage_account_customer_managed_key``): the store passes when such a resource references it in
checkov's graph -- directly or through a local that picks a protected/unprotected variant -- or it still
uses the inline block with a key; that configuration resource is itself judged (for S3: ``aws:kms`` plus
a key). Access-log buckets are not data buckets where the cloud cannot encrypt access logs with a CMK
(S3 server access logging only delivers to SSE-S3 buckets): there a block whose name says ``log`` is out
of scope.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.clouds.policy_fact_types import CustomerKey
from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import get, get_all, graph_referrers, vertices_for_entity
from mlgen.policy.checks.tables import CUSTOMER_KEYS, facts_for_type


def _is_log_block(conf: dict[str, Any], name_attribute: str) -> bool:
    # The resource's own name, the module calls it sits in (module.access_logs, modules/aws/access_log_bucket
    # names its resources "this") and the store's name.
    address = str(conf.get("__address__", "")).split(".")
    names = [address[-1], *(address[i + 1] for i, part in enumerate(address[:-1]) if part == "module")]
    names.append(str(get(conf, name_attribute) or ""))
    return any("log" in name.lower() for name in names)


def uses_customer_key(rule: CustomerKey, conf: dict[str, Any]) -> bool:
    blocks = get_all(conf, rule.block) if rule.block else [conf]
    for block in blocks:
        if not any(get(block, key) for key in rule.key_attributes):
            continue
        if (
            rule.algorithm_attribute
            and str(get(block, rule.algorithm_attribute) or "").lower() not in rule.algorithms
        ):
            continue
        return True
    return False


class DataEncryptedWithCustomerKey(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG005"),
            id="MLG005",
            categories=CATEGORIES["MLG005"],
            supported_resources=tuple(CUSTOMER_KEYS),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        rule = CUSTOMER_KEYS[self.entity_type]
        if rule.log_exempt_name_attribute and _is_log_block(conf, rule.log_exempt_name_attribute):
            return CheckResult.UNKNOWN
        if uses_customer_key(rule, conf):
            return CheckResult.PASSED
        if rule.encrypted_by:
            return self._scan_encrypted_by(conf, rule.encrypted_by)
        facts = facts_for_type(self.entity_type)
        key_service = f" {facts.key_service}" if facts and facts.key_service else ""
        self.details.append(f"not encrypted with a customer-managed{key_service} key")
        return CheckResult.FAILED

    def _scan_encrypted_by(self, conf: dict[str, Any], encryption_type: str) -> CheckResult:
        for index, _ in vertices_for_entity(self, conf):
            if any(
                neighbour.get("resource_type") == encryption_type
                for neighbour in graph_referrers(self.graph, index)
            ):
                return CheckResult.PASSED  # the configuration resource carries its own MLG005 result
        self.details.append(f"no {encryption_type} references this resource")
        return CheckResult.FAILED


check = DataEncryptedWithCustomerKey()
