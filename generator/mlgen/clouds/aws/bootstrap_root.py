"""The state-bootstrap root of one AWS environment.

Remote state needs a bucket before any environment can use it, so this small root keeps its own
state locally (commit nothing: back up infra/bootstrap/<env>/terraform.tfstate, or migrate it into the
bucket it created once that exists).
"""

from __future__ import annotations

from mlgen.clouds.aws.environment_root import COMMON_INPUTS, MODULES, root_locals
from mlgen.clouds.aws.root_blocks import TERRAFORM_VERSION, aws_provider, outputs, terraform_root
from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.render.root_model import ModuleCall, RootModule


def bootstrap_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    state = ModuleCall(
        "state",
        f"{MODULES}/state_bootstrap",
        {
            **COMMON_INPUTS,
            "bucket_name": env.state.bucket,
            "deletion_protection": env.deletion_protection,
            "key_deletion_window_in_days": env.encryption.key_deletion_window_days,
            "access_log_retention_days": env.storage.access_log_retention_days,
        },
    )
    root_outputs = [
        (
            "state_bucket_name",
            "module.state.bucket_name",
            "Bucket that holds the environment's Terraform state.",
        ),
        ("state_kms_key_arn", "module.state.kms_key_arn", "KMS key that encrypts the state bucket."),
        ("backend_config", "module.state.backend_config", "Settings for the environment root's S3 backend."),
    ]
    return terraform_root(
        RootModule(
            directory=f"infra/bootstrap/{env.name}",
            required_version=TERRAFORM_VERSION,
            providers=(aws_provider(env),),
            backend=None,
            locals=root_locals(project, env),
            modules=(state,),
            outputs=outputs(root_outputs),
        )
    )
