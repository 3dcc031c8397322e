"""Platform adapter: find out where the image runs and resolve one neutral runtime context.

Each platform describes a training run differently (SageMaker: files under ``/opt/ml``; Vertex AI:
``AIP_*`` variables holding ``gs://`` URIs; Azure ML: paths on the command line; a laptop: flags and
defaults). Everything downstream reads only :class:`RuntimeContext`.

Filesystem roots (``/opt/ml``, ``/gcs``) are resolved under ``MLGEN_FS_ROOT`` (default ``/``) so tests
can build a faithful platform layout in a temporary directory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mlgen_train.errors import TrainingSetupError

PLATFORMS = ("sagemaker", "vertex", "azureml", "local")

# SageMaker's training toolkit uses 7777 for torchrun's rendezvous; we keep it so firewalls/SGs written
# for the toolkit keep working.
SAGEMAKER_MASTER_PORT = 7777
DEFAULT_MASTER_PORT = 29500

# Variables that only exist on one platform; used to detect it and to name the evidence in errors.
_VERTEX_MARKERS = ("AIP_MODEL_DIR", "AIP_CHECKPOINT_DIR", "CLOUD_ML_JOB_ID", "CLUSTER_SPEC")
_AZUREML_MARKERS = ("AZUREML_RUN_ID", "AZUREML_ARM_WORKSPACE_NAME", "AZUREML_ARM_SUBSCRIPTION")
_SAGEMAKER_ENV_MARKERS = ("TRAINING_JOB_ARN", "SM_TRAINING_ENV", "SM_CURRENT_HOST")


@dataclass(frozen=True)
class DistributedLayout:
    """Where this process sits in the job.

    Node-level fields (``num_nodes``, ``node_rank``, master) always describe machines. The process-level
    fields are meaningful only when ``processes_launched`` is true, i.e. torchrun or the platform
    (Azure ML's PyTorch distribution) already started one process per worker.
    """

    num_nodes: int = 1
    node_rank: int = 0
    master_addr: str = "127.0.0.1"
    master_port: int = DEFAULT_MASTER_PORT
    processes_launched: bool = False
    world_size: int = 1
    rank: int = 0
    local_rank: int = 0
    local_world_size: int = 1
    network_interface: str | None = None


@dataclass(frozen=True)
class RuntimeContext:
    platform: str
    channels: dict[str, Path]
    model_dir: Path
    checkpoint_dir: Path
    output_dir: Path
    tensorboard_dir: Path | None
    hyperparameters: dict[str, str]
    layout: DistributedLayout
    job_name: str = "local"
    instance_type: str = "unknown"
    failure_file: Path | None = None
    evidence: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        def default(value: object) -> str:
            return str(value)

        return json.dumps(asdict(self), default=default, indent=2, sort_keys=True)


@dataclass
class CommandLine:
    """Path options and hyperparameters given after ``train`` on the command line."""

    platform: str | None = None
    channels: dict[str, str] = field(default_factory=dict)
    model_dir: str | None = None
    checkpoint_dir: str | None = None
    output_dir: str | None = None
    tensorboard_dir: str | None = None
    hyperparameters: dict[str, str] = field(default_factory=dict)


_PATH_OPTIONS = {
    "platform": "platform",
    "model_dir": "model_dir",
    "checkpoint_dir": "checkpoint_dir",
    "output_dir": "output_dir",
    "tensorboard_dir": "tensorboard_dir",
}


def parse_command_line(args: Sequence[str]) -> CommandLine:
    """Parse ``--data NAME=PATH``, the path options, and ``--key value`` hyperparameters.

    Unknown ``--key value`` pairs are hyperparameters, as in SageMaker script mode, so the same job
    definition style works on Vertex and Azure ML, where the command line is the only channel.
    """
    parsed = CommandLine()
    tokens = list(args)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not token.startswith("--") or token == "--":
            raise TrainingSetupError(
                f"unexpected argument {token!r}: options are '--name value' or '--name=value'"
            )
        name, sep, value = token[2:].partition("=")
        if not sep:
            if index + 1 >= len(tokens) or tokens[index + 1].startswith("--"):
                raise TrainingSetupError(f"option --{name} needs a value ('--{name} VALUE')")
            value = tokens[index + 1]
            index += 1
        index += 1
        key = name.replace("-", "_")
        if key == "data":
            channel, eq, path = value.partition("=")
            if not eq or not channel or not path:
                raise TrainingSetupError(f"--data expects CHANNEL=PATH, got {value!r}")
            parsed.channels[channel] = path
        elif key in _PATH_OPTIONS:
            setattr(parsed, _PATH_OPTIONS[key], value)
        else:
            parsed.hyperparameters[key] = value
    return parsed


def fs_root(env: Mapping[str, str]) -> Path:
    return Path(env.get("MLGEN_FS_ROOT", "/"))


def under_root(env: Mapping[str, str], absolute: str) -> Path:
    return fs_root(env) / absolute.lstrip("/")


def gcs_uri_to_path(uri: str, env: Mapping[str, str]) -> Path:
    """Map ``gs://bucket/key`` to the Cloud Storage FUSE mount ``/gcs/bucket/key`` Vertex provides."""
    if uri.startswith("gs://"):
        rest = uri[len("gs://") :].strip("/")
        if not rest:
            raise TrainingSetupError(f"{uri!r} names no bucket")
        return under_root(env, "/gcs") / rest
    if uri.startswith("/"):
        return Path(uri)
    raise TrainingSetupError(f"expected a gs:// URI or an absolute path, got {uri!r}")


def detect_platform(env: Mapping[str, str], cli: CommandLine) -> tuple[str, list[str]]:
    """Return the platform and the evidence (variables/files) that identified it."""
    explicit = cli.platform or env.get("MLGEN_PLATFORM")
    if explicit:
        if explicit not in PLATFORMS:
            raise TrainingSetupError(f"unknown platform {explicit!r}; expected one of {', '.join(PLATFORMS)}")
        return explicit, [f"explicit platform {explicit!r}"]
    found: dict[str, list[str]] = {}
    resource_config = under_root(env, "/opt/ml/input/config/resourceconfig.json")
    sagemaker = [name for name in _SAGEMAKER_ENV_MARKERS if name in env]
    if resource_config.is_file():
        sagemaker.append(str(resource_config))
    if sagemaker:
        found["sagemaker"] = sagemaker
    vertex = [name for name in _VERTEX_MARKERS if name in env]
    if vertex:
        found["vertex"] = vertex
    azure = [name for name in _AZUREML_MARKERS if name in env]
    if azure:
        found["azureml"] = azure
    if len(found) > 1:
        described = "; ".join(f"{name}: {', '.join(ev)}" for name, ev in sorted(found.items()))
        raise TrainingSetupError(
            f"inconsistent environment: it looks like more than one platform ({described}). "
            "Remove the stray variables or set MLGEN_PLATFORM explicitly."
        )
    if found:
        ((name, evidence),) = found.items()
        return name, evidence
    return "local", ["no platform variables or /opt/ml/input/config files"]


def _int_env(env: Mapping[str, str], name: str) -> int:
    try:
        return int(env[name])
    except ValueError:
        raise TrainingSetupError(f"{name}={env[name]!r} is not an integer") from None


def process_layout(env: Mapping[str, str]) -> DistributedLayout | None:
    """The per-process layout when torchrun or the platform already launched one process per worker.

    ``LOCAL_RANK`` is the marker: torchrun and Azure ML's PyTorch distribution set it, while Vertex AI's
    ``WORLD_SIZE``/``RANK`` describe machines and come without it.
    """
    if "LOCAL_RANK" not in env:
        return None
    needed = ("WORLD_SIZE", "RANK", "MASTER_ADDR", "MASTER_PORT")
    missing = [name for name in needed if name not in env]
    if missing:
        raise TrainingSetupError(
            f"inconsistent distributed environment: LOCAL_RANK is set but {', '.join(missing)} "
            "is missing (expected from torchrun or the platform's PyTorch distribution)"
        )
    world_size = _int_env(env, "WORLD_SIZE")
    rank = _int_env(env, "RANK")
    local_rank = _int_env(env, "LOCAL_RANK")
    local_world_size = _int_env(env, "LOCAL_WORLD_SIZE") if "LOCAL_WORLD_SIZE" in env else None
    if not 0 <= rank < world_size:
        raise TrainingSetupError(
            f"inconsistent distributed environment: RANK={rank} with WORLD_SIZE={world_size}"
        )
    if local_world_size is None:
        # Azure ML does not export LOCAL_WORLD_SIZE; the node count is implied by NODE_RANK's range.
        local_world_size = max(local_rank + 1, 1)
    if not 0 <= local_rank < local_world_size:
        raise TrainingSetupError(
            f"inconsistent distributed environment: LOCAL_RANK={local_rank} with LOCAL_WORLD_SIZE={local_world_size}"
        )
    node_rank_var = next((name for name in ("GROUP_RANK", "NODE_RANK") if name in env), None)
    node_rank = _int_env(env, node_rank_var) if node_rank_var else rank // max(local_world_size, 1)
    return DistributedLayout(
        num_nodes=max(world_size // max(local_world_size, 1), 1),
        node_rank=node_rank,
        master_addr=env["MASTER_ADDR"],
        master_port=_int_env(env, "MASTER_PORT"),
        processes_launched=True,
        world_size=world_size,
        rank=rank,
        local_rank=local_rank,
        local_world_size=local_world_size,
    )


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise TrainingSetupError(f"{what} {path} is missing") from None
    except json.JSONDecodeError as exc:
        raise TrainingSetupError(f"{what} {path} is not valid JSON: {exc}") from None


def _decode_hyperparameter(value: object) -> str:
    """SageMaker stores every hyperparameter as a string; the Python SDK JSON-encodes them first."""
    if not isinstance(value, str):
        return json.dumps(value) if not isinstance(value, (int, float)) else str(value)
    try:
        decoded = json.loads(value)
    except json.JSONDecodeError:
        return value
    if isinstance(decoded, str):
        return decoded
    if isinstance(decoded, bool):
        return "true" if decoded else "false"
    return value


def _resolve_sagemaker(env: Mapping[str, str], cli: CommandLine, evidence: list[str]) -> RuntimeContext:
    opt_ml = under_root(env, "/opt/ml")
    config_dir = opt_ml / "input" / "config"
    resource_path = config_dir / "resourceconfig.json"
    if resource_path.is_file():
        resource = _read_json(resource_path, "SageMaker resource config")
        if not isinstance(resource, dict):
            raise TrainingSetupError(f"SageMaker resource config {resource_path} must be a JSON object")
    elif "SM_CURRENT_HOST" in env and "SM_HOSTS" in env:
        resource = {}
    else:
        raise TrainingSetupError(
            f"SageMaker detected ({', '.join(evidence)}) but {resource_path} is missing and "
            "SM_CURRENT_HOST/SM_HOSTS are not set; the container must run inside a SageMaker training job"
        )
    current_host = env.get("SM_CURRENT_HOST") or resource.get("current_host")
    hosts = json.loads(env["SM_HOSTS"]) if "SM_HOSTS" in env else resource.get("hosts")
    if not current_host or not isinstance(hosts, list) or not hosts:
        raise TrainingSetupError(f"SageMaker resource config {resource_path} lacks 'current_host' or 'hosts'")
    if current_host not in hosts:
        raise TrainingSetupError(
            f"inconsistent SageMaker resource config: current_host {current_host!r} is not in hosts {hosts}"
        )

    hyperparameters: dict[str, str] = {}
    hp_path = config_dir / "hyperparameters.json"
    if hp_path.is_file():
        raw = _read_json(hp_path, "SageMaker hyperparameters")
        if not isinstance(raw, dict):
            raise TrainingSetupError(f"SageMaker hyperparameters {hp_path} must be a JSON object")
        hyperparameters = {key: _decode_hyperparameter(value) for key, value in raw.items()}
    if "SM_HPS" in env:
        hyperparameters.update(
            {key: _decode_hyperparameter(v) for key, v in json.loads(env["SM_HPS"]).items()}
        )
    hyperparameters.update(cli.hyperparameters)

    data_root = opt_ml / "input" / "data"
    channels: dict[str, Path] = {}
    data_config_path = config_dir / "inputdataconfig.json"
    if data_config_path.is_file():
        data_config = _read_json(data_config_path, "SageMaker input data config")
        for name, settings in sorted(dict(data_config).items()):
            if isinstance(settings, dict) and settings.get("TrainingInputMode") == "Pipe":
                raise TrainingSetupError(
                    f"channel {name!r} uses Pipe mode, which this image does not read; use File or FastFile"
                )
            channels[name] = data_root / name
    for key, value in env.items():
        if key.startswith("SM_CHANNEL_") and key != "SM_CHANNELS":
            channels[key[len("SM_CHANNEL_") :].lower()] = Path(value)
    channels.update({name: Path(path) for name, path in cli.channels.items()})

    layout = process_layout(env) or DistributedLayout(
        num_nodes=len(hosts),
        node_rank=hosts.index(current_host),
        master_addr=hosts[0],
        master_port=int(env.get("MLGEN_MASTER_PORT", SAGEMAKER_MASTER_PORT)),
        network_interface=resource.get("network_interface_name"),
    )
    return RuntimeContext(
        platform="sagemaker",
        channels=channels,
        model_dir=Path(cli.model_dir or env.get("SM_MODEL_DIR") or opt_ml / "model"),
        checkpoint_dir=Path(cli.checkpoint_dir or env.get("MLGEN_CHECKPOINT_DIR") or opt_ml / "checkpoints"),
        output_dir=Path(cli.output_dir or env.get("SM_OUTPUT_DATA_DIR") or opt_ml / "output" / "data"),
        tensorboard_dir=Path(cli.tensorboard_dir or opt_ml / "output" / "tensorboard"),
        hyperparameters=hyperparameters,
        layout=layout,
        job_name=env.get("TRAINING_JOB_NAME", "sagemaker"),
        instance_type=env.get("MLGEN_INSTANCE_TYPE") or resource.get("current_instance_type", "unknown"),
        failure_file=opt_ml / "output" / "failure",
        evidence=evidence,
    )


def _vertex_node_layout(env: Mapping[str, str]) -> DistributedLayout:
    """Vertex AI sets MASTER_ADDR/MASTER_PORT/WORLD_SIZE/RANK per machine (one process per VM)."""
    names = ("MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK")
    present = [name for name in names if name in env]
    if present and len(present) != len(names):
        missing = [name for name in names if name not in env]
        raise TrainingSetupError(
            f"inconsistent Vertex AI environment: {', '.join(present)} set but {', '.join(missing)} missing"
        )
    if present:
        num_nodes = _int_env(env, "WORLD_SIZE")
        node_rank = _int_env(env, "RANK")
        if not 0 <= node_rank < num_nodes:
            raise TrainingSetupError(
                f"inconsistent Vertex AI environment: RANK={node_rank} with WORLD_SIZE={num_nodes} machines"
            )
        return DistributedLayout(
            num_nodes=num_nodes,
            node_rank=node_rank,
            master_addr=env["MASTER_ADDR"],
            master_port=_int_env(env, "MASTER_PORT"),
        )
    if env.get("CLUSTER_SPEC"):
        return _vertex_cluster_spec_layout(env["CLUSTER_SPEC"])
    return DistributedLayout()


def _vertex_cluster_spec_layout(raw: str) -> DistributedLayout:
    """Fallback when the PyTorch variables are absent: derive machines from CLUSTER_SPEC.

    ``cluster`` maps ``workerpool0`` (the primary) and ``workerpool1`` (workers) to ``host:port``
    lists; ``task`` says which pool and index this replica is.
    """
    try:
        spec = json.loads(raw)
        cluster = spec["cluster"]
        task_type, task_index = spec["task"]["type"], int(spec["task"]["index"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise TrainingSetupError(f"CLUSTER_SPEC is not the JSON Vertex AI documents: {exc}") from None
    primary, workers = list(cluster.get("workerpool0", [])), list(cluster.get("workerpool1", []))
    if task_type not in ("workerpool0", "workerpool1"):
        raise TrainingSetupError(
            f"this replica runs as {task_type}; the training image implements the primary (workerpool0) "
            "and worker (workerpool1) roles only"
        )
    if not primary:
        raise TrainingSetupError("CLUSTER_SPEC has no workerpool0 (primary replica)")
    host, _, port = primary[0].rpartition(":")
    node_rank = task_index if task_type == "workerpool0" else len(primary) + task_index
    return DistributedLayout(
        num_nodes=len(primary) + len(workers),
        node_rank=node_rank,
        master_addr=host or primary[0],
        master_port=int(port) if port.isdigit() else DEFAULT_MASTER_PORT,
    )


def _resolve_vertex(env: Mapping[str, str], cli: CommandLine, evidence: list[str]) -> RuntimeContext:
    def mapped(cli_value: str | None, variable: str) -> Path | None:
        value = cli_value or env.get(variable)
        return gcs_uri_to_path(value, env) if value else None

    model_dir = mapped(cli.model_dir, "AIP_MODEL_DIR")
    checkpoint_dir = mapped(cli.checkpoint_dir, "AIP_CHECKPOINT_DIR")
    missing = [
        f"{variable} (or {option})"
        for value, variable, option in (
            (model_dir, "AIP_MODEL_DIR", "--model-dir"),
            (checkpoint_dir, "AIP_CHECKPOINT_DIR", "--checkpoint-dir"),
        )
        if value is None
    ]
    if missing:
        raise TrainingSetupError(
            f"Vertex AI detected ({', '.join(evidence)}) but {' and '.join(missing)} is not set: "
            "set baseOutputDirectory on the CustomJob so Vertex provides AIP_MODEL_DIR and AIP_CHECKPOINT_DIR"
        )
    assert model_dir is not None and checkpoint_dir is not None
    channels: dict[str, Path] = {}
    for channel, variable in (
        ("train", "AIP_TRAINING_DATA_URI"),
        ("validation", "AIP_VALIDATION_DATA_URI"),
        ("test", "AIP_TEST_DATA_URI"),
    ):
        if env.get(variable):
            path = gcs_uri_to_path(env[variable], env)
            # Managed datasets export wildcard URIs (gs://b/dir/training-*); the channel is the folder.
            channels[channel] = path.parent if any(ch in path.name for ch in "*?[") else path
    channels.update({name: gcs_uri_to_path(path, env) for name, path in cli.channels.items()})
    output_dir = mapped(cli.output_dir, "MLGEN_OUTPUT_DIR") or model_dir.parent / "output"
    return RuntimeContext(
        platform="vertex",
        channels=channels,
        model_dir=model_dir,
        checkpoint_dir=checkpoint_dir,
        output_dir=output_dir,
        tensorboard_dir=mapped(cli.tensorboard_dir, "AIP_TENSORBOARD_LOG_DIR"),
        hyperparameters=dict(cli.hyperparameters),
        layout=process_layout(env) or _vertex_node_layout(env),
        job_name=env.get("CLOUD_ML_JOB_ID", "vertex"),
        instance_type=env.get("MLGEN_INSTANCE_TYPE", "unknown"),
        evidence=evidence,
    )


def _resolve_azureml(env: Mapping[str, str], cli: CommandLine, evidence: list[str]) -> RuntimeContext:
    missing = [
        option
        for option, value in (("--model-dir", cli.model_dir), ("--checkpoint-dir", cli.checkpoint_dir))
        if not value
    ]
    if missing:
        raise TrainingSetupError(
            f"Azure ML detected ({', '.join(evidence)}) but {' and '.join(missing)} was not passed: Azure ML "
            "hands outputs over on the command line, e.g. --model-dir ${{outputs.model}} "
            "--checkpoint-dir ${{outputs.checkpoints}}"
        )
    if "WORLD_SIZE" in env and "LOCAL_RANK" not in env:
        raise TrainingSetupError(
            "inconsistent Azure ML environment: WORLD_SIZE is set without LOCAL_RANK; "
            "use distribution type 'pytorch' so Azure ML sets RANK, LOCAL_RANK and NODE_RANK"
        )
    return RuntimeContext(
        platform="azureml",
        channels={name: Path(path) for name, path in cli.channels.items()},
        model_dir=Path(cli.model_dir or ""),
        checkpoint_dir=Path(cli.checkpoint_dir or ""),
        output_dir=Path(cli.output_dir or "outputs"),
        tensorboard_dir=Path(cli.tensorboard_dir) if cli.tensorboard_dir else None,
        hyperparameters=dict(cli.hyperparameters),
        layout=process_layout(env) or DistributedLayout(),
        job_name=env.get("AZUREML_RUN_ID", "azureml"),
        instance_type=env.get("MLGEN_INSTANCE_TYPE", "unknown"),
        evidence=evidence,
    )


def _resolve_local(env: Mapping[str, str], cli: CommandLine, evidence: list[str]) -> RuntimeContext:
    run_name = cli.hyperparameters.get("run_name") or env.get("MLGEN_RUN_NAME") or "local"
    base = Path(env.get("MLGEN_RUNS_DIR", "runs")) / run_name
    if "WORLD_SIZE" in env and "LOCAL_RANK" not in env and env.get("WORLD_SIZE") != "1":
        raise TrainingSetupError(
            "inconsistent environment: WORLD_SIZE is set without LOCAL_RANK/RANK; start multi-process "
            "runs with torchrun or pass --nproc_per_node"
        )
    return RuntimeContext(
        platform="local",
        channels={name: Path(path) for name, path in cli.channels.items()},
        model_dir=Path(cli.model_dir or base / "model"),
        checkpoint_dir=Path(cli.checkpoint_dir or base / "checkpoints"),
        output_dir=Path(cli.output_dir or base / "output"),
        tensorboard_dir=Path(cli.tensorboard_dir) if cli.tensorboard_dir else base / "tensorboard",
        hyperparameters=dict(cli.hyperparameters),
        layout=process_layout(env) or DistributedLayout(),
        job_name=run_name,
        instance_type=env.get("MLGEN_INSTANCE_TYPE", "local"),
        evidence=evidence,
    )


_RESOLVERS = {
    "sagemaker": _resolve_sagemaker,
    "vertex": _resolve_vertex,
    "azureml": _resolve_azureml,
    "local": _resolve_local,
}


def resolve_context(args: Sequence[str], env: Mapping[str, str] | None = None) -> RuntimeContext:
    """Resolve the runtime context from the command line (after ``train``) and the environment."""
    environment = dict(os.environ if env is None else env)
    cli = parse_command_line(args)
    platform, evidence = detect_platform(environment, cli)
    return _RESOLVERS[platform](environment, cli, evidence)
