"""Helpers for writer tests: build small trees and snapshot what is on disk."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mlgen.writer import GeneratedFile


def sample_tree() -> list[GeneratedFile]:
    return [
        GeneratedFile.text("infra/envs/dev/main.tf", 'module "kms" {\n  source = "../../modules/kms"\n}\n'),
        GeneratedFile.text("infra/envs/prod/main.tf", 'module "kms" {\n  source = "../../modules/kms"\n}\n'),
        GeneratedFile.text(
            "scripts/teardown.sh", "#!/usr/bin/env bash\nset -euo pipefail\n", executable=True
        ),
        GeneratedFile("data/blob.bin", bytes(range(256))),
        GeneratedFile.text("README.md", "# demo\n\ncafé ✓\r\nwindows line kept as is\r\n"),
    ]


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under root: (bytes, permission bits, mtime_ns). Directories appear with empty bytes."""
    result: dict[str, tuple[bytes, int, int]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        relative = path.relative_to(root).as_posix()
        if stat.S_ISDIR(info.st_mode):
            result[relative + "/"] = (b"", stat.S_IMODE(info.st_mode), 0)
        else:
            result[relative] = (path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_mtime_ns)
    return result


def age(path: Path, seconds: int = 3600) -> int:
    """Push a file's mtime into the past so a rewrite would be visible; returns the new mtime_ns."""
    info = path.stat()
    past = info.st_mtime_ns - seconds * 1_000_000_000
    os.utime(path, ns=(past, past))
    return past
