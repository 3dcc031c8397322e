"""The platform adapter against faithful simulations of each platform's environment and layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlgen_train.errors import TrainingSetupError
from mlgen_train.launcher import torchrun_command
from mlgen_train.platform import resolve_context

from training_image.helpers import clean_env, run_entrypoint


def make_sagemaker(root: Path, current_host: str = "algo-1", hosts: list[str] | None = None, **hps) -> Path:
    """The /opt/ml tree SageMaker mounts into a BYO training container (no training toolkit)."""
    config = root / "opt/ml/input/config"
    config.mkdir(parents=True)
    (config / "resourceconfig.json").write_text(
        json.dumps(
            {
                "current_host": current_host,
                "current_instance_type": "ml.g5.2xlarge",
                "hosts": hosts or [current_host],
                "network_interface_name": "eth0",
            }
        )
    )
    # The SageMaker Python SDK JSON-encodes every value and the service stores them as strings.
    (config / "hyperparameters.json").write_text(json.dumps({k: json.dumps(v) for k, v in hps.items()}))
    (config / "inputdataconfig.json").write_text(
        json.dumps({"train": {"TrainingInputMode": "File", "S3DistributionType": "FullyReplicated"}})
    )
    (root / "opt/ml/input/data/train").mkdir(parents=True)
    for sub in ("model", "checkpoints", "output/data"):
        (root / "opt/ml" / sub).mkdir(parents=True, exist_ok=True)
    return root


def test_sagemaker_single_host_paths_and_string_hyperparameters(tmp_path):
    make_sagemaker(tmp_path, epochs=3, lr=0.01, optimizer="adam")
    env = {"MLGEN_FS_ROOT": str(tmp_path), "TRAINING_JOB_NAME": "job-1"}
    ctx = resolve_context([], env)
    assert ctx.platform == "sagemaker"
    assert ctx.channels == {"train": tmp_path / "opt/ml/input/data/train"}
    assert ctx.model_dir == tmp_path / "opt/ml/model"
    assert ctx.checkpoint_dir == tmp_path / "opt/ml/checkpoints"
    assert ctx.output_dir == tmp_path / "opt/ml/output/data"
    assert ctx.hyperparameters == {"epochs": "3", "lr": "0.01", "optimizer": "adam"}
    assert ctx.instance_type == "ml.g5.2xlarge"
    assert ctx.job_name == "job-1"
    assert (ctx.layout.num_nodes, ctx.layout.node_rank, ctx.layout.processes_launched) == (1, 0, False)


def test_sagemaker_multi_host_node_rank_and_master_from_resourceconfig(tmp_path):
    make_sagemaker(tmp_path, current_host="algo-3", hosts=["algo-1", "algo-2", "algo-3"])
    ctx = resolve_context([], {"MLGEN_FS_ROOT": str(tmp_path)})
    layout = ctx.layout
    assert (layout.num_nodes, layout.node_rank, layout.master_addr, layout.master_port) == (
        3,
        2,
        "algo-1",
        7777,
    )
    assert layout.network_interface == "eth0"
    command = torchrun_command(ctx, 8, ["--epochs", "1"])
    joined = " ".join(command)
    assert "--nnodes 3 --node_rank 2 --master_addr algo-1 --master_port 7777 --nproc_per_node 8" in joined
    assert command[-5:] == ["-m", "mlgen_train", "worker", "--epochs", "1"]


def test_sagemaker_toolkit_variables_override_the_files(tmp_path):
    make_sagemaker(tmp_path, epochs=3)
    env = {
        "MLGEN_FS_ROOT": str(tmp_path),
        "SM_MODEL_DIR": "/custom/model",
        "SM_CHANNEL_EXTRA": "/data/extra",
        "SM_HPS": json.dumps({"epochs": 7}),
    }
    ctx = resolve_context([], env)
    assert ctx.model_dir == Path("/custom/model")
    assert ctx.channels["extra"] == Path("/data/extra")
    assert ctx.hyperparameters["epochs"] == "7"


def test_sagemaker_current_host_missing_from_hosts_is_a_clear_error(tmp_path):
    make_sagemaker(tmp_path, current_host="algo-9", hosts=["algo-1", "algo-2"])
    with pytest.raises(TrainingSetupError, match="current_host 'algo-9' is not in hosts"):
        resolve_context([], {"MLGEN_FS_ROOT": str(tmp_path)})


def test_sagemaker_job_without_config_files_names_the_missing_file(tmp_path):
    with pytest.raises(TrainingSetupError, match="resourceconfig.json is missing"):
        resolve_context([], {"MLGEN_FS_ROOT": str(tmp_path), "TRAINING_JOB_ARN": "arn:aws:sagemaker:x"})


def test_vertex_maps_gs_uris_to_the_gcs_fuse_mount_and_ranks_describe_machines(tmp_path):
    env = {
        "MLGEN_FS_ROOT": str(tmp_path),
        "CLOUD_ML_JOB_ID": "123",
        "AIP_MODEL_DIR": "gs://bkt/jobs/run1/model/",
        "AIP_CHECKPOINT_DIR": "gs://bkt/jobs/run1/checkpoints/",
        "AIP_TENSORBOARD_LOG_DIR": "gs://bkt/jobs/run1/logs/",
        "AIP_TRAINING_DATA_URI": "gs://data/ds/training-*",
        "MASTER_ADDR": "workerpool0-0",
        "MASTER_PORT": "2222",
        "WORLD_SIZE": "4",
        "RANK": "2",
    }
    ctx = resolve_context(["--epochs", "2"], env)
    assert ctx.platform == "vertex"
    assert ctx.model_dir == tmp_path / "gcs/bkt/jobs/run1/model"
    assert ctx.checkpoint_dir == tmp_path / "gcs/bkt/jobs/run1/checkpoints"
    assert ctx.tensorboard_dir == tmp_path / "gcs/bkt/jobs/run1/logs"
    assert ctx.output_dir == tmp_path / "gcs/bkt/jobs/run1/output"
    assert ctx.channels == {"train": tmp_path / "gcs/data/ds"}
    assert ctx.hyperparameters == {"epochs": "2"}
    layout = ctx.layout
    # WORLD_SIZE/RANK count machines on Vertex: this is node 2 of 4, not process 2 of 4.
    assert (layout.processes_launched, layout.num_nodes, layout.node_rank) == (False, 4, 2)
    joined = " ".join(torchrun_command(ctx, 2, []))
    assert (
        "--nnodes 4 --node_rank 2 --master_addr workerpool0-0 --master_port 2222 --nproc_per_node 2" in joined
    )


def test_vertex_worker_started_by_torchrun_sees_process_ranks(tmp_path):
    env = {
        "MLGEN_FS_ROOT": str(tmp_path),
        "AIP_MODEL_DIR": "gs://bkt/m",
        "AIP_CHECKPOINT_DIR": "gs://bkt/c",
        # What torchrun exports to its second worker on node 1 of a 2x2 job.
        "MASTER_ADDR": "workerpool0-0",
        "MASTER_PORT": "2222",
        "WORLD_SIZE": "4",
        "RANK": "3",
        "LOCAL_RANK": "1",
        "LOCAL_WORLD_SIZE": "2",
        "GROUP_RANK": "1",
    }
    layout = resolve_context([], env).layout
    assert layout.processes_launched
    assert (layout.world_size, layout.rank, layout.local_rank, layout.node_rank) == (4, 3, 1, 1)


def test_vertex_cluster_spec_gives_the_machine_layout_when_pytorch_variables_are_absent(tmp_path):
    spec = {
        "cluster": {
            "workerpool0": ["cmle-training-workerpool0-ab12-0:2222"],
            "workerpool1": ["cmle-training-workerpool1-ab12-0:2222", "cmle-training-workerpool1-ab12-1:2222"],
        },
        "environment": "cloud",
        "task": {"type": "workerpool1", "index": 1},
    }
    env = {"AIP_MODEL_DIR": "gs://b/m", "AIP_CHECKPOINT_DIR": "gs://b/c", "CLUSTER_SPEC": json.dumps(spec)}
    layout = resolve_context([], env).layout
    assert (layout.num_nodes, layout.node_rank) == (3, 2)
    assert (layout.master_addr, layout.master_port) == ("cmle-training-workerpool0-ab12-0", 2222)
    spec["task"] = {"type": "workerpool2", "index": 0}
    with pytest.raises(TrainingSetupError, match="runs as workerpool2"):
        resolve_context([], {**env, "CLUSTER_SPEC": json.dumps(spec)})


def test_vertex_without_base_output_directory_is_a_clear_error(tmp_path):
    with pytest.raises(TrainingSetupError, match="AIP_MODEL_DIR .*baseOutputDirectory"):
        resolve_context([], {"MLGEN_FS_ROOT": str(tmp_path), "CLOUD_ML_JOB_ID": "1"})


def test_vertex_partial_master_variables_are_inconsistent(tmp_path):
    env = {
        "AIP_MODEL_DIR": "gs://b/m",
        "AIP_CHECKPOINT_DIR": "gs://b/c",
        "MASTER_ADDR": "h",
        "WORLD_SIZE": "2",
    }
    with pytest.raises(TrainingSetupError, match="MASTER_PORT, RANK missing"):
        resolve_context([], env)


def test_azureml_paths_from_the_command_line_and_per_process_ranks():
    env = {
        "AZUREML_RUN_ID": "run-7",
        "MASTER_ADDR": "10.0.0.4",
        "MASTER_PORT": "6105",
        "WORLD_SIZE": "8",
        "NODE_RANK": "1",
        "RANK": "5",
        "LOCAL_RANK": "1",
    }
    args = [
        "--data", "train=/mnt/azureml/cr/j/inputs/train",
        "--model-dir", "/mnt/azureml/cr/j/outputs/model",
        "--checkpoint-dir=/mnt/azureml/cr/j/outputs/checkpoints",
        "--lr", "0.1",
    ]  # fmt: skip
    ctx = resolve_context(args, env)
    assert ctx.platform == "azureml"
    assert ctx.channels == {"train": Path("/mnt/azureml/cr/j/inputs/train")}
    assert ctx.model_dir == Path("/mnt/azureml/cr/j/outputs/model")
    assert ctx.checkpoint_dir == Path("/mnt/azureml/cr/j/outputs/checkpoints")
    assert ctx.hyperparameters == {"lr": "0.1"}
    layout = ctx.layout
    assert layout.processes_launched
    assert (layout.world_size, layout.rank, layout.local_rank, layout.node_rank) == (8, 5, 1, 1)
    assert (layout.master_addr, layout.master_port) == ("10.0.0.4", 6105)


def test_azureml_without_output_paths_says_which_option_to_pass():
    with pytest.raises(TrainingSetupError, match=r"--model-dir and --checkpoint-dir.*outputs\.model"):
        resolve_context([], {"AZUREML_RUN_ID": "r"})


def test_local_defaults_under_runs(tmp_path):
    ctx = resolve_context(["--run-name", "exp1"], {"MLGEN_RUNS_DIR": str(tmp_path)})
    assert ctx.platform == "local"
    assert ctx.model_dir == tmp_path / "exp1/model"
    assert ctx.checkpoint_dir == tmp_path / "exp1/checkpoints"
    assert ctx.output_dir == tmp_path / "exp1/output"
    assert ctx.layout.num_nodes == 1 and not ctx.layout.processes_launched
    assert torchrun_command(ctx, 2, [])[3:6] == ["--standalone", "--nnodes", "1"]


def test_two_platforms_at_once_is_inconsistent(tmp_path):
    make_sagemaker(tmp_path)
    env = {"MLGEN_FS_ROOT": str(tmp_path), "AIP_MODEL_DIR": "gs://b/m"}
    with pytest.raises(TrainingSetupError, match="more than one platform.*sagemaker.*vertex"):
        resolve_context([], env)


def test_local_rank_without_the_rest_of_the_layout_is_inconsistent():
    with pytest.raises(TrainingSetupError, match="LOCAL_RANK is set but WORLD_SIZE, RANK"):
        resolve_context([], {"LOCAL_RANK": "0", "MASTER_ADDR": "x", "MASTER_PORT": "1"})


def test_rank_outside_world_is_inconsistent():
    env = {"LOCAL_RANK": "0", "RANK": "4", "WORLD_SIZE": "4", "MASTER_ADDR": "x", "MASTER_PORT": "1"}
    with pytest.raises(TrainingSetupError, match="RANK=4 with WORLD_SIZE=4"):
        resolve_context([], env)


def test_entrypoint_reports_setup_errors_without_a_traceback_and_writes_sagemaker_failure(tmp_path):
    (tmp_path / "opt/ml/output").mkdir(parents=True)
    env = clean_env(
        MLGEN_FS_ROOT=str(tmp_path), TRAINING_JOB_ARN="arn:aws:sagemaker:eu-west-1:1:training-job/x"
    )
    result = run_entrypoint(["train"], env, tmp_path, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "resourceconfig.json is missing" in result.stderr
    assert "resourceconfig.json is missing" in (tmp_path / "opt/ml/output/failure").read_text()


def test_entrypoint_context_command_prints_the_resolved_sagemaker_context(tmp_path):
    make_sagemaker(tmp_path, current_host="algo-2", hosts=["algo-1", "algo-2"], epochs=1)
    result = run_entrypoint(["context"], clean_env(MLGEN_FS_ROOT=str(tmp_path)), tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    context = json.loads(result.stdout)
    assert context["platform"] == "sagemaker"
    assert context["layout"]["node_rank"] == 1 and context["layout"]["master_addr"] == "algo-1"
    assert context["model_dir"] == str(tmp_path / "opt/ml/model")
