"""Validation of the relative POSIX paths a generated tree is keyed by.

Generated paths come from code, but they are built from user input (project and environment names), so
they are checked before anything touches the disk: a path must stay inside the output root.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from mlgen.writer.errors import UnsafePathError

# mlgen's own bookkeeping lives here; a generated file may not claim it.
STATE_DIR = ".mlgen"


def validate_relative_path(path: str) -> str:
    """Return ``path`` unchanged if it is a safe, normalised, relative POSIX path; raise otherwise."""
    if not isinstance(path, str) or not path:
        raise UnsafePathError(f"generated path must be a non-empty string, got {path!r}")
    if "\\" in path:
        raise UnsafePathError(f"generated path {path!r} uses a backslash; use '/' as the separator")
    if "\x00" in path or any(ord(ch) < 0x20 for ch in path):
        raise UnsafePathError(f"generated path {path!r} contains a control character")
    if path.startswith("/") or PurePosixPath(path).is_absolute() or (len(path) > 1 and path[1] == ":"):
        raise UnsafePathError(
            f"generated path {path!r} is absolute; paths must be relative to the output root"
        )
    parts = path.split("/")
    if any(part == ".." for part in parts):
        raise UnsafePathError(f"generated path {path!r} contains '..' and could escape the output root")
    if any(part in ("", ".") for part in parts):
        raise UnsafePathError(
            f"generated path {path!r} is not normalised (empty or '.' component, or a trailing '/')"
        )
    if parts[0] == STATE_DIR:
        raise UnsafePathError(
            f"generated path {path!r} is inside {STATE_DIR}/, which mlgen reserves for its manifest"
        )
    return path


def check_no_file_directory_clash(paths: list[str]) -> None:
    """Refuse trees where one path is a file and also the parent directory of another path."""
    as_files = set(paths)
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in as_files:
                raise UnsafePathError(
                    f"generated path {parent!r} is a file but {path!r} needs it to be a directory"
                )
