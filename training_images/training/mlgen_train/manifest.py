"""Dataset version: a digest over a manifest of the input files of every channel.

Same files (names, sizes and, by default, contents) give the same version on every platform, so a
run can be traced to the exact data it saw. ``metadata`` mode skips reading contents for datasets too
large to hash at start-up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def build_manifest(channels: Mapping[str, Path], mode: str = "content") -> dict[str, Any]:
    files = []
    for channel in sorted(channels):
        root = Path(channels[channel])
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            entry: dict[str, Any] = {
                "channel": channel,
                "path": path.name if path == root else path.relative_to(root).as_posix(),
                "bytes": path.stat().st_size,
            }
            if mode == "content":
                entry["sha256"] = _file_digest(path)
            files.append(entry)
    canonical = json.dumps(files, sort_keys=True, separators=(",", ":")).encode()
    return {"mode": mode, "files": files, "version": hashlib.sha256(canonical).hexdigest()[:16]}
