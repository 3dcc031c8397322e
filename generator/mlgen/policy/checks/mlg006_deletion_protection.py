"""MLG006: prod data stores and keys are protected against destroy.

mlgen's modules implement protection as a ``deletion_protection`` variable that picks a resource
variant with ``lifecycle { prevent_destroy = true }`` (lifecycle arguments cannot be variables). So
the check is on the module calls of a prod root: storage, kms, registry and state must pass
``deletion_protection = true``. Data stores declared directly in a prod root (not through a module)
need ``prevent_destroy`` themselves, or the provider-side guard some types have (Cloud SQL's
``deletion_protection``, true unless set false: the provider then refuses the destroy). Resources inside modules are not judged one by one: both variants
exist in the code and only the module input says which one is created.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import as_bool, environments_of, get, module_component
from mlgen.policy.checks.tables import (
    NATIVE_DELETION_PROTECTION,
    PROD_ENVIRONMENTS,
    PROTECTED_MODULE_COMPONENTS,
    PROTECTED_RESOURCES,
)


class ProdModulesProtected(BaseModuleCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG006"),
            id="MLG006",
            categories=CATEGORIES["MLG006"],
        )

    @fail_on_error
    def scan_module_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if module_component(get(conf, "source")) not in PROTECTED_MODULE_COMPONENTS:
            return CheckResult.UNKNOWN
        environment = get(conf, "environment")
        environments = {environment} if isinstance(environment, str) else environments_of(self, conf)
        if not environments & PROD_ENVIRONMENTS:
            return CheckResult.UNKNOWN  # protection is a prod requirement
        if as_bool(get(conf, "deletion_protection")) is True:
            return CheckResult.PASSED
        self.details.append("prod module call does not pass deletion_protection = true")
        return CheckResult.FAILED


class ProdResourcesProtected(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG006"),
            id="MLG006",
            categories=CATEGORIES["MLG006"],
            supported_resources=PROTECTED_RESOURCES,
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if str(conf.get("__address__", "")).startswith("module."):
            return CheckResult.UNKNOWN  # judged at the module call
        if not environments_of(self, conf) & PROD_ENVIRONMENTS:
            return CheckResult.UNKNOWN
        if as_bool(get(conf, "lifecycle.prevent_destroy")) is True:
            return CheckResult.PASSED
        native = NATIVE_DELETION_PROTECTION.get(self.entity_type)
        if native:
            attribute, default = native
            value = get(conf, attribute)
            if (default if value is None else as_bool(value)) is True:
                return CheckResult.PASSED
            self.details.append(
                f"prod data store with {attribute} = false and no lifecycle {{ prevent_destroy = true }}"
            )
            return CheckResult.FAILED
        self.details.append("prod data store without lifecycle { prevent_destroy = true }")
        return CheckResult.FAILED


module_check = ProdModulesProtected()
resource_check = ProdResourcesProtected()
