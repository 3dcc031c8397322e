"""Checkpoint files: atomic names, verification, pruning, and the plug-in interface with a user module."""

from __future__ import annotations

import json
import textwrap

import torch
from mlgen_train.checkpoint import list_checkpoints, load_latest_checkpoint, save_checkpoint

from training_image.helpers import NO_TRACKING, clean_env, events, run_entrypoint


def _save(directory, step, keep=5):
    return save_checkpoint(directory, step, {"step": step, "weights": torch.full((4,), float(step))}, keep)


def test_keeps_the_last_k_and_leaves_no_temporary_files(tmp_path):
    for step in (1, 2, 3, 4):
        _save(tmp_path, step, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ckpt-000000003.json", "ckpt-000000003.pt", "ckpt-000000004.json", "ckpt-000000004.pt",
    ]  # fmt: skip
    assert json.loads((tmp_path / "ckpt-000000004.json").read_text())["step"] == 4


def test_truncated_newest_is_skipped_for_the_previous(tmp_path):
    _save(tmp_path, 10)
    newest = _save(tmp_path, 20)
    newest.write_bytes(newest.read_bytes()[:100])  # an upload cut short
    loaded = load_latest_checkpoint(tmp_path)
    assert loaded is not None and loaded.step == 10
    assert torch.equal(loaded.state["weights"], torch.full((4,), 10.0))


def test_checkpoint_without_sidecar_counts_as_unfinished(tmp_path):
    _save(tmp_path, 10)
    _save(tmp_path, 20).with_suffix(".json").unlink()  # died between the .pt rename and the sidecar
    (tmp_path / ".ckpt-000000030.pt.tmp-999").write_bytes(b"partial")  # died mid-write
    assert load_latest_checkpoint(tmp_path).step == 10
    assert [step for step, _ in list_checkpoints(tmp_path)] == [20, 10]


def test_no_checkpoint_means_a_fresh_start(tmp_path):
    assert load_latest_checkpoint(tmp_path / "missing") is None
    (tmp_path / "ckpt-000000005.pt").write_bytes(b"garbage")
    assert load_latest_checkpoint(tmp_path) is None


USER_PLUGIN = '''
import torch
from torch import nn
from torch.utils.data import TensorDataset

from mlgen_train.plugin import TrainingPlugin


class Doubler(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return self.scale * x[:, 0]


class DoublerPlugin(TrainingPlugin):
    """Learns y = 2 * x0; takes its own hyperparameter `rows`."""

    def build_model(self):
        return Doubler()

    def build_datasets(self, channels):
        x = torch.randn(int(self.hyperparameters["rows"]), 3, generator=torch.Generator().manual_seed(0))
        return TensorDataset(x, 2 * x[:, 0]), TensorDataset(x[:64], 2 * x[:64, 0])

    def loss(self, outputs, targets):
        return nn.functional.mse_loss(outputs, targets)

    def metrics(self, outputs, targets):
        return {"abs_err": float((outputs - targets).abs().mean())}
'''


def test_a_user_plugin_trains_with_its_own_model_data_loss_and_hyperparameters(tmp_path):
    package = tmp_path / "userpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text(textwrap.dedent(USER_PLUGIN))
    env = clean_env(MLGEN_RUNS_DIR=str(tmp_path / "runs"))
    env["PYTHONPATH"] = f"{env['PYTHONPATH']}:{tmp_path}"
    args = ["train", *NO_TRACKING, "--plugin", "userpkg.model:DoublerPlugin", "--rows", "512", "--epochs", "15",
            "--global_batch_size", "64", "--lr", "0.05", "--lr_schedule", "constant"]  # fmt: skip
    result = run_entrypoint(args, env, tmp_path)
    assert result.returncode == 0, result.stderr
    final = events(result.stdout, "completed")[0]
    assert final["val_abs_err"] < 0.05
    state = torch.load(next((tmp_path / "runs/local/checkpoints").glob("*.pt")), weights_only=True)
    assert abs(float(state["model"]["scale"]) - 2.0) < 0.05
