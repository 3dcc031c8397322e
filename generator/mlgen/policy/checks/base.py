"""Glue between the policy catalog and checkov's check base classes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult

from mlgen.policy.catalog import POLICY_BY_ID


def policy_name(policy_id: str) -> str:
    return POLICY_BY_ID[policy_id].name


CATEGORIES = {
    "MLG001": (CheckCategories.CONVENTION,),
    "MLG002": (CheckCategories.GENERAL_SECURITY,),
    "MLG003": (CheckCategories.GENERAL_SECURITY,),
    "MLG004": (CheckCategories.LOGGING,),
    "MLG005": (CheckCategories.ENCRYPTION,),
    "MLG006": (CheckCategories.BACKUP_AND_RECOVERY,),
    "MLG007": (CheckCategories.IAM,),
    "MLG008": (CheckCategories.SUPPLY_CHAIN,),
}


def fail_on_error(scan: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Turn an exception inside a policy into a failed result that says so.

    checkov logs a crashing check and drops its result, which would read as "nothing wrong". A policy
    that cannot evaluate a block must be visible, so the block fails with the error in its details.
    """

    @functools.wraps(scan)
    def guarded(self: Any, conf: Any) -> Any:
        try:
            return scan(self, conf)
        except Exception as error:  # noqa: BLE001 - any policy bug must surface as a failure
            self.details.append(
                f"mlgen policy {self.id} could not evaluate this block ({type(error).__name__}: {error}); "
                "please report it"
            )
            return (CheckResult.FAILED, None) if self.block_type == "dockerfile" else CheckResult.FAILED

    return guarded
