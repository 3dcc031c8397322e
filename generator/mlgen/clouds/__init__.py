"""Cloud adapters: the only code that knows cloud names (instance types, services, module sources).

Each adapter turns a cloud-neutral :class:`~mlgen.plan.Plan` into Terraform roots (module calls and root
settings). Adding a cloud means adding an adapter module here and its Terraform modules under
``modules/<cloud>/``; nothing else in the pipeline changes.
"""

from __future__ import annotations

import importlib

from mlgen.clouds.base import CloudAdapter

_ADAPTERS = {"aws": "mlgen.clouds.aws.adapter:AwsAdapter"}


class UnsupportedCloudError(Exception):
    """Raised for a cloud whose adapter has not been written yet."""


def get_adapter(cloud: str) -> CloudAdapter:
    if cloud not in _ADAPTERS:
        supported = ", ".join(sorted(_ADAPTERS))
        raise UnsupportedCloudError(
            f"generating Terraform for cloud {cloud!r} is not supported yet (supported: {supported})"
        )
    module_name, class_name = _ADAPTERS[cloud].split(":")
    return getattr(importlib.import_module(module_name), class_name)()


def supported_clouds() -> list[str]:
    return sorted(_ADAPTERS)
