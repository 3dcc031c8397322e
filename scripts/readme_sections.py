"""Keep the generated sections of README.md true: the checkov skip table and the spec reference.

Sections sit between `<!-- BEGIN name -->` and `<!-- END name -->` markers. Run with no argument to
rewrite them, or with --check (as the tests do) to fail when README.md is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+):(.*)")


def checkov_skip_table() -> str:
    """Every inline checkov skip in the shipped modules, with the module, resource line and reason."""
    rows = []
    for path in sorted((REPO / "modules").rglob("*.tf")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = SKIP.search(line)
            if match:
                module = path.parent.relative_to(REPO / "modules").as_posix()
                rows.append(
                    f"| `{match.group(1)}` | `{module}` ({path.name}:{number}) | {match.group(2).strip()} |"
                )
    header = ["| check | where | why it is skipped |", "| --- | --- | --- |"]
    return "\n".join(header + rows)


def spec_reference() -> str:
    text = (REPO / "docs" / "spec-reference.md").read_text()
    # Drop the document's own title and demote its headings two levels to nest under "### Spec reference".
    text = re.sub(r"^# [^\n]*\n", "", text, count=1, flags=re.MULTILINE)
    return re.sub(r"^(#+) ", lambda m: "##" + m.group(1) + " ", text, flags=re.MULTILINE).strip()


SECTIONS = {"checkov-skips": checkov_skip_table, "spec-reference": spec_reference}


def render(readme: str) -> str:
    for name, build in SECTIONS.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", re.DOTALL)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no <!-- BEGIN {name} --> ... <!-- END {name} --> markers")
        content = build()
        readme = pattern.sub(lambda m, content=content: m.group(1) + content + "\n" + m.group(2), readme)
    return readme


def main() -> None:
    current = README.read_text()
    wanted = render(current)
    if "--check" in sys.argv:
        if wanted != current:
            raise SystemExit("README.md is stale: run python scripts/readme_sections.py")
        return
    README.write_text(wanted)


if __name__ == "__main__":
    main()
