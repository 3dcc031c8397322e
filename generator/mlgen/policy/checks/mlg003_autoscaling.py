"""MLG003: every endpoint's autoscaling has a bounded maximum.

Two places can show the maximum: the autoscaling resource itself, when checkov can evaluate its
``max_capacity``, and the module call that feeds a serving module (mlgen's roots pass literal numbers,
while the module derives ``max_capacity`` through locals checkov does not evaluate). A resource whose
maximum is an unevaluated expression is left to the module-call check; a missing maximum fails.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import as_number, find_values, get, is_resolved, module_component
from mlgen.policy.checks.tables import (
    ENDPOINT_AUTOSCALING,
    ENDPOINT_MAXIMUM_INPUTS,
    ENDPOINT_MODULE_COMPONENTS,
    ENDPOINT_SCALING_NAMESPACES,
    MAX_ENDPOINT_REPLICAS,
)


class EndpointAutoscalingIsBounded(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG003"),
            id="MLG003",
            categories=CATEGORIES["MLG003"],
            supported_resources=tuple(ENDPOINT_AUTOSCALING),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type == "aws_appautoscaling_target":
            namespace = get(conf, "service_namespace")
            if namespace not in ENDPOINT_SCALING_NAMESPACES:
                return CheckResult.UNKNOWN  # not an endpoint (ECS, DynamoDB, ...)
        max_attribute, min_attribute = ENDPOINT_AUTOSCALING[self.entity_type]
        raw_maximum = get(conf, max_attribute)
        if raw_maximum is not None and not is_resolved(raw_maximum):
            return CheckResult.UNKNOWN  # derived inside a module: judged at the module call
        maximum = as_number(raw_maximum)
        if maximum is None:
            self.details.append(f"{max_attribute} is missing or not a number")
            return CheckResult.FAILED
        minimum = as_number(get(conf, min_attribute)) or 0
        problem = bound_problem(max_attribute, maximum, minimum)
        if problem:
            self.details.append(problem)
            return CheckResult.FAILED
        return CheckResult.PASSED


def bound_problem(name: str, maximum: float, minimum: float = 0) -> str:
    if maximum > MAX_ENDPOINT_REPLICAS or maximum < max(minimum, 1):
        return f"{name} = {maximum:g} (must be between max(1, minimum) and {MAX_ENDPOINT_REPLICAS})"
    return ""


class ServingModuleMaximumIsBounded(BaseModuleCheck):
    def __init__(self) -> None:
        super().__init__(name=policy_name("MLG003"), id="MLG003", categories=CATEGORIES["MLG003"])

    @fail_on_error
    def scan_module_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if module_component(get(conf, "source")) not in ENDPOINT_MODULE_COMPONENTS:
            return CheckResult.UNKNOWN
        values = find_values(conf, lambda key: key in ENDPOINT_MAXIMUM_INPUTS)
        judged = [(key, value) for key, value in values if is_resolved(value)]
        problems = []
        for key, value in judged:
            maximum = as_number(value)
            problems.append(f"{key} is not a number" if maximum is None else bound_problem(key, maximum))
        problems = [problem for problem in problems if problem]
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED if judged else CheckResult.UNKNOWN


resource_check = EndpointAutoscalingIsBounded()
module_check = ServingModuleMaximumIsBounded()
