"""Time and memory of synthesizing a generated CDKTF app (`python main.py`), per library.

    python benchmarks/cdktf_synth.py [--example examples/aws-production-cdktf] [--runs 3] [--budget-s 30]

Each run copies the example's infra/ to a fresh temporary folder and runs `python main.py` there, as
`cdktf synth` would (without the CLI). Peak memory is that of the whole process tree (Python and the jsii
Node runtime it starts), sampled from /proc every 10 ms. The app is generated once with each library
(cdktn, the default, and cdktf through `cdktf_library: cdktf`); a library that is not installed is
skipped. Exits 1 when a median exceeds the budget.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.util import find_spec
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "generator"))

from mlgen.pipeline import render_from_spec
from mlgen.render.cdktf import APP_DIR

RUN_TIMEOUT_S = 300
SAMPLE_S = 0.01


def _tree_rss_kib(root_pid: int) -> int:
    """Resident memory of ``root_pid`` and all its descendants, in KiB (0 for processes already gone)."""
    total, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"^VmRSS:\s+(\d+)", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, AttributeError, ValueError):
            continue
    return total


def synth_once(app_dir: Path) -> tuple[float, int]:
    """Wall seconds and peak tree RSS (KiB) of one `python main.py`."""
    shutil.rmtree(app_dir / "cdktf.out", ignore_errors=True)
    env = {**os.environ, "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "main.py"], cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.stderr.write(stderr.decode(errors="replace")[-3000:])
        raise SystemExit(f"python main.py exited {process.returncode}: not a timing run")
    return elapsed, peak


def app_for(example: Path, library: str, workdir: Path) -> Path:
    spec_text = (example / "mlgen.yaml").read_text(encoding="utf-8")
    if library != "cdktn":
        spec_text = re.sub(r"(?m)^format: cdktf$", f"format: cdktf\ncdktf_library: {library}", spec_text)
    spec = workdir / "mlgen.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    for path, generated in render_from_spec(spec, output_format="cdktf").items():
        if path.startswith("infra/"):
            target = workdir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(generated.content)
    return workdir / APP_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", type=Path, default=REPO_ROOT / "examples/aws-production-cdktf")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per library (default 3)")
    parser.add_argument("--budget-s", type=float, default=30.0, help="median time allowed (default 30 s)")
    args = parser.parse_args(argv)
    if not (args.example / "mlgen.yaml").is_file():
        parser.error(f"{args.example} has no mlgen.yaml")
    if not 1 <= args.runs <= 20:
        parser.error("--runs must be between 1 and 20")
    over = False
    for library in ("cdktn", "cdktf"):
        if find_spec(library) is None:
            print(f"{library}: not installed, skipped")
            continue
        with tempfile.TemporaryDirectory(prefix=f"cdktf-synth-{library}-") as scratch:
            app_dir = app_for(args.example, library, Path(scratch))
            runs = [synth_once(app_dir) for _ in range(args.runs)]
            stacks = len(list((app_dir / "cdktf.out/stacks").iterdir()))
        seconds = statistics.median(run[0] for run in runs)
        peak_mib = max(run[1] for run in runs) / 1024
        over |= seconds > args.budget_s
        print(
            f"{library}: {stacks} stacks, median {seconds:.2f} s over {args.runs} run(s) "
            f"(min {min(r[0] for r in runs):.2f} s), peak memory {peak_mib:.0f} MiB (Python + Node)"
        )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
