"""MLG003: every endpoint's autoscaling has a bounded maximum."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, policy_name
from mlgen.policy.checks.support import as_number, get
from mlgen.policy.checks.tables import (
    ENDPOINT_AUTOSCALING,
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

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type == "aws_appautoscaling_target":
            namespace = get(conf, "service_namespace")
            if namespace not in ENDPOINT_SCALING_NAMESPACES:
                return CheckResult.UNKNOWN  # not an endpoint (ECS, DynamoDB, ...)
        max_attribute, min_attribute = ENDPOINT_AUTOSCALING[self.entity_type]
        maximum = as_number(get(conf, max_attribute))
        minimum = as_number(get(conf, min_attribute)) or 0
        if maximum is None:
            self.details.append(f"{max_attribute} is missing or not a number checkov could evaluate")
            return CheckResult.FAILED
        if maximum > MAX_ENDPOINT_REPLICAS or maximum < max(minimum, 1):
            self.details.append(
                f"{max_attribute} = {maximum:g} (must be between max(1, {min_attribute}) and {MAX_ENDPOINT_REPLICAS})"
            )
            return CheckResult.FAILED
        return CheckResult.PASSED


check = EndpointAutoscalingIsBounded()
