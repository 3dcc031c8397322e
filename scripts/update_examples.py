"""Regenerate the golden example trees under examples/ from their committed specs.

Every examples/*/mlgen.yaml is one example (aws-starter, aws-production, and aws-production-cdktf, the
production spec with format: cdktf). Run after any change to templates, modules, images or the
generator, review the diff, and commit it:
    python scripts/update_examples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "generator"))

from mlgen.pipeline import generate_project
from mlgen.writer import format_write_report


def main() -> None:
    for spec in sorted((REPO / "examples").glob("*/mlgen.yaml")):
        # --force: the examples are never edited by hand, so any difference is the generator's.
        report = generate_project(spec.parent, force=True)
        print(f"{spec.parent.relative_to(REPO)}: {format_write_report(report)}")


if __name__ == "__main__":
    main()
