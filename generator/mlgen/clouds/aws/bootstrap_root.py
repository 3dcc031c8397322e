"""The state-bootstrap root of one AWS environment.

Remote state needs a bucket before any environment can use it, so this small root keeps its own
state locally (commit nothing: back up infra/bootstrap/<env>/terraform.tfstate, or migrate it into the
bucket it created once that exists).
"""

from __future__ import annotations

from mlgen.clouds.aws.environment_root import COMMON_INPUTS, MODULES
from mlgen.clouds.aws.root_blocks import outputs_file, provider_block, terraform_block
from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import module_call, render_block, render_file


def bootstrap_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    locals_block = render_block(
        "locals", [], {"project": project, "environment": env.name, "tags": dict(env.tags)}
    )
    state = module_call(
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
    outputs = [
        (
            "state_bucket_name",
            "module.state.bucket_name",
            "Bucket that holds the environment's Terraform state.",
        ),
        ("state_kms_key_arn", "module.state.kms_key_arn", "KMS key that encrypts the state bucket."),
        ("backend_config", "module.state.backend_config", "Settings for the environment root's S3 backend."),
    ]
    return TerraformRoot(
        directory=f"infra/bootstrap/{env.name}",
        files={
            "versions.tf": terraform_block(backend=None),
            "providers.tf": provider_block(env),
            "main.tf": render_file([locals_block, state]),
            "outputs.tf": outputs_file(outputs),
        },
    )
