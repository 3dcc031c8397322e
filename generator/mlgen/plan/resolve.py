"""Spec -> Plan: fill what the spec leaves derived (tags, state bucket, alert e-mails, regions)."""

from __future__ import annotations

import re

from mlgen.clouds import capabilities, get_adapter
from mlgen.plan.models import EnvironmentPlan, Plan, StatePlan
from mlgen.spec.models import EMAIL_PATTERN, ENVIRONMENT_NAMES, EnvironmentSpec, Spec


def resolve_plan(spec: Spec) -> Plan:
    """The fully resolved plan of a loaded spec (see mlgen.spec.load_spec)."""
    base_tags = {
        "project": spec.project,
        "owner": spec.owner,
        "cost-center": spec.cost_center,
        "managed-by": "mlgen",
    }
    ordered = [name for name in ENVIRONMENT_NAMES if name in spec.environments]
    environments = {name: _environment(spec, name, spec.environments[name], base_tags) for name in ordered}
    # The environment tag differs per environment: it lives in EnvironmentPlan.tags, not here.
    plan_tags = dict(sorted({**spec.tags, **base_tags}.items()))
    return Plan(
        project=spec.project,
        cloud=spec.cloud,
        region=spec.region,
        blueprint=spec.blueprint,
        owner=spec.owner,
        cost_center=spec.cost_center,
        tags=plan_tags,
        environments=environments,
        output_format=spec.format,
        cdktf_library=spec.cdktf_library,
    )


def _environment(spec: Spec, name: str, env: EnvironmentSpec, base_tags: dict[str, str]) -> EnvironmentPlan:
    owner_emails = [spec.owner] if re.match(EMAIL_PATTERN, spec.owner) else []
    tags = dict(sorted({**spec.tags, **base_tags, "environment": name}.items()))
    return EnvironmentPlan(
        name=name,
        account_id=env.account_id,
        region=env.region or spec.region,
        deletion_protection=env.deletion_protection,
        tags=tags,
        network=env.network,
        storage=env.storage,
        encryption=env.encryption,
        access=env.access,
        training=env.training,
        serving=env.serving,
        tracking=env.tracking,
        budgets=env.budgets.model_copy(update={"emails": env.budgets.emails or owner_emails}),
        monitoring=env.monitoring.model_copy(update={"emails": env.monitoring.emails or owner_emails}),
        state=_state(spec, name, env),
    )


def _state(spec: Spec, name: str, env: EnvironmentSpec) -> StatePlan:
    backend = env.state.backend or capabilities(spec.cloud).state_backend
    return StatePlan(
        backend=backend,
        bucket=env.state.bucket or get_adapter(spec.cloud).state_bucket(spec.project, name, env.account_id),
        key_prefix=env.state.key_prefix,
        key=f"{env.state.key_prefix}/{spec.project}/{name}.tfstate",
    )
