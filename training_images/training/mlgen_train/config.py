"""Typed training settings parsed from the platform's string hyperparameters.

Keys this module does not know are left for the plug-in (``TrainConfig.extra``), so a user model can
take its own hyperparameters through the same channel on every platform.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from mlgen_train.errors import TrainingSetupError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class TrainConfig:
    plugin: str = "mlgen_train.example:ExamplePlugin"
    epochs: int = 10
    max_steps: int = 0  # 0: as many optimizer steps as `epochs` allow
    global_batch_size: int = 128  # samples per optimizer step across all processes and micro-batches
    grad_accum_steps: int = 1
    lr: float = 3e-3
    weight_decay: float = 0.0
    lr_schedule: str = "cosine"  # cosine | linear | constant
    warmup_steps: int = 0
    max_grad_norm: float = 1.0  # 0 disables clipping
    seed: int = 42
    device: str = "auto"  # auto | cpu | cuda ; auto = the local GPU when one is visible
    precision: str = "auto"  # auto | bf16 | fp16 | fp32 ; auto = bf16 on GPUs that have it, else fp32
    nproc_per_node: int = 0  # 0: one process per visible GPU (1 on CPU)
    num_workers: int = 0
    checkpoint_every_steps: int = 500
    checkpoint_every_minutes: float = 10.0
    keep_checkpoints: int = 3
    log_every_steps: int = 10
    mlflow: bool = True
    save_model: bool = True
    experiment_name: str = "mlgen"
    run_name: str = ""
    registered_model_name: str = ""
    dataset_hash: str = "content"  # content | metadata
    step_delay_s: float = 0.0  # test aid: sleep after each step to simulate a slow model
    extra: dict[str, str] = field(default_factory=dict)


_CHOICES = {
    "lr_schedule": ("cosine", "linear", "constant"),
    "precision": ("auto", "bf16", "fp16", "fp32"),
    "device": ("auto", "cpu", "cuda"),
    "dataset_hash": ("content", "metadata"),
}


def _convert(name: str, kind: type, raw: str) -> object:
    text = raw.strip()
    try:
        if kind is bool:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError
        if kind is int:
            try:
                return int(text)
            except ValueError:
                number = float(text)  # SageMaker SDKs may send "1e3" or "10.0" for integers
                if not number.is_integer():
                    raise
                return int(number)
        if kind is float:
            return float(text)
    except ValueError:
        raise TrainingSetupError(f"hyperparameter {name}={raw!r} is not a valid {kind.__name__}") from None
    return text


def load_config(hyperparameters: Mapping[str, str]) -> TrainConfig:
    known = {f.name: f for f in dataclasses.fields(TrainConfig) if f.name != "extra"}
    values: dict[str, object] = {}
    extra: dict[str, str] = {}
    for key, raw in hyperparameters.items():
        name = key.replace("-", "_")
        if name not in known:
            extra[name] = raw
            continue
        kind = type(known[name].default)
        value = _convert(name, kind, str(raw))
        if name in _CHOICES and value not in _CHOICES[name]:
            raise TrainingSetupError(
                f"hyperparameter {name}={raw!r} must be one of {', '.join(_CHOICES[name])}"
            )
        values[name] = value
    config = TrainConfig(**values, extra=extra)
    _validate(config)
    return config


def _validate(config: TrainConfig) -> None:
    positive = ("epochs", "global_batch_size", "grad_accum_steps", "keep_checkpoints", "log_every_steps")
    for name in positive:
        if getattr(config, name) < 1:
            raise TrainingSetupError(f"hyperparameter {name} must be at least 1, got {getattr(config, name)}")
    for name in ("max_steps", "warmup_steps", "nproc_per_node", "num_workers", "checkpoint_every_steps"):
        if getattr(config, name) < 0:
            raise TrainingSetupError(
                f"hyperparameter {name} must not be negative, got {getattr(config, name)}"
            )
    if config.lr <= 0:
        raise TrainingSetupError(f"hyperparameter lr must be positive, got {config.lr}")
    if ":" not in config.plugin:
        raise TrainingSetupError(
            f"hyperparameter plugin={config.plugin!r} must look like 'package.module:Class'"
        )
