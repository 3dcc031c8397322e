"""Decide how many processes this machine runs and start them.

- torchrun or the platform already started one process per worker (``LOCAL_RANK`` set): train here.
- One machine, one process: train here (no torchrun, no process group).
- Otherwise: replace this process with torchrun (it becomes PID 1 and forwards SIGTERM to the workers),
  using the node layout the platform gave: SageMaker's resourceconfig.json host list, Vertex AI's
  per-machine MASTER_ADDR/WORLD_SIZE/RANK.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from collections.abc import Sequence

from mlgen_train.config import TrainConfig
from mlgen_train.errors import TrainingSetupError
from mlgen_train.platform import RuntimeContext

log = logging.getLogger(__name__)


def processes_per_node(config: TrainConfig) -> int:
    if config.nproc_per_node:
        return config.nproc_per_node
    import torch

    return torch.cuda.device_count() or 1


def torchrun_command(ctx: RuntimeContext, nproc: int, worker_args: Sequence[str]) -> list[str]:
    layout = ctx.layout
    command = [sys.executable, "-m", "torch.distributed.run"]
    if layout.num_nodes == 1:
        command += ["--standalone", "--nnodes", "1"]
    else:
        command += [
            "--nnodes", str(layout.num_nodes),
            "--node_rank", str(layout.node_rank),
            "--master_addr", layout.master_addr,
            "--master_port", str(layout.master_port),
        ]  # fmt: skip
    command += ["--nproc_per_node", str(nproc), "-m", "mlgen_train", "worker", *worker_args]
    return command


def launch_environment(ctx: RuntimeContext) -> dict[str, str]:
    env = dict(os.environ)
    env["MLGEN_PLATFORM"] = ctx.platform  # workers must resolve the same platform
    if ctx.layout.network_interface and "NCCL_SOCKET_IFNAME" not in env:
        env["NCCL_SOCKET_IFNAME"] = ctx.layout.network_interface
    return env


def wait_for_master(address: str, timeout_s: float = 300.0) -> None:
    """SageMaker host names can resolve late after the container starts; retry before rendezvous."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            socket.getaddrinfo(address, None)
            return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise TrainingSetupError(
                    f"master host {address!r} did not resolve within {timeout_s:.0f} s: {exc}"
                )
            time.sleep(2.0)


def launch(ctx: RuntimeContext, config: TrainConfig, args: Sequence[str]) -> int:
    """Run training in this process or exec torchrun; returns the exit code when it runs here."""
    from mlgen_train.trainer import run_training

    if ctx.layout.processes_launched:
        return run_training(ctx, config).exit_code
    nproc = processes_per_node(config)
    if ctx.layout.num_nodes == 1 and nproc == 1:
        return run_training(ctx, config).exit_code
    if ctx.layout.num_nodes > 1:
        wait_for_master(ctx.layout.master_addr)
    command = torchrun_command(ctx, nproc, args)
    log.info("starting %d process(es) on this node: %s", nproc, " ".join(command))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, launch_environment(ctx))
    return 1  # not reached
