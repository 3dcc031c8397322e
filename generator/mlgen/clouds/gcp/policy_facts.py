"""The Google Cloud resource types and attributes the ML policies read (mlgen.clouds.policy_fact_types)."""

from __future__ import annotations

from mlgen.clouds.policy_fact_types import GpuCapacity, PolicyFacts

# Compute Engine: an attached accelerator makes any machine GPU capacity; spot is either scheduling flag.
_COMPUTE = GpuCapacity(
    machine_attribute="machine_type",
    accelerator_attribute="guest_accelerator",
    spot_values={"scheduling.provisioning_model": frozenset({"spot"})},
    spot_flags=("scheduling.preemptible",),
)

POLICY_FACTS = PolicyFacts(
    cloud="gcp",
    default_tag_providers={"google": ("", "default_labels"), "google-beta": ("", "default_labels")},
    gpu_instance_prefixes=("a2-", "a3-", "g2-"),
    gpu_capacity={
        "google_compute_instance_template": _COMPUTE,
        "google_compute_region_instance_template": _COMPUTE,
        "google_compute_instance": _COMPUTE,
    },
    budget_notifications={"google_billing_budget": "threshold_rules"},
    budgeted_providers=("google",),
    protected_resources=(
        "google_storage_bucket",
        "google_kms_crypto_key",
        "google_artifact_registry_repository",
    ),
    image_attributes={
        "google_cloud_run_v2_service": ("template.containers.image",),
        "google_cloud_run_v2_job": ("template.template.containers.image",),
    },
)
