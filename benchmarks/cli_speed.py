"""Time `mlgen --help` and `mlgen init` for each blueprint; print medians.

Usage: python benchmarks/cli_speed.py [--runs 7]

Goals on the 2-core reference machine: `mlgen --help` median under 200 ms (nothing heavy imported at
start-up), `mlgen init` of the production blueprint under 1 s. Each run is a fresh process, as a user
would see it, so interpreter start-up is included.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def mlgen_command() -> list[str]:
    installed = shutil.which("mlgen")
    return [installed] if installed else [sys.executable, "-m", "mlgen"]


def time_run(args: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    options = parser.parse_args()
    mlgen = mlgen_command()

    rows = [("mlgen --help", median_ms([time_run([*mlgen, "--help"]) for _ in range(options.runs)]))]
    for blueprint in ("starter", "production"):
        samples = []
        for _ in range(options.runs):
            with tempfile.TemporaryDirectory() as workdir:
                target = Path(workdir) / "demo"
                args = [
                    *mlgen,
                    "init",
                    str(target),
                    "--cloud",
                    "aws",
                    "--blueprint",
                    blueprint,
                    "--project",
                    "demo",
                ]
                samples.append(time_run(args))
        rows.append((f"mlgen init --blueprint {blueprint}", median_ms(samples)))

    print(f"{'command':<40} {'median (ms)':>12}   ({options.runs} runs each, {' '.join(mlgen)})")
    for name, value in rows:
        print(f"{name:<40} {value:>12.0f}")


if __name__ == "__main__":
    main()
