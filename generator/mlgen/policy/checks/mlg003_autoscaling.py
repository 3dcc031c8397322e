"""MLG003: every endpoint's autoscaling has a bounded maximum.

Two places can show the maximum: the autoscaling resource itself (each cloud's types and attributes in
``ENDPOINT_AUTOSCALING``), when checkov can evaluate its maximum, and the module call that feeds a serving module (mlgen's roots pass literal numbers,
while the module derives ``max_capacity`` through locals checkov does not evaluate). A resource whose
maximum is an unevaluated expression is left to the module-call check; a missing maximum fails.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import (
    as_number,
    find_values,
    get,
    get_all,
    is_resolved,
    module_component,
    unwrap,
)
from mlgen.policy.checks.tables import (
    ENDPOINT_AUTOSCALING,
    ENDPOINT_MAXIMUM_INPUTS,
    ENDPOINT_MODULE_COMPONENTS,
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
        scaling = ENDPOINT_AUTOSCALING[self.entity_type]
        only_when = scaling.only_when
        if only_when and str(unwrap(get(conf, only_when.attribute))).lower() not in only_when.values:
            return CheckResult.UNKNOWN  # not an endpoint (ECS, DynamoDB, ...)
        if scaling.repeats:
            # one (maximum, minimum) per repeated block, e.g. each Azure autoscale profile's capacity
            block, _, max_leaf = scaling.max_attribute.rpartition(".")
            min_leaf = scaling.min_attribute.rpartition(".")[2]
            bounds = [(get(item, max_leaf), get(item, min_leaf)) for item in get_all(conf, block)] or [
                (None, None)
            ]
        else:
            bounds = [(get(conf, scaling.max_attribute), get(conf, scaling.min_attribute))]
        name = scaling.max_attribute.rpartition(".")[2]
        results = [self._judge(name, raw_maximum, raw_minimum) for raw_maximum, raw_minimum in bounds]
        if CheckResult.FAILED in results:
            return CheckResult.FAILED
        return CheckResult.PASSED if CheckResult.PASSED in results else CheckResult.UNKNOWN

    def _judge(self, name: str, raw_maximum: Any, raw_minimum: Any) -> CheckResult:
        if raw_maximum is not None and not is_resolved(raw_maximum):
            return CheckResult.UNKNOWN  # derived inside a module: judged at the module call
        maximum = as_number(raw_maximum)
        if maximum is None:
            self.details.append(f"{name} is missing or not a number")
            return CheckResult.FAILED
        minimum = as_number(raw_minimum) or 0
        problem = bound_problem(name, maximum, minimum)
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
