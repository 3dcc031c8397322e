"""Training-image throughput: samples/s of the bundled example and checkpoint save/restore time.

Runs the real trainer (``mlgen_train.trainer.run_training``) in this process, on the CPU and, where a
GPU is visible, on the GPU with bf16 autocast (fp16 on GPUs without bf16). Checkpoint timings use the
real ``save_checkpoint``/``load_latest_checkpoint`` on the trained model's full state (model,
optimizer, scheduler, RNG). Prints a Markdown table and writes JSON next to it with ``--json``.

    python benchmarks/train_throughput.py                 # CPU (+ GPU if visible)
    python benchmarks/train_throughput.py --steps 200 --json bench.json
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150, help="optimizer steps per case")
    parser.add_argument("--batch", type=int, default=256, help="global batch size")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "2")))
    parser.add_argument("--json", type=Path, help="also write results as JSON here")
    args = parser.parse_args()

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
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cpu_threads": args.threads,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none visible",
        "torch": torch.__version__,
    }
    print(f"date {meta['date']}; CPU {meta['cpu']} ({args.threads} threads); GPU {meta['gpu']}; "
          f"torch {meta['torch']}")  # fmt: skip
    print()
    print("| device | model | precision | global batch | samples/s | checkpoint | save | restore |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['device']} | {row['label']} | {row['precision']} | {row['global_batch']} | "
            f"{row['samples_per_second']:,.0f} | {row['checkpoint_mb']} MB | {row['save_ms']} ms | "
            f"{row['restore_ms']} ms |"
        )
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": rows}, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
