"""Entry point: ``python -m mlgen_train [train|worker|context] [--option value ...]``.

SageMaker starts the container as ``docker run <image> train``: the exec-form ENTRYPOINT runs this
module and ``train`` arrives as the first argument. On Vertex AI and Azure ML the job spec passes the
command explicitly. ``worker`` is what torchrun starts per process; ``context`` prints the resolved
runtime context as JSON (a dry run for debugging a job definition).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from mlgen_train.errors import TrainingSetupError

USAGE = "usage: python -m mlgen_train [train|worker|context] [--data CHANNEL=PATH] [--model-dir DIR] ..."


def _write_failure(reason: str) -> None:
    """SageMaker shows the first 1024 characters of /opt/ml/output/failure as the job's FailureReason."""
    target = os.environ.get("MLGEN_FAILURE_FILE")
    if not target:
        root = Path(os.environ.get("MLGEN_FS_ROOT", "/"))
        output = root / "opt" / "ml" / "output"
        if not output.is_dir():
            return
        target = str(output / "failure")
    try:
        Path(target).write_text(reason[:4096])
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = "train"
    if args and not args[0].startswith("-"):
        command = args.pop(0)
    if command in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    rank = os.environ.get("RANK", "0")
    logging.basicConfig(
        level=os.environ.get("MLGEN_LOG_LEVEL", "INFO"),
        format=f"%(asctime)s rank{rank} %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        from mlgen_train.config import load_config
        from mlgen_train.platform import resolve_context

        if command not in ("train", "worker", "context"):
            raise TrainingSetupError(f"unknown command {command!r}; {USAGE}")
        ctx = resolve_context(args)
        if command == "context":
            print(ctx.to_json())
            return 0
        config = load_config(ctx.hyperparameters)
        if command == "worker":
            from mlgen_train.trainer import run_training

            return run_training(ctx, config).exit_code
        from mlgen_train.launcher import launch

        return launch(ctx, config, args)
    except TrainingSetupError as exc:
        message = f"mlgen-train: error: {exc}"
        print(message, file=sys.stderr)
        _write_failure(message)
        return 2
    except Exception:  # noqa: BLE001 - report any crash where the platform shows it, then fail the job
        details = traceback.format_exc()
        print(details, file=sys.stderr)
        _write_failure(details.strip().splitlines()[-1] + "\n\n" + details)
        return 1


if __name__ == "__main__":
    sys.exit(main())
