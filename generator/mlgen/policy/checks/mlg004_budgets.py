"""MLG004: every environment has a budget with at least one notification.

An environment is a Terraform root: a directory with a (non-aliased) provider block. The check runs
on that provider block and looks through checkov's resource graph for a budget resource that belongs
to the same root -- declared there or inside a module the root calls -- with a notification that
reaches someone (an email address, a topic, a notification channel, or the recipients the cloud
notifies by default; each cloud's budget types and recipient attributes are in ``BUDGET_NOTIFICATIONS``).

State-bootstrap roots (a directory named `bootstrap` in the root's path, as mlgen generates them under
infra/bootstrap/<env>) only create the bucket that holds the environment's state; the environment and its
budget live in the environment root, so they are not judged on their own.
"""

from __future__ import annotations

import os
from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import (
    as_bool,
    config_of_vertex,
    get,
    get_all,
    graph_vertices,
    root_file_of_vertex,
    vertices_for_entity,
)
from mlgen.policy.checks.tables import BUDGET_NOTIFICATIONS, BUDGETED_PROVIDERS

BOOTSTRAP_DIR = "bootstrap"


def has_notification(resource_type: str, conf: dict[str, Any]) -> bool:
    facts = BUDGET_NOTIFICATIONS[resource_type]
    block = facts.block
    # `dynamic "notification"` blocks keep their (unrendered) content under "dynamic"; a recipient given
    # as a reference (var.emails, a topic ARN) still counts as a recipient.
    notifications = (
        get_all(conf, block) + get_all(conf, f"dynamic.{block}") + get_all(conf, f"dynamic.{block}.content")
    )
    if not notifications:
        return False
    if any(get(conf, recipient) for recipient in facts.budget_recipients):
        return True  # the budget names recipients for every threshold
    if facts.default_recipients_off and as_bool(get(conf, facts.default_recipients_off)) is not True:
        return True  # the cloud's default recipients (GCP: billing account admins) are told
    return any(
        any(get(notification, recipient) for recipient in facts.recipients) for notification in notifications
    )


class EnvironmentHasBudget(BaseProviderCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG004"),
            id="MLG004",
            categories=CATEGORIES["MLG004"],
            supported_provider=BUDGETED_PROVIDERS,
        )

    @fail_on_error
    def scan_provider_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if get(conf, "alias") or self.graph is None:
            return CheckResult.UNKNOWN
        roots = {os.path.dirname(root_file_of_vertex(v)) for _, v in vertices_for_entity(self, conf)}
        if not roots or all(BOOTSTRAP_DIR in root.replace(os.sep, "/").split("/") for root in roots):
            return CheckResult.UNKNOWN
        budgets_seen = 0
        for _, attributes in graph_vertices(self.graph):
            resource_type = attributes.get("resource_type")
            if attributes.get("block_type_") != "resource" or resource_type not in BUDGET_NOTIFICATIONS:
                continue
            if os.path.dirname(root_file_of_vertex(attributes)) not in roots:
                continue
            budgets_seen += 1
            if has_notification(resource_type, config_of_vertex(attributes) or {}):
                return CheckResult.PASSED
        if budgets_seen:
            self.details.append("the environment's budget has no notification with a recipient")
        else:
            self.details.append("no budget resource in this environment root or the modules it calls")
        return CheckResult.FAILED


check = EnvironmentHasBudget()
