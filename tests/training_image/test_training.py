"""Training through the real entrypoint: convergence, DDP equivalence, launcher, resume after corruption."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from training_image.helpers import NO_TRACKING, TRAINING_DIR, clean_env, events, final_state, run_entrypoint


def test_single_process_training_converges_on_the_example(tmp_path):
    env = clean_env(MLGEN_RUNS_DIR=str(tmp_path / "runs"))
    result = run_entrypoint(
        ["train", *NO_TRACKING, "--epochs", "10", "--log_every_steps", "50"], env, tmp_path
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "runs/local/output/result.json").read_text())
    assert summary["status"] == "completed" and summary["step"] == summary["total_steps"] == 320
    # Targets have variance ~3.5: an untrained model sits near 3.5; the MLP must explain > 97 % of it.
    assert summary["metrics"]["val_mse"] < 0.1
    evals = events(result.stdout, "eval")
    assert evals[0]["val_mse"] > 5 * evals[-1]["val_mse"], "validation error must fall during training"


def _state_of(run_dir):
    return final_state(run_dir / "checkpoints")


@pytest.mark.slow
def test_torchrun_two_gloo_processes_as_on_azure_ml_match_one_process_with_the_same_global_batch(tmp_path):
    common = [*NO_TRACKING, "--epochs", "2", "--global_batch_size", "64", "--checkpoint_every_steps", "0"]
    single = run_entrypoint(
        ["train", *common, "--run_name", "single"], clean_env(MLGEN_RUNS_DIR=str(tmp_path)), tmp_path
    )
    assert single.returncode == 0, single.stderr
    # Azure ML's PyTorch distribution starts the job command once per process with the same variables
    # torchrun sets (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_*), so this is also an Azure ML simulation.
    azure = tmp_path / "azure"
    torchrun = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
         "-m", "mlgen_train", "train", *common, "--model-dir", str(azure / "model"),
         "--checkpoint-dir", str(azure / "checkpoints"), "--output-dir", str(azure / "output")],
        env=clean_env(AZUREML_RUN_ID="run-1"), cwd=tmp_path, check=False, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    assert torchrun.returncode == 0, torchrun.stderr[-3000:]
    ddp_summary = json.loads((azure / "output/result.json").read_text())
    assert ddp_summary["world_size"] == 2
    one, two = _state_of(tmp_path / "single"), _state_of(azure)
    assert one["_step"] == two["_step"] == 128
    for name, tensor in one["model"].items():
        torch.testing.assert_close(two["model"][name], tensor, rtol=1e-4, atol=1e-5, msg=name)
    single_loss = events(single.stdout, "eval")[-1]["val_mse"]
    assert ddp_summary["metrics"]["val_mse"] == pytest.approx(single_loss, rel=1e-3)


@pytest.mark.slow
def test_launcher_starts_torchrun_itself_when_asked_for_two_processes(tmp_path):
    args = ["train", *NO_TRACKING, "--nproc_per_node", "2", "--max_steps", "4", "--global_batch_size", "32"]
    result = run_entrypoint(args, clean_env(MLGEN_RUNS_DIR=str(tmp_path)), tmp_path, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "local/output/result.json").read_text())
    assert (summary["world_size"], summary["step"]) == (2, 4)


def test_corrupt_newest_checkpoint_is_skipped_and_training_resumes_from_the_previous(tmp_path):
    env = clean_env(MLGEN_RUNS_DIR=str(tmp_path))
    base = [
        *NO_TRACKING,
        "--global_batch_size",
        "128",
        "--checkpoint_every_steps",
        "4",
        "--keep_checkpoints",
        "3",
    ]
    first = run_entrypoint(["train", *base, "--max_steps", "12"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    checkpoints = tmp_path / "local/checkpoints"
    assert sorted(p.name for p in checkpoints.glob("*.pt")) == [
        "ckpt-000000004.pt", "ckpt-000000008.pt", "ckpt-000000012.pt",
    ]  # fmt: skip
    newest = checkpoints / "ckpt-000000012.pt"
    data = bytearray(newest.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, as a bad sync would leave it
    newest.write_bytes(bytes(data))

    second = run_entrypoint(["train", *base, "--max_steps", "16", "--log_every_steps", "1"], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "skipping checkpoint" in second.stderr and "ckpt-000000012.pt" in second.stderr
    assert events(second.stdout, "resumed")[0]["step"] == 8
    assert [e["step"] for e in events(second.stdout, "step")] == list(range(9, 17))


def test_bad_hyperparameter_is_a_clear_error(tmp_path):
    result = run_entrypoint(["train", "--epochs", "many"], clean_env(MLGEN_RUNS_DIR=str(tmp_path)), tmp_path)
    assert result.returncode == 2
    assert "hyperparameter epochs='many' is not a valid int" in result.stderr
    assert "Traceback" not in result.stderr


def test_training_dir_is_what_the_image_copies():
    assert (TRAINING_DIR / "mlgen_train" / "__main__.py").is_file()


def test_vertex_job_writes_checkpoints_and_results_through_the_gcs_mount(tmp_path):
    env = clean_env(
        MLGEN_FS_ROOT=str(tmp_path),
        CLOUD_ML_JOB_ID="4242",
        AIP_MODEL_DIR="gs://bucket/jobs/4242/model/",
        AIP_CHECKPOINT_DIR="gs://bucket/jobs/4242/checkpoints/",
        AIP_TENSORBOARD_LOG_DIR="gs://bucket/jobs/4242/logs/",
    )
    # checkpoint_every_minutes=0: the time trigger fires after every step (step trigger off).
    args = [
        "train",
        *NO_TRACKING,
        "--max_steps",
        "3",
        "--checkpoint_every_steps",
        "0",
        "--checkpoint_every_minutes",
        "0",
    ]
    result = run_entrypoint(args, env, tmp_path)
    assert result.returncode == 0, result.stderr
    base = tmp_path / "gcs/bucket/jobs/4242"
    assert [e["step"] for e in events(result.stdout, "checkpoint")] == [1, 2, 3]
    assert max(p.name for p in (base / "checkpoints").glob("*.pt")) == "ckpt-000000003.pt"
    assert json.loads((base / "output/result.json").read_text())["step"] == 3


def test_unwritable_model_dir_fails_fast_with_the_directory_named(tmp_path):
    (tmp_path / "not-a-dir").write_text("")
    args = ["train", *NO_TRACKING, "--model-dir", str(tmp_path / "not-a-dir/model")]
    result = run_entrypoint(args, clean_env(MLGEN_RUNS_DIR=str(tmp_path)), tmp_path)
    assert result.returncode == 2
    assert f"cannot write to the model directory {tmp_path / 'not-a-dir/model'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_model_dir_with_someone_elses_files_is_refused_before_training(tmp_path):
    model_dir = tmp_path / "precious"
    model_dir.mkdir()
    (model_dir / "notes.txt").write_text("keep me")
    args = ["train", *NO_TRACKING, "--model-dir", str(model_dir)]
    result = run_entrypoint(args, clean_env(MLGEN_RUNS_DIR=str(tmp_path)), tmp_path)
    assert result.returncode == 2
    assert "holds files that are not an MLflow model" in result.stderr
    assert (model_dir / "notes.txt").read_text() == "keep me"
