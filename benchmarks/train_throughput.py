"""Training-image throughput: samples/s of the bundled example and checkpoint save/restore time.

Runs the real trainer (``mlgen_train.trainer.run_training``) in this process, on the CPU and, where a
GPU is visible, on the GPU with bf16 autocast (fp16 on GPUs without bf16). Checkpoint timings use the
real ``save_checkpoint``/``load_latest_checkpoint`` on the trained model's full state (model,
optimizer, scheduler, RNG). Prints a Markdown table and writes JSON next to it with ``--json``.

``--compare-bare`` also runs a **bare PyTorch loop** on the same model, data, batch size and threads
(the plug-in's model, dataset, AdamW and loss; the same gradient clipping and LR schedule; a shuffling
DataLoader; no checkpoints, no MLflow, no DDP wrapper, no evaluation) against the trainer with its
defaults on: MLflow logging to a SQLite store, checkpoints every 500 steps, evaluation each epoch. The
trainer's rate is the wall clock of its loop, read from its own ``step`` events (every 10 steps) as
they reach stdout, so start-up and export costs are left out and every per-step cost (MLflow metric
flushes, the per-step all-reduce, data loading, evaluation each epoch) counts. The windows are too
short for the default checkpoint at step 500, so its amortised cost (measured save time / 500 steps)
is reported beside it. Rounds alternate bare/trainer; the median ratio and its range are reported.
Each is also timed in process CPU time (samples per CPU-second): on a shared, oversubscribed machine the
wall clock mostly measures the neighbours, while CPU time measures what the loop itself costs; use
``--threads 1`` for that figure, since idle intra-op threads spinning would count as the loop's.

    python benchmarks/train_throughput.py                 # CPU (+ GPU if visible)
    python benchmarks/train_throughput.py --steps 200 --json bench.json
    python benchmarks/train_throughput.py --compare-bare --rounds 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

TRAINING_DIR = Path(__file__).resolve().parents[1] / "training_images" / "training"
sys.dont_write_bytecode = True  # keep __pycache__ out of the tree mlgen copies into projects
sys.path.insert(0, str(TRAINING_DIR))

# (label, hidden width): the example as shipped, and a wider MLP (~1.1 M parameters) whose checkpoint
# is large enough (~13 MB with AdamW state) for save/restore times to mean something.
MODELS = (("example MLP (hidden 64)", 64), ("wide MLP (hidden 1024)", 1024))


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True, timeout=10).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return platform.processor() or "unknown"


def run_case(device: str, hidden: int, steps: int, batch: int, workdir: Path) -> dict:
    import torch
    from mlgen_train.checkpoint import load_latest_checkpoint, save_checkpoint
    from mlgen_train.config import load_config
    from mlgen_train.platform import resolve_context

    env = {"MLGEN_RUNS_DIR": str(workdir), "MLGEN_PLATFORM": "local"}
    hps = [
        "--run_name", f"{device}-{hidden}", "--mlflow", "false", "--save_model", "false",
        "--max_steps", str(steps), "--global_batch_size", str(batch), "--checkpoint_every_steps", "0",
        "--checkpoint_every_minutes", "1000", "--example_hidden", str(hidden),
        "--example_samples", str(max(batch * 8, 4096)), "--log_every_steps", str(steps),
        "--precision", "auto", "--device", device,
    ]  # fmt: skip
    ctx = resolve_context(hps, env)
    config = load_config(ctx.hyperparameters)

    from mlgen_train.trainer import run_training

    result = run_training(ctx, config)
    throughput = result.metrics["train_samples_per_second"]

    loaded = load_latest_checkpoint(ctx.checkpoint_dir)  # the final checkpoint the run wrote
    assert loaded is not None
    state = {k: v for k, v in loaded.state.items() if k != "format_version"}
    size_mb = loaded.path.stat().st_size / 1e6
    saves, loads = [], []
    bench_dir = workdir / f"ckpt-bench-{device}-{hidden}"
    for repeat in range(5):
        started = time.perf_counter()
        save_checkpoint(bench_dir, repeat + 1, state, keep=2)
        saves.append(time.perf_counter() - started)
        started = time.perf_counter()
        restored = load_latest_checkpoint(bench_dir)
        loads.append(time.perf_counter() - started)
        assert restored is not None and restored.step == repeat + 1
    # The trainer's precision=auto rule: native bf16 (compute capability >= 8), else fp16; CPU fp32.
    precision = "fp32"
    if device != "cpu":
        precision = "bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16"
    return {
        "device": device if device == "cpu" else torch.cuda.get_device_name(0),
        "model": hidden,
        "precision": precision,
        "global_batch": batch,
        "steps": steps,
        "samples_per_second": round(throughput, 1),
        "checkpoint_mb": round(size_mb, 2),
        "save_ms": round(statistics.median(saves) * 1000, 1),
        "restore_ms": round(statistics.median(loads) * 1000, 1),
    }


# (label, hidden width, trainer steps): short enough for a shared 2-core machine.
COMPARE = (("example MLP (hidden 64)", 64, 100), ("wide MLP (hidden 1024)", 1024, 40))
COMPARE_SAMPLES = 65536  # 256 steps per epoch at batch 256: epochs (and evaluation) as in real use
DEFAULT_CHECKPOINT_EVERY_STEPS = 500
TIMED_FROM_STEP = 10  # the trainer's first step event (log_every_steps): warm-up steps are left out


class _StepClock(io.TextIOBase):
    """Stands in for stdout during a trainer run: notes when each ``step`` event line arrives."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, float, int]] = []  # wall clock, process CPU time, step
        self._partial = ""

    def write(self, text: str) -> int:
        now, cpu = time.perf_counter(), time.process_time()
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            if '"event": "step"' in line:
                self.marks.append((now, cpu, json.loads(line)["step"]))
        return len(text)

    def rate(self, batch: int) -> float:
        (t0, _, s0), (t1, _, s1) = self.marks[0], self.marks[-1]
        return (s1 - s0) * batch / (t1 - t0)

    def cpu_rate(self, batch: int) -> float:
        """Samples per CPU-second: what the loop costs, whatever else the machine is running."""
        (_, c0, s0), (_, c1, s1) = self.marks[0], self.marks[-1]
        return (s1 - s0) * batch / (c1 - c0)


def _hyperparameters(hidden: int, steps: int, batch: int, run: str) -> list[str]:
    return [
        "--run_name", run, "--max_steps", str(steps), "--global_batch_size", str(batch),
        "--example_hidden", str(hidden), "--example_samples", str(COMPARE_SAMPLES), "--device", "cpu",
    ]  # fmt: skip


def bare_loop(hidden: int, steps: int, batch: int) -> tuple[float, float]:
    """Samples per wall-clock second and per CPU-second of a plain PyTorch loop over the same model, data
    and optimizer as the trainer."""
    import torch
    from mlgen_train.config import TrainConfig
    from mlgen_train.example import ExamplePlugin
    from mlgen_train.trainer import lr_multiplier, seed_everything
    from torch.utils.data import DataLoader

    config = TrainConfig()
    seed_everything(config.seed)
    plugin = ExamplePlugin({"example_hidden": str(hidden), "example_samples": str(COMPARE_SAMPLES)})
    model = plugin.build_model()
    train_set, _ = plugin.build_datasets({})
    optimizer = plugin.configure_optimizer(model, config.lr, config.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lr_multiplier(config.lr_schedule, config.warmup_steps, steps)
    )
    loader = DataLoader(train_set, batch_size=batch, shuffle=True, drop_last=True)
    done = 0
    started, cpu_started = time.perf_counter(), time.process_time()  # reset at step 10, like the trainer's
    while done < steps:
        for features, targets in loader:
            optimizer.zero_grad(set_to_none=True)
            loss = plugin.loss(model(features), targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
            optimizer.step()
            scheduler.step()
            done += 1
            if done == TIMED_FROM_STEP:
                loss.detach().item()
                started, cpu_started = time.perf_counter(), time.process_time()
            if done == steps:
                break
    loss.detach().item()  # what a loop that prints its final loss waits for
    samples = (steps - TIMED_FROM_STEP) * batch
    return samples / (time.perf_counter() - started), samples / (time.process_time() - cpu_started)


def trainer_rate(hidden: int, steps: int, batch: int, workdir: Path, run: str) -> tuple[float, float, float]:
    """The trainer's loop samples per wall-clock second and per CPU-second with its defaults (MLflow on),
    and its own figure."""
    from mlgen_train.config import load_config
    from mlgen_train.platform import resolve_context
    from mlgen_train.trainer import run_training

    env = {"MLGEN_RUNS_DIR": str(workdir), "MLGEN_PLATFORM": "local"}
    ctx = resolve_context(_hyperparameters(hidden, steps, batch, run), env)
    config = load_config(ctx.hyperparameters)
    clock = _StepClock()
    with contextlib.redirect_stdout(clock):
        result = run_training(ctx, config)
    return clock.rate(batch), clock.cpu_rate(batch), result.metrics["train_samples_per_second"]


def compare_bare(batch: int, rounds: int, workdir: Path, save_ms: dict[int, float]) -> list[dict]:
    rows = []
    for label, hidden, steps in COMPARE:
        bare, trainer, reported, bare_cpu, trainer_cpu = [], [], [], [], []
        for round_index in range(rounds):
            order = ("bare", "trainer") if round_index % 2 == 0 else ("trainer", "bare")
            for which in order:
                if which == "bare":
                    rate, cpu_rate = bare_loop(hidden, steps, batch)
                    bare.append(rate)
                    bare_cpu.append(cpu_rate)
                    continue
                rate, cpu_rate, own = trainer_rate(
                    hidden, steps, batch, workdir, f"cmp-{round_index}-{hidden}"
                )
                trainer.append(rate)
                trainer_cpu.append(cpu_rate)
                reported.append(own)
            print(
                f"{label} round {round_index + 1}: bare {bare[-1]:,.0f} samples/s, trainer "
                f"{trainer[-1]:,.0f} (loop wall clock), {reported[-1]:,.0f} (its own step-time figure); "
                f"per CPU-second bare {bare_cpu[-1]:,.0f}, trainer {trainer_cpu[-1]:,.0f}; "
                f"load {os.getloadavg()[0]:.2f}",
                file=sys.stderr,
            )
        ratios = [t / b for t, b in zip(trainer, bare)]
        cpu_ratios = [t / b for t, b in zip(trainer_cpu, bare_cpu)]
        # The default checkpoint's share of wall time: one save per 500 steps of this model.
        step_ms = batch / statistics.median(trainer) * 1000
        share = save_ms[hidden] / (save_ms[hidden] + DEFAULT_CHECKPOINT_EVERY_STEPS * step_ms)
        rows.append(
            {
                "label": label,
                "steps": steps,
                "bare": [round(v, 1) for v in bare],
                "trainer": [round(v, 1) for v in trainer],
                "trainer_reported": [round(v, 1) for v in reported],
                "ratio_median": round(statistics.median(ratios), 3),
                "ratio_min": round(min(ratios), 3),
                "ratio_max": round(max(ratios), 3),
                "bare_per_cpu_second": [round(v, 1) for v in bare_cpu],
                "trainer_per_cpu_second": [round(v, 1) for v in trainer_cpu],
                "cpu_ratio_median": round(statistics.median(cpu_ratios), 3),
                "cpu_ratio_min": round(min(cpu_ratios), 3),
                "cpu_ratio_max": round(max(cpu_ratios), 3),
                "checkpoint_share": round(share, 5),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150, help="optimizer steps per case")
    parser.add_argument("--batch", type=int, default=256, help="global batch size")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "2")))
    parser.add_argument("--json", type=Path, help="also write results as JSON here")
    parser.add_argument("--compare-bare", action="store_true", help="also compare with a bare PyTorch loop")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds for --compare-bare")
    args = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.2f}"

    import torch

    torch.set_num_threads(args.threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for device in devices:
            for label, hidden in MODELS:
                row = run_case(device, hidden, args.steps, args.batch, Path(tmp))
                row["label"] = label
                rows.append(row)
        save_ms = {row["model"]: row["save_ms"] for row in rows if row["device"] == "cpu"}
        comparison = compare_bare(args.batch, args.rounds, Path(tmp), save_ms) if args.compare_bare else []
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cpu_threads": args.threads,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none visible",
        "torch": torch.__version__,
        "load_before": load_before,
        "load_after": f"{os.getloadavg()[0]:.2f}",
    }
    print(f"date {meta['date']}; CPU {meta['cpu']} ({args.threads} threads); GPU {meta['gpu']}; "
          f"torch {meta['torch']}; load average before/after {load_before} / {meta['load_after']}")  # fmt: skip
    print()
    print("| device | model | precision | global batch | samples/s | checkpoint | save | restore |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['device']} | {row['label']} | {row['precision']} | {row['global_batch']} | "
            f"{row['samples_per_second']:,.0f} | {row['checkpoint_mb']} MB | {row['save_ms']} ms | "
            f"{row['restore_ms']} ms |"
        )
    if comparison:
        print()
        print("| model | bare loop samples/s | trainer samples/s (loop wall clock) | trainer ÷ bare (range) "
              "| trainer ÷ bare per CPU-second (range) "
              "| trainer's own step-time figure | default checkpoint's share |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in comparison:
            print(
                f"| {row['label']} | {statistics.median(row['bare']):,.0f} | "
                f"{statistics.median(row['trainer']):,.0f} | **{row['ratio_median']:.0%}** "
                f"({row['ratio_min']:.0%}–{row['ratio_max']:.0%}) | **{row['cpu_ratio_median']:.0%}** "
                f"({row['cpu_ratio_min']:.0%}–{row['cpu_ratio_max']:.0%}) | "
                f"{statistics.median(row['trainer_reported']):,.0f} | {row['checkpoint_share']:.2%} |"
            )
    if args.json:
        payload = {"meta": meta, "results": rows, "compare_bare": comparison}
        args.json.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
