"""The training loop: DDP, precision, accumulation, clipping, schedule, checkpoints, resume, signals.

One process of a (possibly single-process) job runs :func:`run_training`. Results are independent of
how many processes share the work: ``global_batch_size`` is split across ranks and micro-batches, and
the per-epoch permutation (``DistributedSampler`` seeded with ``seed + epoch``) does not depend on the
world size, so one process and N processes consume the same samples in the same optimizer steps.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import math
import os
import random
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mlgen_train.checkpoint import load_latest_checkpoint, save_checkpoint
from mlgen_train.config import TrainConfig
from mlgen_train.errors import TrainingSetupError
from mlgen_train.manifest import build_manifest
from mlgen_train.platform import RuntimeContext
from mlgen_train.plugin import TrainingPlugin, load_plugin
from mlgen_train.signals import EXIT_INTERRUPTED, StopFlag
from mlgen_train.tracking import MlflowTracker, NullTracker, save_model_dir

log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    status: str  # completed | interrupted
    step: int
    total_steps: int
    resumed_from_step: int
    world_size: int
    metrics: dict[str, float] = field(default_factory=dict)
    mlflow_run_id: str | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.status == "completed" else EXIT_INTERRUPTED


def emit(event: str, **fields: Any) -> None:
    """One JSON line on stdout per event: CloudWatch, Cloud Logging and Azure parse them as records."""
    print(json.dumps({"event": event, **fields}, sort_keys=True), flush=True)


def code_version() -> str:
    """Baked in at image build (MLGEN_CODE_VERSION); from git when run from a checkout."""
    if os.environ.get("MLGEN_CODE_VERSION"):
        return os.environ["MLGEN_CODE_VERSION"]
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def lr_multiplier(schedule: str, warmup: int, total: int) -> Any:
    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        if schedule == "constant":
            return 1.0
        progress = min((step - warmup) / max(total - warmup, 1), 1.0)
        if schedule == "linear":
            return 1.0 - progress
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return factor


def capture_rng() -> dict[str, Any]:
    import numpy as np
    import torch

    numpy_state = np.random.get_state()
    state = {
        "torch": torch.get_rng_state(),
        "python": list(random.getstate()[1]),
        "python_version": random.getstate()[0],
        "python_gauss": random.getstate()[2],
        # numpy's state holds an ndarray; as tensors it loads under torch.load(weights_only=True).
        "numpy_keys": torch.from_numpy(numpy_state[1].astype("int64")),
        "numpy_pos": int(numpy_state[2]),
        "numpy_has_gauss": int(numpy_state[3]),
        "numpy_gauss": float(numpy_state[4]),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state()
    return state


def restore_rng(state: dict[str, Any]) -> None:
    import numpy as np
    import torch

    torch.set_rng_state(state["torch"])
    random.setstate((state["python_version"], tuple(state["python"]), state["python_gauss"]))
    np.random.set_state(
        (
            "MT19937",
            state["numpy_keys"].numpy().astype("uint32"),
            state["numpy_pos"],
            state["numpy_has_gauss"],
            state["numpy_gauss"],
        )
    )
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state["cuda"])


def seed_everything(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _holds_foreign_files(directory: Path) -> bool:
    if not directory.is_dir():
        return False
    entries = [entry for entry in directory.iterdir() if not entry.name.startswith(".mlgen-write-probe")]
    return bool(entries) and not (directory / "MLmodel").is_file()


def ensure_writable(ctx: RuntimeContext) -> None:
    """Fail in the first second, not after hours of training, when an output location is read-only."""
    for what, directory in (
        ("model directory", ctx.model_dir),
        ("checkpoint directory", ctx.checkpoint_dir),
        ("output directory", ctx.output_dir),
    ):
        if directory == ctx.model_dir and _holds_foreign_files(directory):
            raise TrainingSetupError(
                f"the model directory {directory} holds files that are not an MLflow model; the final "
                "model replaces the directory's contents, so point --model-dir at an empty directory"
            )
        probe = directory / f".mlgen-write-probe-{os.getpid()}"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise TrainingSetupError(
                f"cannot write to the {what} {directory} as uid {os.getuid()}: {exc.strerror}. "
                "Mount it writable for this user (on SageMaker, build the image with "
                "--build-arg TRAINING_USER=root if /opt/ml is only writable by root)"
            ) from None


class _Runtime:
    """Device, process group and precision for this process."""

    def __init__(self, ctx: RuntimeContext, config: TrainConfig) -> None:
        import torch
        import torch.distributed as dist

        layout = ctx.layout
        self.world_size = layout.world_size if layout.processes_launched else 1
        self.rank = layout.rank if layout.processes_launched else 0
        self.local_rank = layout.local_rank if layout.processes_launched else 0
        if config.device == "cuda" and not torch.cuda.is_available():
            raise TrainingSetupError("device=cuda was requested but no GPU is visible to PyTorch")
        if torch.cuda.is_available() and config.device != "cpu":
            torch.cuda.set_device(self.local_rank % torch.cuda.device_count())
            self.device = torch.device("cuda", torch.cuda.current_device())
        else:
            self.device = torch.device("cpu")
        self.distributed = self.world_size > 1
        if self.distributed and not dist.is_initialized():
            dist.init_process_group(backend="nccl" if self.device.type == "cuda" else "gloo")
        self.precision = self._choose_precision(config.precision)
        self.autocast_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)

    def _choose_precision(self, requested: str) -> str:
        import torch

        if self.device.type != "cuda":
            if requested in ("bf16", "fp16"):
                log.warning("precision %s requested but no GPU is visible; training in fp32", requested)
            return "fp32"
        if requested == "auto":
            # T4s lack bf16; fp16 with loss scaling is their fast path.
            return "bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16"
        return requested

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def autocast(self) -> Any:
        import torch

        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type="cuda", dtype=self.autocast_dtype)

    def all_reduce_sum(self, values: list[float]) -> list[float]:
        import torch
        import torch.distributed as dist

        if not self.distributed:
            return values
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(tensor)
        return tensor.tolist()

    def gather_objects(self, value: Any) -> list[Any]:
        import torch.distributed as dist

        if not self.distributed:
            return [value]
        gathered: list[Any] = [None] * self.world_size
        dist.all_gather_object(gathered, value)
        return gathered

    def barrier(self) -> None:
        import torch.distributed as dist

        if self.distributed:
            dist.barrier()

    def shutdown(self) -> None:
        import torch.distributed as dist

        if self.distributed and dist.is_initialized():
            dist.destroy_process_group()


def _evaluate(model: Any, plugin: TrainingPlugin, dataset: Any, runtime: _Runtime, batch_size: int) -> dict:
    import torch
    from torch.utils.data import DataLoader
    from torch.utils.data.distributed import DistributedSampler

    sampler = DistributedSampler(
        dataset, num_replicas=runtime.world_size, rank=runtime.rank, shuffle=False, drop_last=False
    )
    loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
    sums: dict[str, float] = {}
    count = 0
    model.eval()
    with torch.no_grad(), runtime.autocast():
        for features, targets in loader:
            features, targets = features.to(runtime.device), targets.to(runtime.device)
            outputs = model(features)
            batch = {"loss": float(plugin.loss(outputs, targets)), **plugin.metrics(outputs, targets)}
            for key, value in batch.items():
                sums[key] = sums.get(key, 0.0) + value * len(targets)
            count += len(targets)
    model.train()
    keys = sorted(sums)
    totals = runtime.all_reduce_sum([sums[key] for key in keys] + [float(count)])
    return {f"val_{key}": totals[i] / max(totals[-1], 1.0) for i, key in enumerate(keys)}


class _Schedule:
    """Steps, batch split and epoch bookkeeping derived from the config and the world size."""

    def __init__(self, config: TrainConfig, world_size: int, dataset_size: int) -> None:
        if config.global_batch_size % (world_size * config.grad_accum_steps):
            raise TrainingSetupError(
                f"global_batch_size={config.global_batch_size} must be divisible by world size {world_size} "
                f"x grad_accum_steps {config.grad_accum_steps}"
            )
        self.per_rank = config.global_batch_size // world_size
        self.micro_batch = self.per_rank // config.grad_accum_steps
        samples_per_rank = math.ceil(dataset_size / world_size)
        self.steps_per_epoch = samples_per_rank // self.per_rank
        if self.steps_per_epoch < 1:
            raise TrainingSetupError(
                f"the training set has {dataset_size} samples, fewer than one global batch "
                f"({config.global_batch_size}); lower global_batch_size"
            )
        self.total_steps = config.max_steps or config.epochs * self.steps_per_epoch


def run_training(ctx: RuntimeContext, config: TrainConfig) -> TrainResult:
    import torch
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader
    from torch.utils.data.distributed import DistributedSampler

    runtime = _Runtime(ctx, config)
    if runtime.is_main:
        ensure_writable(ctx)
    stop = StopFlag()
    stop.install()
    try:
        seed_everything(config.seed)
        plugin = load_plugin(config.plugin, config.extra)
        model = plugin.build_model().to(runtime.device)
        train_set, val_set = plugin.build_datasets(ctx.channels)
        schedule = _Schedule(config, runtime.world_size, len(train_set))
        optimizer = plugin.configure_optimizer(model, config.lr, config.weight_decay)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lr_multiplier(config.lr_schedule, config.warmup_steps, schedule.total_steps)
        )
        scaler = torch.amp.GradScaler("cuda", enabled=runtime.precision == "fp16")

        step, mlflow_run_id = 0, None
        loaded = load_latest_checkpoint(ctx.checkpoint_dir)
        if loaded is not None:
            state = loaded.state
            if state["global_batch_size"] != config.global_batch_size:
                raise TrainingSetupError(
                    f"checkpoint {loaded.path} was written with global_batch_size={state['global_batch_size']}, "
                    f"this run uses {config.global_batch_size}; keep it equal to resume (or use a new "
                    "checkpoint directory)"
                )
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            scaler.load_state_dict(state["scaler"])
            rng_states = state["rng"]
            restore_rng(rng_states[runtime.rank] if runtime.rank < len(rng_states) else rng_states[0])
            step, mlflow_run_id = int(state["step"]), state.get("mlflow_run_id") or None
            if runtime.is_main:
                emit("resumed", step=step, checkpoint=str(loaded.path))
        resumed_from = step
        # Hosts keep their own copy of the checkpoint directory on some platforms (SageMaker syncs S3
        # into each host); ranks that picked different checkpoints would deadlock or silently diverge.
        steps_by_rank = runtime.gather_objects(step)
        if len(set(steps_by_rank)) > 1:
            raise TrainingSetupError(
                f"ranks found different checkpoints to resume from (steps by rank: {steps_by_rank}); "
                f"check that every host sees the same {ctx.checkpoint_dir}"
            )

        train_model = model
        if runtime.distributed:
            device_ids = [runtime.device.index] if runtime.device.type == "cuda" else None
            train_model = DistributedDataParallel(model, device_ids=device_ids)

        tracker: NullTracker = NullTracker()
        if runtime.is_main and config.mlflow:
            try:
                tracker = MlflowTracker(
                    config.experiment_name,
                    config.run_name or ctx.job_name,
                    ctx.output_dir,
                    config.log_every_steps,
                )
                mlflow_run_id = tracker.start(mlflow_run_id)
            except TrainingSetupError:
                raise  # already says what to fix (e.g. no ID token for the Cloud Run server)
            except Exception as exc:  # noqa: BLE001 - any failure here is a configuration problem
                uri = os.environ.get("MLFLOW_TRACKING_URI", "the default local store")
                raise TrainingSetupError(
                    f"MLflow tracking at {uri} is not usable ({type(exc).__name__}: {exc}). A SageMaker MLflow "
                    "ARN needs the sagemaker-mlflow package, an Azure ML workspace azureml-mlflow; or train "
                    "without tracking: --mlflow false"
                ) from None
            _log_run_metadata(tracker, ctx, config, plugin, runtime, schedule)

        def checkpoint(at_step: int) -> None:
            rng = runtime.gather_objects(capture_rng())
            if runtime.is_main:
                started = time.perf_counter()
                path = save_checkpoint(
                    ctx.checkpoint_dir,
                    at_step,
                    {
                        "model": model.state_dict(),
                        "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(),
                        "scaler": scaler.state_dict(),
                        "step": at_step,
                        "epoch": at_step // schedule.steps_per_epoch,
                        "step_in_epoch": at_step % schedule.steps_per_epoch,
                        "global_batch_size": config.global_batch_size,
                        "world_size": runtime.world_size,
                        "rng": rng,
                        "mlflow_run_id": mlflow_run_id or "",
                    },
                    config.keep_checkpoints,
                )
                emit(
                    "checkpoint",
                    step=at_step,
                    path=str(path),
                    seconds=round(time.perf_counter() - started, 4),
                )
            runtime.barrier()

        last_checkpoint_time = time.monotonic()
        last_checkpoint_step = step
        metrics: dict[str, float] = {}
        train_seconds, steps_run = 0.0, 0  # time inside optimizer steps only: throughput, not eval/IO
        interrupted = False
        while step < schedule.total_steps and not interrupted:
            epoch, step_in_epoch = divmod(step, schedule.steps_per_epoch)
            sampler = DistributedSampler(
                train_set, num_replicas=runtime.world_size, rank=runtime.rank, shuffle=True, seed=config.seed
            )
            sampler.set_epoch(epoch)
            # Resume mid-epoch: skip exactly the samples the finished steps consumed on this rank.
            indices = list(sampler)[
                step_in_epoch * schedule.per_rank : schedule.steps_per_epoch * schedule.per_rank
            ]
            loader = DataLoader(
                train_set,
                batch_size=schedule.micro_batch,
                sampler=indices,
                num_workers=config.num_workers,
                pin_memory=runtime.device.type == "cuda",
                drop_last=True,
            )
            batches = iter(loader)
            for _ in range(step_in_epoch, schedule.steps_per_epoch):
                if step >= schedule.total_steps:
                    break
                step_started = time.perf_counter()
                loss_total = torch.zeros((), device=runtime.device)
                optimizer.zero_grad(set_to_none=True)
                for micro in range(config.grad_accum_steps):
                    features, targets = next(batches)
                    features = features.to(runtime.device, non_blocking=True)
                    targets = targets.to(runtime.device, non_blocking=True)
                    last_micro = micro == config.grad_accum_steps - 1
                    sync = (
                        contextlib.nullcontext()
                        if last_micro or not runtime.distributed
                        else train_model.no_sync()
                    )
                    with sync:
                        with runtime.autocast():
                            loss = plugin.loss(train_model(features), targets) / config.grad_accum_steps
                        scaler.scale(loss).backward()
                    loss_total += loss.detach().float()
                scaler.unscale_(optimizer)
                grad_norm = None
                if config.max_grad_norm > 0:
                    grad_norm = float(
                        torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
                    )
                scaler.step(optimizer)
                scaler.update()
                scheduler.step()
                step += 1
                step_loss = float(loss_total)  # the one host sync per step; makes the timing honest
                train_seconds += time.perf_counter() - step_started
                steps_run += 1
                if config.step_delay_s:
                    time.sleep(config.step_delay_s)

                due_by_time = (
                    time.monotonic() - last_checkpoint_time
                ) >= config.checkpoint_every_minutes * 60
                # One collective per step carries the loss and the stop/checkpoint decisions, so every
                # rank checkpoints and stops at the same step even if only one node got SIGTERM.
                loss_sum, stop_votes, time_votes = runtime.all_reduce_sum(
                    [step_loss, float(stop.requested), float(due_by_time and runtime.is_main)]
                )
                train_loss = loss_sum / runtime.world_size
                lr = scheduler.get_last_lr()[0]
                step_metrics = {"train_loss": train_loss, "lr": lr}
                if grad_norm is not None:
                    step_metrics["grad_norm"] = grad_norm
                if step % config.log_every_steps == 0 or step == schedule.total_steps:
                    # Every log_every_steps, as Lightning's log_every_n_steps: MLflow metrics at every step
                    # cost a small model's loop a quarter of its CPU time (benchmarks/train_throughput.py).
                    tracker.log_step(step, step_metrics)
                    if runtime.is_main:
                        emit("step", step=step, epoch=epoch, loss=train_loss, lr=lr)

                interrupted = stop_votes > 0
                by_steps = config.checkpoint_every_steps and step % config.checkpoint_every_steps == 0
                if interrupted or by_steps or time_votes > 0:
                    checkpoint(step)
                    last_checkpoint_time, last_checkpoint_step = time.monotonic(), step
                if interrupted:
                    break
            epoch_done = step % schedule.steps_per_epoch == 0 or step >= schedule.total_steps
            if not interrupted and epoch_done and val_set is not None:
                # The unwrapped model: no DDP buffer broadcasts inside evaluation.
                metrics = _evaluate(model, plugin, val_set, runtime, schedule.micro_batch)
                tracker.log_metrics(
                    step, {**metrics, "epoch": float(math.ceil(step / schedule.steps_per_epoch))}
                )
                if runtime.is_main:
                    emit("eval", step=step, **metrics)

        if interrupted:
            if runtime.is_main:
                emit("interrupted", step=step)
            tracker.end("KILLED")
            return TrainResult(
                "interrupted",
                step,
                schedule.total_steps,
                resumed_from,
                runtime.world_size,
                metrics,
                mlflow_run_id,
            )

        if steps_run:
            throughput = {"train_samples_per_second": steps_run * config.global_batch_size / train_seconds}
            metrics = {**metrics, **throughput}
            tracker.log_metrics(step, throughput)
        if last_checkpoint_step != step:
            checkpoint(step)  # a restarted job sees the finished state and only re-exports the model
        if runtime.is_main:
            # Serving loads on CPU machines too and must not run dropout/batch-norm in training mode.
            export = copy.deepcopy(model).cpu().eval()
            if config.save_model:
                save_model_dir(export, plugin, ctx.model_dir)
            if config.mlflow:
                tracker.log_model(export, plugin, config.registered_model_name)
            tracker.end("FINISHED")
        result = TrainResult(
            "completed", step, schedule.total_steps, resumed_from, runtime.world_size, metrics, mlflow_run_id
        )
        if runtime.is_main:
            ctx.output_dir.mkdir(parents=True, exist_ok=True)
            (ctx.output_dir / "result.json").write_text(json.dumps(asdict(result), indent=2, sort_keys=True))
            emit("completed", **{k: v for k, v in asdict(result).items() if k != "metrics"}, **metrics)
        runtime.barrier()
        return result
    finally:
        runtime.shutdown()


def _log_run_metadata(
    tracker: Any,
    ctx: RuntimeContext,
    config: TrainConfig,
    plugin: TrainingPlugin,
    runtime: _Runtime,
    schedule: _Schedule,
) -> None:
    import torch

    params = {k: v for k, v in asdict(config).items() if k != "extra"}
    params.update({f"plugin.{k}": v for k, v in config.extra.items()})
    params.update(
        world_size=runtime.world_size,
        micro_batch_size=schedule.micro_batch,
        steps_per_epoch=schedule.steps_per_epoch,
        total_steps=schedule.total_steps,
        precision_resolved=runtime.precision,
    )
    tracker.log_params(params)
    if ctx.channels:
        manifest = build_manifest(ctx.channels, config.dataset_hash)
        dataset_version = manifest["version"]
        tracker.log_dict(manifest, "dataset_manifest.json")
    else:
        dataset_version = plugin.dataset_version() or "none"
    gpu = torch.cuda.get_device_name(runtime.device) if runtime.device.type == "cuda" else "none"
    tracker.set_tags(
        {
            "mlgen.code_version": code_version(),
            "mlgen.dataset_version": dataset_version,
            "mlgen.platform": ctx.platform,
            "mlgen.instance_type": ctx.instance_type,
            "mlgen.job_name": ctx.job_name,
            "mlgen.gpu": gpu,
            "mlgen.python": sys.version.split()[0],
            "mlgen.torch": torch.__version__,
        }
    )
