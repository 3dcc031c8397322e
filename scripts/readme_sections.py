"""Keep the generated sections of the documentation true: the checkov skip table in docs/verification.md.

Sections sit between `<!-- BEGIN name -->` and `<!-- END name -->` markers. Run with no argument to
rewrite them, or with --check (as the tests do) to fail when a document is stale. (The spec reference is
a whole generated document, docs/spec-reference.md, written by scripts/gen_spec_reference.py.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VERIFICATION = REPO / "docs" / "verification.md"
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


# document -> {section name: builder}
SECTIONS = {VERIFICATION: {"checkov-skips": checkov_skip_table}}


def render(readme: str, sections: dict) -> str:
    for name, build in sections.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", re.DOTALL)
        if not pattern.search(readme):
            raise SystemExit(f"no <!-- BEGIN {name} --> ... <!-- END {name} --> markers")
        content = build()
        readme = pattern.sub(lambda m, content=content: m.group(1) + content + "\n" + m.group(2), readme)
    return readme


def main() -> None:
    for document, sections in SECTIONS.items():
        current = document.read_text()
        wanted = render(current, sections)
        if "--check" in sys.argv:
            if wanted != current:
                raise SystemExit(
                    f"{document.relative_to(REPO)} is stale: run python scripts/readme_sections.py"
                )
            continue
        document.write_text(wanted)


if __name__ == "__main__":
    main()
