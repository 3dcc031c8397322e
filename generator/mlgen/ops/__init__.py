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


def get_ops(context: OpsContext) -> CloudOps:
    """The ops adapter of the context's cloud: ``mlgen.clouds.<cloud>.ops.adapter.OPS_ADAPTER`` (a class
    taking the context). Exit 2 for a cloud whose ops adapter is not written yet."""
    import click

    cloud = context.plan.cloud
    try:
        module = importlib.import_module(f"mlgen.clouds.{cloud}.ops.adapter")
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith(f"mlgen.clouds.{cloud}"):
            raise
        raise click.UsageError(
            f"mlgen cannot operate {cloud} environments yet: doctor, train, release, teardown and images "
            "need the cloud's ops adapter"
        ) from error
    return module.OPS_ADAPTER(context)


__all__ = ["CloudOps", "OpsContext", "OpsError", "get_ops"]
