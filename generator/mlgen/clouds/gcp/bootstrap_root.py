"""The state-bootstrap root of one GCP environment.

Remote state needs a bucket before the environment root can use it, so this small root keeps its own state
locally (back up infra/bootstrap/<env>/terraform.tfstate, or migrate it into the bucket once that exists).
It enables the APIs it and the environment root's first reads need: nothing else has run in a fresh project.
"""

from __future__ import annotations

from mlgen.clouds.base import TerraformRoot
from mlgen.clouds.gcp import naming
from mlgen.clouds.gcp.root_blocks import (
    MODULES,
    TERRAFORM_VERSION,
    google_providers,
    outputs,
    root_locals,
    terraform_root,
)
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Ref
from mlgen.render.root_model import ModuleCall, RootModule

# The environment root reads the project (number, billing account) before its own services module runs,
# so Resource Manager is switched on here, with what the state bucket needs.
BOOTSTRAP_SERVICES = [
    "cloudkms.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "storage.googleapis.com",
]
COMMON_INPUTS = {"project_id": Ref("local.project_id"), "labels": Ref("local.labels")}


def bootstrap_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    services = ModuleCall(
        "services",
        f"{MODULES}/project_services",
        {"project_id": Ref("local.project_id"), "services": BOOTSTRAP_SERVICES},
    )
    state = ModuleCall(
        "state",
        f"{MODULES}/state_bootstrap",
        {
            **COMMON_INPUTS,
            "location": env.region,
            "bucket_name": env.state.bucket,
            "log_bucket_name": naming.bucket_name(env, "tfstate-logs"),
            "key_ring_name": naming.state_key_ring(env),
            "deletion_protection": env.deletion_protection,
            "key_destroy_scheduled_days": env.encryption.key_deletion_window_days,
            "access_log_retention_days": env.storage.access_log_retention_days,
        },
        meta={"depends_on": [Ref("module.services")]},
    )
    root_outputs = [
        (
            "state_bucket_name",
            "module.state.bucket_name",
            "Bucket that holds the environment's Terraform state.",
        ),
        ("state_kms_key_id", "module.state.kms_key_id", "Cloud KMS key that encrypts the state bucket."),
        ("backend_config", "module.state.backend_config", "Settings for the environment root's gcs backend."),
    ]
    return terraform_root(
        RootModule(
            directory=f"infra/bootstrap/{env.name}",
            required_version=TERRAFORM_VERSION,
            providers=google_providers(env, beta=False),
            backend=None,
            locals=root_locals(project, env),
            modules=(services, state),
            outputs=outputs(root_outputs),
        )
    )
