"""MLG005: data buckets and registries are encrypted with a customer-managed key.

S3 encryption lives in its own resource since AWS provider v4, so an ``aws_s3_bucket`` passes when a
``aws_s3_bucket_server_side_encryption_configuration`` references it in checkov's graph -- directly or
through a local that picks a protected/unprotected variant -- or it still uses the inline block with a
KMS key; that configuration resource is itself checked for ``aws:kms`` plus a key.
Access-log buckets are not data buckets: S3 server access logging only delivers to SSE-S3 buckets, so
a bucket whose name says ``log`` is out of scope.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import get, get_all, graph_referrers, vertices_for_entity
from mlgen.policy.checks.tables import BUCKET_ENCRYPTION_TYPES, CMK_ALGORITHMS

_SSE_DEFAULT = "rule.apply_server_side_encryption_by_default"


def _is_log_bucket(conf: dict[str, Any]) -> bool:
    # The resource's own name, the module calls it sits in (module.access_logs, modules/aws/access_log_bucket
    # names its resources "this") and the bucket name.
    address = str(conf.get("__address__", "")).split(".")
    names = [address[-1], *(address[i + 1] for i, part in enumerate(address[:-1]) if part == "module")]
    names.append(str(get(conf, "bucket") or ""))
    return any("log" in name.lower() for name in names)


def _sse_uses_cmk(defaults: list[Any]) -> bool:
    return any(
        str(get(default, "sse_algorithm") or "") in CMK_ALGORITHMS and bool(get(default, "kms_master_key_id"))
        for default in defaults
    )


def _key_set(conf: dict[str, Any], dotted: str) -> bool:
    return bool(get(conf, dotted))


# resource type -> predicate telling whether it is encrypted with a customer-managed key
_CMK_RULES = {
    **{
        encryption: lambda conf: _sse_uses_cmk(get_all(conf, _SSE_DEFAULT))
        for encryption in BUCKET_ENCRYPTION_TYPES.values()
    },
    "aws_ecr_repository": lambda conf: (
        str(get(conf, "encryption_configuration.encryption_type") or "").upper() == "KMS"
        and _key_set(conf, "encryption_configuration.kms_key")
    ),
    "google_storage_bucket": lambda conf: _key_set(conf, "encryption.default_kms_key_name"),
    "google_artifact_registry_repository": lambda conf: _key_set(conf, "kms_key_name"),
    "azurerm_container_registry": lambda conf: _key_set(conf, "encryption.key_vault_key_id"),
    "azurerm_storage_account": lambda conf: _key_set(conf, "customer_managed_key.key_vault_key_id"),
}
_BUCKET_AND_ENCRYPTION_TYPES = {*BUCKET_ENCRYPTION_TYPES, *BUCKET_ENCRYPTION_TYPES.values()}


class DataEncryptedWithCustomerKey(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG005"),
            id="MLG005",
            categories=CATEGORIES["MLG005"],
            supported_resources=(*BUCKET_ENCRYPTION_TYPES, *_CMK_RULES),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type in _BUCKET_AND_ENCRYPTION_TYPES and _is_log_bucket(conf):
            return CheckResult.UNKNOWN
        if self.entity_type in BUCKET_ENCRYPTION_TYPES:
            return self._scan_bucket(conf, BUCKET_ENCRYPTION_TYPES[self.entity_type])
        if _CMK_RULES[self.entity_type](conf):
            return CheckResult.PASSED
        self.details.append("not encrypted with a customer-managed KMS key")
        return CheckResult.FAILED

    def _scan_bucket(self, conf: dict[str, Any], encryption_type: str) -> CheckResult:
        inline = get_all(conf, f"server_side_encryption_configuration.{_SSE_DEFAULT}")
        if _sse_uses_cmk(inline):
            return CheckResult.PASSED
        for index, _ in vertices_for_entity(self, conf):
            if any(
                neighbour.get("resource_type") == encryption_type
                for neighbour in graph_referrers(self.graph, index)
            ):
                return CheckResult.PASSED  # the configuration resource carries its own MLG005 result
        self.details.append(f"no {encryption_type} references this bucket")
        return CheckResult.FAILED


check = DataEncryptedWithCustomerKey()
