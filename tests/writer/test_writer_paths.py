"""Generated paths are validated before anything touches the disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlgen.writer import GeneratedFile, UnsafePathError, validate_relative_path, write_tree


@pytest.mark.parametrize(
    ("path", "complaint"),
    [
        ("/etc/passwd", "absolute"),
        ("C:/x.tf", "absolute"),
        ("../outside.tf", r"'\.\.'"),
        ("infra/../../outside.tf", r"'\.\.'"),
        ("infra//main.tf", "not normalised"),
        ("./main.tf", "not normalised"),
        ("infra/", "not normalised"),
        ("", "non-empty"),
        ("infra\\main.tf", "backslash"),
        ("bad\x00name", "control character"),
        (".mlgen/manifest.json", "reserves"),
    ],
)
def test_unsafe_paths_are_refused_with_a_reason(path: str, complaint: str) -> None:
    with pytest.raises(UnsafePathError, match=complaint):
        validate_relative_path(path)


@pytest.mark.parametrize(
    "path", ["main.tf", "infra/envs/dev/main.tf", ".github/workflows/ci.yml", "a..b/c.tf"]
)
def test_ordinary_relative_paths_are_accepted(path: str) -> None:
    assert validate_relative_path(path) == path


def test_generated_file_refuses_an_unsafe_path_at_construction() -> None:
    with pytest.raises(UnsafePathError):
        GeneratedFile("../x", b"")


def test_generated_file_content_must_be_bytes() -> None:
    with pytest.raises(TypeError, match="bytes"):
        GeneratedFile("x.txt", "text")  # type: ignore[arg-type]


def test_duplicate_paths_in_a_tree_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError, match="twice"):
        write_tree(tmp_path, [GeneratedFile("a.txt", b"1"), GeneratedFile("a.txt", b"2")])
    assert list(tmp_path.iterdir()) == []


def test_a_mapping_key_must_match_the_file_path(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError, match="does not match"):
        write_tree(tmp_path, {"a.txt": GeneratedFile("b.txt", b"")})


def test_a_path_cannot_be_both_a_file_and_a_directory(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError, match="needs it to be a directory"):
        write_tree(tmp_path, [GeneratedFile("infra", b""), GeneratedFile("infra/main.tf", b"")])
