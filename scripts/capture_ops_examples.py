"""Print the transcripts of docs/operations.md's ops examples, from a real run against moto's server.

The same emulator and landing-zone seed as tests/ops (moto_server as its own process, the real boto3 calls,
the real `mlgen` command as a subprocess, stdout and stderr interleaved as a terminal shows them). Run from
the repository root with moto[server] installed, then paste the blocks into the doc:
    PYTHONPATH=generator:. python scripts/capture_ops_examples.py
Names, ARNs and times are moto's and this run's; the account is the tests' 123456789012.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.ops.landing_zone import (
    ACCOUNT,
    PROJECT,
    REGION,
    client,
    push_fake_image,
    seed_landing_zone,
    write_spec,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "MOTO_ACCOUNT_ID": ACCOUNT},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
            return process, endpoint
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("moto_server did not start")


def _show(project: Path, command: str) -> None:
    result = subprocess.run(
        shlex.split(command),
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    print(f"$ {command}\n{result.stdout.rstrip()}\n(exit {result.returncode})\n")


def _register_mlflow_model(directory: Path) -> None:
    """A registered model churn/1 in a SQLite store (what a training run logs), for models:/ releases."""
    import mlflow
    import mlflow.pyfunc

    os.chdir(directory)  # the store's default artifact root is ./mlruns
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{directory / 'mlflow.db'}"
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])

    class Model(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input):
            return model_input

    with mlflow.start_run():
        mlflow.pyfunc.log_model(name="model", python_model=Model(), registered_model_name="churn")


def main() -> None:
    process, endpoint = _start_moto()
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
    )
    try:
        with tempfile.TemporaryDirectory() as directory:
            project = write_spec(Path(directory) / PROJECT)
            for git in (
                ["init", "-q"],
                ["add", "-A"],
                ["-c", "user.name=demo", "-c", "user.email=d@e", "commit", "-qm", "init"],
            ):
                subprocess.run(["git", *git], cwd=project, check=True)
            sha = subprocess.run(
                ["git", "rev-parse", "--short=7", "HEAD"],
                cwd=project,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            seed_landing_zone()
            push_fake_image(f"{PROJECT}-dev/serving", f"git-{sha}")
            artifacts = f"{PROJECT}-dev-artifacts-{ACCOUNT}"
            client("s3").put_object(Bucket=artifacts, Key="models/churn/model.tar.gz", Body=b"archive")
            _show(project, "mlgen train submit --env dev --hp epochs=3 --wait")
            _show(project, "mlgen train list --env dev")
            _show(
                project,
                f"mlgen release --env dev --image-tag git-{sha} --model s3://{artifacts}/models/churn/model.tar.gz",
            )
            _register_mlflow_model(Path(directory))
            _show(project, f"mlgen release --env dev --image-tag git-{sha} --model models:/churn/1")
            print((project / "infra/envs/dev/release.auto.tfvars.json").read_text())
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
