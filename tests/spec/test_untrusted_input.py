"""A spec is untrusted input (CI runs `mlgen check` on pull requests): every hostile spec is refused by the
real CLI with exit 2, a positioned message and no traceback, well under a second. Before the bounds a
400-byte alias bomb took 65 s and 2.5 GB. The limits come from mlgen.spec.input_bounds.LIMITS, so the
tests move with them. Wall time: about 2 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.spec.conftest import VALID_AWS

from mlgen.cli import main
from mlgen.spec import SpecError, load_spec
from mlgen.spec.input_bounds import LIMITS

SECONDS = 1.0  # "well under": each of these is refused in milliseconds


def _refused(spec: Path, *expected: str) -> str:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", "--spec", str(spec)], catch_exceptions=True)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a user error, not a crash
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    return result.output


def _alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous, current = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{current}: &{current} [{','.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_line_that_crosses_the_limit(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(_alias_bomb(), encoding="utf-8")
    assert spec.stat().st_size < 400  # 9**9 values once expanded
    output = _refused(spec, f"more than {LIMITS.max_values} values", "aliases")
    assert "mlgen.yaml:5:" in output  # the first alias whose expansion crosses the limit


def test_an_alias_to_its_own_container_is_refused(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    spec.write_text("project: &p\n  name: *p\n", encoding="utf-8")
    _refused(spec, "mlgen.yaml:2:", "alias *p refers to a value that contains it")


def test_ordinary_anchors_and_merge_keys_still_load(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    text = VALID_AWS.replace("  dev:\n", "  dev: &env\n").replace(
        '  prod:\n    account_id: "333333333333"\n', '  prod:\n    <<: *env\n    account_id: "333333333333"\n'
    )
    spec.write_text(text, encoding="utf-8")
    assert load_spec(spec).environments["prod"].account_id == "333333333333"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(VALID_AWS + "#" * LIMITS.max_bytes + "\n", encoding="utf-8")
    _refused(spec, f"larger than {LIMITS.max_bytes // 1024} KiB")


def test_a_file_just_under_the_size_limit_is_read(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    padding = "# padding\n" * ((LIMITS.max_bytes - len(VALID_AWS)) // 10)
    spec.write_text(VALID_AWS + padding, encoding="utf-8")
    assert spec.stat().st_size <= LIMITS.max_bytes
    assert load_spec(spec).project == "fraud-detect"


@pytest.mark.parametrize("levels", [LIMITS.max_depth + 1, 5000])
def test_deep_flow_nesting_is_refused(tmp_path, levels):
    spec = tmp_path / "mlgen.yaml"
    spec.write_text("project: " + "[" * levels + "]" * levels + "\n", encoding="utf-8")
    _refused(spec, f"deeper than {LIMITS.max_depth} levels", "mlgen.yaml:1:")


def test_deep_block_nesting_is_refused(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    levels = LIMITS.max_depth + 5
    spec.write_text("".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x: 1\n")
    _refused(spec, f"deeper than {LIMITS.max_depth} levels")


def test_nesting_through_aliases_counts_the_expanded_depth(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    half = LIMITS.max_depth // 2 + 1
    deep = "[" * half + "1" + "]" * half
    spec.write_text(f"a: &a {deep}\nb: " + "[" * half + "*a" + "]" * half + "\n", encoding="utf-8")
    _refused(spec, f"deeper than {LIMITS.max_depth} levels", "mlgen.yaml:2:")


def test_non_utf8_bytes_are_refused_with_their_position(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    spec.write_bytes(b"project: demo\ncloud: \xff\xfeaws\n")
    _refused(spec, "mlgen.yaml:2:8:", "not UTF-8", "0xff", "save the file as UTF-8")


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["echo pwned"]',
        "!!python/name:os.system",
        "!custom {a: 1}",
        "!!binary aGVsbG8=",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(tmp_path, value):
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(VALID_AWS.replace("project: fraud-detect", f"project: {value}"), encoding="utf-8")
    _refused(spec, "mlgen.yaml:1:10:", "is not allowed in a spec", "remove the tag")


def test_even_core_tags_are_refused_so_every_value_is_plain(tmp_path):
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(
        VALID_AWS.replace("project: fraud-detect", "project: !!str fraud-detect"), encoding="utf-8"
    )
    _refused(spec, "YAML tag !!str is not allowed", "quote the value")


def test_a_directory_given_as_the_spec_is_refused(tmp_path):
    _refused(tmp_path, "directory")
    with pytest.raises(SpecError, match="is a directory"):
        load_spec(tmp_path)  # the loader's own check, for callers that are not Click


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_given_as_the_spec_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "mlgen.yaml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    _refused(fifo, "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists() or sys.platform == "win32", reason="no /dev/zero")
def test_a_device_given_as_the_spec_is_refused():
    _refused(Path("/dev/zero"), "not a regular file")
