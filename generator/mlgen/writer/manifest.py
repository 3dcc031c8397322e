"""`.mlgen/manifest.json`: which files mlgen wrote, and the SHA-256 of the bytes it wrote.

The manifest is how the writer tells "mlgen's file, untouched" (safe to update or remove) from "edited by
a person" or "never mlgen's" (left alone). It is deterministic itself (sorted keys, no timestamps, trailing
newline) so committing it produces no noise.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from mlgen import __version__
from mlgen.writer.errors import ManifestError, UnsafePathError
from mlgen.writer.paths import STATE_DIR, validate_relative_path

MANIFEST_PATH = f"{STATE_DIR}/manifest.json"
MANIFEST_FORMAT = 1
_HEX_DIGITS = frozenset("0123456789abcdef")


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """path -> sha256 hex digest of the content mlgen last wrote there."""

    files: dict[str, str] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        document = {
            "format": MANIFEST_FORMAT,
            "generator": "mlgen",
            "mlgen_version": __version__,
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _invalid(manifest_file: Path, problem: str) -> ManifestError:
    return ManifestError(
        f"{manifest_file} is not a valid mlgen manifest ({problem}). Restore it from version control; "
        "if it is lost, delete it: mlgen then treats every existing file as yours and leaves it alone "
        "(run with --force to let mlgen overwrite them)."
    )


def load_manifest(root: Path) -> Manifest:
    """Read the manifest under ``root``; an absent manifest is an empty one (nothing written yet)."""
    manifest_file = root / MANIFEST_PATH
    if not manifest_file.exists():
        return Manifest()
    try:
        document = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _invalid(manifest_file, str(error)) from None
    if not isinstance(document, dict) or not isinstance(document.get("files"), dict):
        raise _invalid(manifest_file, "expected an object with a 'files' object")
    if document.get("format", MANIFEST_FORMAT) != MANIFEST_FORMAT:
        raise _invalid(
            manifest_file, f"format {document.get('format')!r}; this mlgen reads format {MANIFEST_FORMAT}"
        )
    files: dict[str, str] = {}
    for path, digest in document["files"].items():
        # A hand-edited manifest must not make the writer delete files outside the output root.
        try:
            validate_relative_path(path)
        except UnsafePathError as error:
            raise _invalid(manifest_file, error.message) from None
        if not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= _HEX_DIGITS:
            raise _invalid(manifest_file, f"entry {path!r} is not a SHA-256 hex digest")
        files[path] = digest
    return Manifest(files=files)
