"""Bundled example: a small MLP regression on synthetic tabular data (no downloads).

Model convention shared with the serving image: 8 float32 input columns ``x0``..``x7``, one float
prediction per row. The model is an ``nn.Sequential`` of built-in layers, so the serving side unpickles
it with nothing but torch installed.

If a ``train`` channel holds CSV files with a header ``x0,...,x7,y``, the example trains on them
instead of generating data (``validation`` likewise), which shows the channel plumbing end to end.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mlgen_train.plugin import TrainingPlugin

NUM_FEATURES = 8
FEATURE_COLUMNS = [f"x{i}" for i in range(NUM_FEATURES)]
TARGET_COLUMN = "y"


def synthetic_regression(num_samples: int, seed: int, noise: float) -> tuple[Any, Any]:
    """Deterministic nonlinear target: a linear part plus interactions the MLP has to learn."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    weights = torch.linspace(-1.0, 1.0, NUM_FEATURES)
    features = torch.randn(num_samples, NUM_FEATURES, generator=generator)
    target = (
        features @ weights
        + 0.5 * torch.sin(2.0 * features[:, 0])
        + 0.3 * features[:, 1] * features[:, 2]
        + noise * torch.randn(num_samples, generator=generator)
    )
    return features, target


def read_csv_dir(directory: Path) -> tuple[Any, Any] | None:
    import torch

    files = sorted(directory.glob("*.csv"))
    if not files:
        return None
    rows: list[list[float]] = []
    for path in files:
        with open(path, newline="") as handle:
            for record in csv.DictReader(handle):
                rows.append([float(record[name]) for name in [*FEATURE_COLUMNS, TARGET_COLUMN]])
    table = torch.tensor(rows, dtype=torch.float32)
    return table[:, :NUM_FEATURES], table[:, NUM_FEATURES]


class ExamplePlugin(TrainingPlugin):
    def __init__(self, hyperparameters: Mapping[str, str]) -> None:
        super().__init__(hyperparameters)
        self.train_samples = int(self.hyperparameters.get("example_samples", "4096"))
        self.val_samples = int(self.hyperparameters.get("example_val_samples", "1024"))
        self.hidden = int(self.hyperparameters.get("example_hidden", "64"))
        self.data_seed = int(self.hyperparameters.get("data_seed", "1234"))
        self.noise = float(self.hyperparameters.get("example_noise", "0.05"))
        self._example = None

    def build_model(self) -> Any:
        from torch import nn

        return nn.Sequential(
            nn.Linear(NUM_FEATURES, self.hidden),
            nn.ReLU(),
            nn.Linear(self.hidden, self.hidden),
            nn.ReLU(),
            nn.Linear(self.hidden, 1),
            nn.Flatten(start_dim=0),  # (N, 1) -> (N,): one float per row
        )

    def build_datasets(self, channels: Mapping[str, Path]) -> tuple[Any, Any]:
        from torch.utils.data import TensorDataset

        train = read_csv_dir(channels["train"]) if "train" in channels else None
        validation = read_csv_dir(channels["validation"]) if "validation" in channels else None
        if train is None:
            train = synthetic_regression(self.train_samples, self.data_seed, self.noise)
        if validation is None:
            validation = synthetic_regression(self.val_samples, self.data_seed + 1, self.noise)
        self._example = validation[0][:5]
        return TensorDataset(*train), TensorDataset(*validation)

    def loss(self, outputs: Any, targets: Any) -> Any:
        from torch.nn import functional

        return functional.mse_loss(outputs.float(), targets)

    def metrics(self, outputs: Any, targets: Any) -> dict[str, float]:
        error = outputs.float() - targets
        return {"mse": float((error**2).mean()), "mae": float(error.abs().mean())}

    def model_signature(self) -> Any:
        from mlflow.models import ModelSignature
        from mlflow.types import ColSpec, Schema

        return ModelSignature(
            inputs=Schema([ColSpec("float", name) for name in FEATURE_COLUMNS]),
            outputs=Schema([ColSpec("float")]),
        )

    def input_example(self) -> Any:
        import pandas as pd

        if self._example is None:
            return None
        return pd.DataFrame(self._example.numpy(), columns=FEATURE_COLUMNS).astype("float32")

    def dataset_version(self) -> str:
        recipe = f"synthetic-v1:{self.train_samples}:{self.val_samples}:{self.data_seed}:{self.noise}"
        return "synthetic-" + hashlib.sha256(recipe.encode()).hexdigest()[:16]
