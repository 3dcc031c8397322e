"""Training-image throughput: samples/s of the bundled example and checkpoint save/restore time.

Runs the real trainer (``mlgen_train.trainer.run_training``) in this process, on the CPU and, where a
GPU is visible, on the GPU with bf16 autocast (fp16 on GPUs without bf16). Checkpoint timings use the
real ``save_checkpoint``/``load_latest_checkpoint`` on the trained model's full state (model,
optimizer, scheduler, RNG). Prints a Markdown table and writes JSON next to it with ``--json``.

``--compare-bare`` also runs a **bare PyTorch loop** on the same model, data, batch size and threads
(the plug-in's model, dataset, AdamW and loss; the same gradient clipping and LR schedule; a shuffling
DataLoader; no checkpoints, no MLflow, no DDP wrapper, no evaluation) against the trainer with its
defaults on: MLflow logging to a SQLite store, checkpoints every 500 steps, evaluation each epoch. The
trainer's throughput is its *marginal* wall-clock rate, (N2 - N1) steps / (T(N2) - T(N1)) between two
runs, so one-off costs (MLflow run start, final checkpoint, model export) cancel and every per-step
cost (logging, the checkpoint at step 500, the per-step all-reduce, data loading) counts. Rounds
alternate bare/trainer; the median ratio and its range are reported.

    python benchmarks/train_throughput.py                 # CPU (+ GPU if visible)
    python benchmarks/train_throughput.py --steps 200 --json bench.json
    python benchmarks/train_throughput.py --compare-bare --rounds 3
"""

from __future__ import annotations

import argparse
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


# (label, hidden width, trainer steps N1, N2): the small model's window holds the default step-500
# checkpoint; the wide model's steps are ~7x slower, so its window is shorter.
COMPARE = (("example MLP (hidden 64)", 64, 100, 600), ("wide MLP (hidden 1024)", 1024, 20, 140))
COMPARE_SAMPLES = 65536  # 256 steps per epoch at batch 256: epochs (and evaluation) as in real use


def _hyperparameters(hidden: int, steps: int, batch: int, run: str) -> list[str]:
    return [
        "--run_name", run, "--max_steps", str(steps), "--global_batch_size", str(batch),
        "--example_hidden", str(hidden), "--example_samples", str(COMPARE_SAMPLES), "--device", "cpu",
    ]  # fmt: skip


def bare_loop(hidden: int, steps: int, batch: int) -> float:
    """Samples/s of a plain PyTorch loop over the same model, data and optimizer as the trainer."""
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
    started = time.perf_counter()
    while done < steps:
        for features, targets in loader:
            optimizer.zero_grad(set_to_none=True)
            loss = plugin.loss(model(features), targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
            optimizer.step()
            scheduler.step()
            done += 1
            if done == steps:
                break
    float(loss)  # what a loop that prints its loss at the end waits for
    return steps * batch / (time.perf_counter() - started)


def trainer_seconds(hidden: int, steps: int, batch: int, workdir: Path, run: str) -> tuple[float, float]:
    """Wall seconds of one trainer run with its defaults (MLflow on), and its own step-time figure."""
    from mlgen_train.config import load_config
    from mlgen_train.platform import resolve_context
    from mlgen_train.trainer import run_training

    env = {"MLGEN_RUNS_DIR": str(workdir), "MLGEN_PLATFORM": "local"}
    ctx = resolve_context(_hyperparameters(hidden, steps, batch, run), env)
    config = load_config(ctx.hyperparameters)
    started = time.perf_counter()
    result = run_training(ctx, config)
    return time.perf_counter() - started, result.metrics["train_samples_per_second"]


def compare_bare(batch: int, rounds: int, workdir: Path) -> list[dict]:
    import contextlib
    import io

    rows = []
    for label, hidden, short, long in COMPARE:
        bare, trainer, reported = [], [], []
        for round_index in range(rounds):
            order = ("bare", "trainer") if round_index % 2 == 0 else ("trainer", "bare")
            for which in order:
                if which == "bare":
                    bare.append(bare_loop(hidden, long - short, batch))
                    continue
                with contextlib.redirect_stdout(io.StringIO()):  # the trainer's JSON event lines
                    t_short, _ = trainer_seconds(hidden, short, batch, workdir, f"r{round_index}-{hidden}-a")
                    t_long, own = trainer_seconds(hidden, long, batch, workdir, f"r{round_index}-{hidden}-b")
                trainer.append((long - short) * batch / (t_long - t_short))
                reported.append(own)
            print(
                f"{label} round {round_index + 1}: bare {bare[-1]:,.0f} samples/s, trainer "
                f"{trainer[-1]:,.0f} (marginal wall clock), {reported[-1]:,.0f} (its own step-time figure); "
                f"load {os.getloadavg()[0]:.2f}",
                file=sys.stderr,
            )
        ratios = [t / b for t, b in zip(trainer, bare)]
        rows.append(
            {
                "label": label,
                "bare": [round(v, 1) for v in bare],
                "trainer": [round(v, 1) for v in trainer],
                "trainer_reported": [round(v, 1) for v in reported],
                "ratio_median": round(statistics.median(ratios), 3),
                "ratio_min": round(min(ratios), 3),
                "ratio_max": round(max(ratios), 3),
                "steps": long - short,
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
        comparison = compare_bare(args.batch, args.rounds, Path(tmp)) if args.compare_bare else []
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
        print("| model | bare loop samples/s | trainer samples/s (marginal wall clock) | trainer ÷ bare (range) "
              "| trainer's own step-time figure |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: |")
        for row in comparison:
            print(
                f"| {row['label']} | {statistics.median(row['bare']):,.0f} | "
                f"{statistics.median(row['trainer']):,.0f} | **{row['ratio_median']:.0%}** "
                f"({row['ratio_min']:.0%}–{row['ratio_max']:.0%}) | "
                f"{statistics.median(row['trainer_reported']):,.0f} |"
            )
    if args.json:
        payload = {"meta": meta, "results": rows, "compare_bare": comparison}
        args.json.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
