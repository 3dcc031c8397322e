"""`python -m mlgen.conformance PATH...`: print conformance findings; exit 1 when there are any."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlgen.conformance.tree import scan_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mlgen.conformance",
        description="Check Terraform files against the bundled provider schemas and module interfaces.",
    )
    parser.add_argument(
        "paths", nargs="+", type=Path, help="Terraform file or directory (searched recursively)"
    )
    parser.add_argument("--quiet", action="store_true", help="print findings only, no notes or summary")
    args = parser.parse_args(argv)
    failed = False
    for path in args.paths:
        if not path.exists():
            parser.error(f"{path} does not exist")
        report = scan_tree(path)
        for finding in report.findings:
            print(_located(path, str(finding)))
        if not args.quiet:
            for note in report.notes:
                print(f"note: {note}", file=sys.stderr)
            print(
                f"{path}: {report.files_checked} files, {report.blocks_checked} blocks checked, "
                f"{len(report.findings)} findings",
                file=sys.stderr,
            )
        failed = failed or bool(report.findings)
    return 1 if failed else 0


def _located(root: Path, finding: str) -> str:
    """Prefix a finding (whose path is relative to the checked directory) so it can be opened as is."""
    base = root if root.is_dir() else root.parent
    return finding if base == Path(".") else f"{base.as_posix().rstrip('/')}/{finding}"


if __name__ == "__main__":
    sys.exit(main())
