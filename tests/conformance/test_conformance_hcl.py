"""The structural HCL reader: blocks vs attributes, line numbers, and the syntax that hides braces."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from mlgen.conformance.hcl_parser import HCLSyntaxError, parse_hcl

FIXTURES = Path(__file__).parent / "fixtures"


def test_blocks_and_attributes_are_told_apart_with_lines() -> None:
    root = parse_hcl(
        'resource "aws_kms_key" "k" {\n  tags = { a = "b" }\n  timeouts {\n    create = "1m"\n  }\n}\n'
    )
    (resource,) = root.blocks
    assert (resource.type, resource.labels, resource.line, resource.end_line) == (
        "resource",
        ("aws_kms_key", "k"),
        1,
        6,
    )
    assert [(a.name, a.line, a.expression) for a in resource.attributes] == [("tags", 2, '{ a = "b" }')]
    (timeouts,) = resource.blocks
    assert (timeouts.type, timeouts.line, timeouts.end_line) == ("timeouts", 3, 5)
    assert timeouts.attribute("create").string_literal() == "1m"


def test_braces_inside_strings_templates_heredocs_and_comments_do_not_confuse_it() -> None:
    text = (
        "locals {\n"
        '  a = "x ${jsonencode({ k = "}" })} {"  # comment with } and {\n'
        "  b = <<-EOT\n"
        "    } not a closer {\n"
        "    EOT\n"
        "  c = [\n"
        "    1, // }\n"
        "    2, /* { */\n"
        "  ]\n"
        '  d = "$${literal} %%{also}"\n'
        "}\n"
        'one "line" { x = 1 }\n'
    )
    root = parse_hcl(text)
    assert [b.type for b in root.blocks] == ["locals", "one"]
    names = [(a.name, a.line) for a in root.blocks[0].attributes]
    assert names == [("a", 2), ("b", 3), ("c", 6), ("d", 10)]
    assert root.blocks[0].attribute("c").expression.startswith("[")
    assert root.blocks[0].attribute("d").expression == '"$${literal} %%{also}"'
    assert root.blocks[1].attribute("x").line == 12


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('a {\n  b = "open\n}\n', 2, "unterminated string"),
        ("a {\n  b = 1\n", 1, "never closed"),
        ("a {\n  b = <<EOT\n  x\n}\n", 2, "heredoc"),
        ("a {\n  b = (1\n}\n", 3, "expected ')'"),
        ("a {\n  = 1\n}\n", 2, "expected an attribute or block name"),
    ],
)
def test_syntax_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(HCLSyntaxError) as caught:
        parse_hcl(text)
    assert caught.value.line == line
    assert message in caught.value.message


def _hcl2_blocks(path: Path) -> set[tuple[str, str, str, int, int]]:
    # python-hcl2 8.x reports lines with with_meta=True; checkov's bc-python-hcl2 0.4 (which installs over
    # the same `hcl2` module) always reports them and rejects the keyword.
    with path.open() as handle:
        try:
            parsed = hcl2.load(handle, with_meta=True)
        except TypeError:
            handle.seek(0)
            parsed = hcl2.load(handle)
    found = set()
    for kind in ("resource", "data"):
        for entry in parsed.get(kind, []):
            for type_name, named in entry.items():
                for name, body in named.items():
                    found.add(
                        (
                            kind,
                            type_name.strip('"'),
                            name.strip('"'),
                            body["__start_line__"],
                            body["__end_line__"],
                        )
                    )
    return found


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").rglob("*.tf")), ids=lambda p: p.name)
def test_agrees_with_python_hcl2_on_top_level_blocks_and_lines(path: Path) -> None:
    """Cross-check against the real parser: same resource/data blocks on the same lines."""
    try:
        expected = _hcl2_blocks(path)
    except KeyError:
        pytest.skip("this hcl2 version does not report line numbers by default")
    mine = {
        (b.type, *b.labels, b.line, b.end_line)
        for b in parse_hcl(path.read_text()).blocks
        if b.type in ("resource", "data")
    }
    assert mine == expected
