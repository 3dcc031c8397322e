"""Plan every root of the golden examples with the offline plan harness and print the figures.

    python benchmarks/terraform_plan.py [--workers 2] [--serving]

Prints one line per root (resources planned, seconds) and a summary: roots planned, resources planned,
errors, warnings and wall time. Exits 1 when any root has an error or a warning (docs/terraform-harness.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "generator"), str(REPO_ROOT)]

from tests.terraform_harness import Harness

SERVING_RELEASE = {"image_tag": "v1.0.0", "model_data_url": "s3://models/churn/v1/model.tar.gz"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="roots planned at once")
    parser.add_argument("--serving", action="store_true", help="also plan each env root with serving_release")
    args = parser.parse_args()
    jobs: list[tuple[Path, dict | None]] = []
    for root in sorted(REPO_ROOT.glob("examples/*/infra/*/*")):
        if root.parent.name not in ("bootstrap", "envs"):
            continue
        if not any(root.glob("*.tf")):  # a CDKTF example keeps only its release file in infra/envs/<env>
            continue
        jobs.append((root, None))
        if args.serving and root.parent.name == "envs":
            jobs.append((root, {"serving_release": SERVING_RELEASE}))
    started = time.perf_counter()
    with Harness() as harness:
        results = harness.plan_many(jobs, workers=args.workers)
    wall = time.perf_counter() - started
    for (root, variables), result in zip(jobs, results, strict=True):
        label = (
            root.relative_to(REPO_ROOT) if variables is None else f"{root.relative_to(REPO_ROOT)} +serving"
        )
        print(
            f"{label}: {result.resources} resources, {result.seconds:.1f} s, {result.stage}"
            f"{'' if result.ok else ' FAILED'}"
        )
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    print(
        f"roots planned: {len(results)}, resources planned: {sum(r.resources for r in results)}, "
        f"errors: {errors}, warnings: {warnings}, wall time: {wall:.0f} s ({args.workers} workers)"
    )
    return 1 if errors or warnings else 0


if __name__ == "__main__":
    sys.exit(main())
