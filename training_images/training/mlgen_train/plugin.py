"""The plug-in interface: what a user module provides to the trainer.

Subclass :class:`TrainingPlugin` in your own module and point the ``plugin`` hyperparameter at it
(``--plugin my_project.model:FraudPlugin``). The trainer owns everything else: devices, DDP,
precision, checkpoints, resume, signals, MLflow.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgen_train.errors import TrainingSetupError

if TYPE_CHECKING:
    import torch
    from torch.utils.data import Dataset


class TrainingPlugin:
    """Base class for a model + data + loss. Constructed once per process.

    ``hyperparameters`` holds the hyperparameters the trainer does not know itself (strings, as
    every platform delivers them); parse your own keys here.
    """

    def __init__(self, hyperparameters: Mapping[str, str]) -> None:
        self.hyperparameters = dict(hyperparameters)

    # --- required -------------------------------------------------------------------------------
    def build_model(self) -> torch.nn.Module:
        """Return the model. Called after the trainer seeded every RNG, identically on every rank."""
        raise NotImplementedError

    def build_datasets(self, channels: Mapping[str, Path]) -> tuple[Dataset, Dataset | None]:
        """Return (train, validation) map-style datasets yielding ``(features, target)`` pairs.

        ``channels`` maps channel names (``train``, ``validation``, ...) to local directories.
        """
        raise NotImplementedError

    def loss(self, outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Mean loss over the micro-batch."""
        raise NotImplementedError

    # --- optional -------------------------------------------------------------------------------
    def metrics(self, outputs: torch.Tensor, targets: torch.Tensor) -> dict[str, float]:
        """Per-batch *means* of validation metrics; the trainer weights them by batch size."""
        return {}

    def configure_optimizer(self, model: torch.nn.Module, lr: float, weight_decay: float) -> Any:
        import torch

        return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)

    def model_signature(self) -> Any:
        """An ``mlflow.models.ModelSignature`` for the logged model, or None."""
        return None

    def input_example(self) -> Any:
        """A small input example (e.g. a pandas DataFrame) logged with the model, or None."""
        return None

    def dataset_version(self) -> str | None:
        """A version string for data that does not come from input channels (e.g. generated)."""
        return None

    def code_paths(self) -> list[str]:
        """Source paths MLflow bundles with the model so custom ``nn.Module`` classes unpickle at serving
        time. Default: the top-level package of this plug-in, unless it is the trainer itself."""
        top = type(self).__module__.split(".")[0]
        if top == "mlgen_train":
            return []
        module = importlib.import_module(top)
        source = Path(module.__file__ or "")
        return [str(source.parent if source.name == "__init__.py" else source)]


def load_plugin(reference: str, hyperparameters: Mapping[str, str]) -> TrainingPlugin:
    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise TrainingSetupError(
            f"plugin module {module_name!r} cannot be imported ({exc}); is it on PYTHONPATH?"
        ) from None
    factory = getattr(module, attribute, None)
    if factory is None:
        raise TrainingSetupError(f"plugin module {module_name!r} has no attribute {attribute!r}")
    plugin = factory(hyperparameters)
    if not isinstance(plugin, TrainingPlugin):
        raise TrainingSetupError(
            f"plugin {reference!r} must be a subclass of mlgen_train.plugin.TrainingPlugin"
        )
    return plugin
