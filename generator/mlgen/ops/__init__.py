"""Operations on a deployed landing zone: doctor, train, release, teardown, images.

These are the only commands of mlgen that talk to a cloud. The package is cloud-neutral: the CLI calls
:func:`get_ops`, which returns the ops adapter of the project's cloud (``mlgen.clouds.<cloud>.ops``), and
the orchestration here (teardown order and guards, release file, job names) never names a cloud service.
Cloud SDKs are imported only inside the adapters, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib

from mlgen.ops.base import CloudOps
from mlgen.ops.context import OpsContext
from mlgen.ops.errors import OpsError

_OPS_ADAPTERS = {"aws": "mlgen.clouds.aws.ops.adapter:AwsOps"}


def get_ops(context: OpsContext) -> CloudOps:
    """The ops adapter for the context's cloud (exit 2 for a cloud whose adapter is not written yet)."""
    import click

    cloud = context.plan.cloud
    if cloud not in _OPS_ADAPTERS:
        supported = ", ".join(sorted(_OPS_ADAPTERS))
        raise click.UsageError(f"mlgen cannot operate {cloud} environments yet (supported: {supported})")
    module_name, class_name = _OPS_ADAPTERS[cloud].split(":")
    return getattr(importlib.import_module(module_name), class_name)(context)


__all__ = ["CloudOps", "OpsContext", "OpsError", "get_ops"]
