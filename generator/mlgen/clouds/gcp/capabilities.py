"""What GCP offers, as the spec checks it (see mlgen.clouds.capability_types)."""

from __future__ import annotations

from mlgen.clouds.capability_types import CiIdentity, CloudCapabilities, IdFormat, NameLimits
from mlgen.clouds.gcp.catalog import GPU_MACHINES

CAPABILITIES = CloudCapabilities(
    cloud="gcp",
    regions=(
        "africa-south1",
        "asia-east1",
        "asia-east2",
        "asia-northeast1",
        "asia-northeast2",
        "asia-northeast3",
        "asia-south1",
        "asia-south2",
        "asia-southeast1",
        "asia-southeast2",
        "australia-southeast1",
        "australia-southeast2",
        "europe-central2",
        "europe-north1",
        "europe-southwest1",
        "europe-west1",
        "europe-west10",
        "europe-west12",
        "europe-west2",
        "europe-west3",
        "europe-west4",
        "europe-west6",
        "europe-west8",
        "europe-west9",
        "me-central1",
        "me-central2",
        "me-west1",
        "northamerica-northeast1",
        "northamerica-northeast2",
        "southamerica-east1",
        "southamerica-west1",
        "us-central1",
        "us-east1",
        "us-east4",
        "us-east5",
        "us-south1",
        "us-west1",
        "us-west2",
        "us-west3",
        "us-west4",
    ),
    default_region="us-central1",
    # Derived from the machine table the adapter picks from, so validate accepts exactly the counts generate
    # can map to a machine type; GCP has neither A10G nor A10.
    gpu_counts={kind: tuple(sorted(sizes)) for kind, sizes in GPU_MACHINES.items()},
    serverless_serving=False,  # Vertex AI endpoints keep at least one replica
    log_retention_days=None,
    log_service="Cloud Logging",
    budget_currencies=("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "BRL"),
    account_id=IdFormat(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$", "a GCP project id such as my-project-dev"),
    principal=IdFormat(
        r"^(user|group|serviceAccount|domain):[^\s]+$", "a GCP member such as group:data-science@example.com"
    ),
    state_backend="gcs",
    name_limits=NameLimits(project=24, zone=32, endpoint=32, variant=32),
    placeholder_accounts={"dev": "{project}-dev", "staging": "{project}-staging", "prod": "{project}-prod"},
    generated=True,
    # CI jobs impersonate a service account through Workload Identity Federation; the environment root
    # outputs the e-mails (and the provider name, ci_workload_identity_provider).
    ci_identity=CiIdentity(
        noun="service account e-mails",
        variable_kind="SERVICE_ACCOUNT",
        plan_output="ci_plan_service_account",
        apply_output="ci_apply_service_account",
    ),
    ci_action_pins={
        "google-github-actions/auth": ("6fc4af4b145ae7821d527454aa9bd537d1f2dc5f", "v2.1.7"),
    },
)
