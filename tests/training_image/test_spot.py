"""Spot interruption: SIGTERM mid-run, restart, and the result equals an uninterrupted run bit for bit."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import time

import torch

from training_image.helpers import NO_TRACKING, clean_env, events, final_state, run_entrypoint

ARGS = [
    *NO_TRACKING,
    "--epochs", "2",
    "--global_batch_size", "128",  # 32 steps per epoch, 64 in all
    "--grad_accum_steps", "2",
    "--checkpoint_every_steps", "10",
    "--log_every_steps", "1",
    "--seed", "7",
]  # fmt: skip
TOTAL_STEPS = 64


def _interrupt_after(step: int, env: dict, cwd) -> tuple[int, str]:
    """Start a slowed-down run, send SIGTERM once it has logged `step`, return (exit code, stdout)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mlgen_train", "train", *ARGS, "--step_delay_s", "0.05"],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: list[str] = []
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 1.0)
            if not ready:
                continue
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if (
                line.startswith("{")
                and json.loads(line).get("event") == "step"
                and json.loads(line)["step"] >= step
            ):
                process.send_signal(signal.SIGTERM)
                break
        rest, _stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, "".join(lines) + rest


def test_sigterm_checkpoints_and_the_restart_continues_without_repeating_or_skipping(tmp_path):
    env = clean_env(MLGEN_RUNS_DIR=str(tmp_path / "spot"))
    code, first_out = _interrupt_after(15, env, tmp_path)
    assert code == 143, first_out
    interrupted_at = events(first_out, "interrupted")[0]["step"]
    assert 15 <= interrupted_at < TOTAL_STEPS
    assert (
        events(first_out, "checkpoint")[-1]["step"] == interrupted_at
    )  # saved on SIGTERM, not at a multiple of 10

    second = run_entrypoint(["train", *ARGS], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert events(second.stdout, "resumed")[0]["step"] == interrupted_at
    steps = [e["step"] for e in events(first_out, "step")] + [
        e["step"] for e in events(second.stdout, "step")
    ]
    assert steps == list(range(1, TOTAL_STEPS + 1)), (
        "every optimizer step ran exactly once across the restart"
    )

    reference = run_entrypoint(["train", *ARGS], clean_env(MLGEN_RUNS_DIR=str(tmp_path / "ref")), tmp_path)
    assert reference.returncode == 0, reference.stderr
    resumed = final_state(tmp_path / "spot/local/checkpoints")
    uninterrupted = final_state(tmp_path / "ref/local/checkpoints")
    assert resumed["_step"] == uninterrupted["_step"] == TOTAL_STEPS
    for name, tensor in uninterrupted["model"].items():
        assert torch.equal(resumed["model"][name], tensor), f"{name} differs from the uninterrupted run"
    for key in ("state",):
        for index, slot in uninterrupted["optimizer"][key].items():
            for field, value in slot.items():
                assert torch.equal(
                    torch.as_tensor(resumed["optimizer"][key][index][field]), torch.as_tensor(value)
                )
    assert resumed["scheduler"]["last_epoch"] == uninterrupted["scheduler"]["last_epoch"]
