"""Real answers for the google data sources whose values generated code validates or computes with (the
project number, the billing account, service agent members). Derived from the configuration and the
provider block only, so a plan is a pure function of the root."""

from __future__ import annotations

import hashlib
from typing import Any

BILLING_ACCOUNT = "000000-000000-000000"


def _project(config: dict[str, Any], provider_config: dict[str, Any]) -> str:
    return (
        config.get("project_id")
        or config.get("project")
        or provider_config.get("project")
        or "harness-project"
    )


def project_number(project_id: str) -> str:
    """A stable 12-digit number per project id (real project numbers are digits too)."""
    return str(
        100_000_000_000 + int(hashlib.sha256(project_id.encode()).hexdigest()[:12], 16) % 900_000_000_000
    )


def answer(provider: str, type_name: str, config: dict[str, Any], provider_config: dict[str, Any]) -> dict:
    if provider not in ("google", "google-beta"):
        return {}
    project = _project(config, provider_config)
    number = project_number(project)
    if type_name == "google_project":
        return {
            "project_id": project,
            "number": number,
            "name": project,
            "billing_account": BILLING_ACCOUNT,
            "id": f"projects/{project}",
        }
    if type_name == "google_storage_project_service_account":
        email = f"service-{number}@gs-project-accounts.iam.gserviceaccount.com"
        return {"email_address": email, "member": f"serviceAccount:{email}"}
    return {}
