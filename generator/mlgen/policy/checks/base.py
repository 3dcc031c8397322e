"""Glue between the policy catalog and checkov's check base classes."""

from __future__ import annotations

from checkov.common.models.enums import CheckCategories

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
