"""Copy asset trees (Terraform modules, image sources) into a generated project, deterministically."""

from __future__ import annotations

from pathlib import Path

# Build and run leftovers that must never travel into a generated project.
_IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".terraform", "runs", "mlruns"}
_IGNORED_SUFFIXES = {".pyc", ".pyo", ".tfstate"}


def collect_tree(source: Path, destination: str) -> dict[str, tuple[bytes, bool]]:
    """Return ``{destination/relative path: (bytes, executable)}`` for every file under *source*."""
    files: dict[str, tuple[bytes, bool]] = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or _IGNORED_PARTS.intersection(relative.parts):
            continue
        if path.suffix in _IGNORED_SUFFIXES:
            continue
        executable = bool(path.stat().st_mode & 0o111)
        files[f"{destination}/{relative.as_posix()}"] = (path.read_bytes(), executable)
    return files
