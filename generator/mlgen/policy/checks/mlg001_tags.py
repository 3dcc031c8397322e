"""MLG001: every taggable resource carries project, environment, owner, cost-center and managed-by.

Decision: mlgen's roots set the five tags once, in the provider's ``default_tags`` (AWS) /
``default_labels`` (GCP), and the provider merges them into every resource it creates. So the check
for those clouds is on the provider block of each root: it must carry all five. Resource-level tags
are not required there (they would only duplicate the defaults). Providers without defaults
(azurerm) are checked per resource, from the ``SELF_TAGGED_RESOURCES`` table. A root without any
provider block is not covered here; mlgen always writes one and the drift check catches its removal.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import get, unwrap
from mlgen.policy.checks.tables import DEFAULT_TAG_PROVIDERS, REQUIRED_TAGS, SELF_TAGGED_RESOURCES


def missing_tags(tags: Any) -> list[str]:
    tags = unwrap(tags)
    if not isinstance(tags, dict):
        return list(REQUIRED_TAGS)
    return [key for key in REQUIRED_TAGS if not unwrap(tags.get(key))]


class ProviderDefaultTags(BaseProviderCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG001"),
            id="MLG001",
            categories=CATEGORIES["MLG001"],
            supported_provider=tuple(DEFAULT_TAG_PROVIDERS),
        )

    @fail_on_error
    def scan_provider_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if get(conf, "alias"):
            return CheckResult.UNKNOWN  # aliased providers are judged with their root's default one
        provider = str(conf.get("__address__", "")).split(".", 1)[0]
        if provider not in DEFAULT_TAG_PROVIDERS:
            return CheckResult.UNKNOWN
        block, key = DEFAULT_TAG_PROVIDERS[provider]
        tags = get(conf, f"{block}.{key}") if block else get(conf, key)
        missing = missing_tags(tags)
        if missing:
            self.details.append(f"provider {(block or key).replace('_', ' ')} lack: {', '.join(missing)}")
            return CheckResult.FAILED
        return CheckResult.PASSED


class ResourceTags(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG001"),
            id="MLG001",
            categories=CATEGORIES["MLG001"],
            supported_resources=tuple(SELF_TAGGED_RESOURCES),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        missing = missing_tags(get(conf, SELF_TAGGED_RESOURCES[self.entity_type]))
        if missing:
            self.details.append(f"tags lack: {', '.join(missing)}")
            return CheckResult.FAILED
        return CheckResult.PASSED


provider_check = ProviderDefaultTags()
resource_check = ResourceTags()
