"""Time `mlgen check` on a project directory: median of a few runs, each in a fresh process.

    python benchmarks/check_time.py PROJECT_DIR [--runs 3] [--budget-s 30]

Each run is a new `python -m mlgen check` process, so checkov's import and start-up cost is included,
as it is in CI. Exits 1 when the median exceeds the budget. The exit status of `mlgen check` itself
(0 clean, 1 findings) is reported but does not fail the benchmark.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RUN_TIMEOUT_S = 300


def time_one_run(project: Path) -> tuple[float, int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT / "generator"), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "mlgen", "check", str(project), "--format", "json"],
        env=env,
        capture_output=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stderr.decode(errors="replace"))
        raise SystemExit(f"mlgen check exited {completed.returncode}: not a timing run")
    return elapsed, completed.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="generated project directory to check")
    parser.add_argument("--runs", type=int, default=3, help="number of timed runs (default 3)")
    parser.add_argument("--budget-s", type=float, default=30.0, help="median time allowed (default 30 s)")
    args = parser.parse_args(argv)
    if not args.project.is_dir():
        parser.error(f"{args.project} is not a directory")
    if not 1 <= args.runs <= 20:
        parser.error("--runs must be between 1 and 20")
    timings = []
    for index in range(args.runs):
        elapsed, code = time_one_run(args.project)
        timings.append(elapsed)
        print(f"run {index + 1}: {elapsed:.2f} s (mlgen check exit {code})")
    median = statistics.median(timings)
    verdict = "within" if median <= args.budget_s else "OVER"
    print(f"median {median:.2f} s over {args.runs} run(s): {verdict} the {args.budget_s:.0f} s budget")
    return 0 if median <= args.budget_s else 1


if __name__ == "__main__":
    raise SystemExit(main())
