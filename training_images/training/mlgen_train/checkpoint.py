"""Atomic, verifiable checkpoints for spot capacity.

Layout in the checkpoint directory::

    ckpt-000001200.pt     torch.save() bytes of the training state
    ckpt-000001200.json   {"step": 1200, "sha256": ..., "bytes": ...}, written after the .pt

Both files are written to a temporary name and renamed, so a reader never sees half a file under a
final name. The sidecar is written last: a checkpoint without one, or whose bytes do not match its
digest (a truncated upload, a flipped byte), is skipped in favour of the previous one. SageMaker syncs
this directory to S3 and Vertex AI's is a Cloud Storage FUSE mount, where rename is copy-then-delete:
the digest check is what makes those safe.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_NAME = re.compile(r"^ckpt-(\d{9})\.pt$")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class LoadedCheckpoint:
    path: Path
    step: int
    state: dict[str, Any]


def checkpoint_path(directory: Path, step: int) -> Path:
    return directory / f"ckpt-{step:09d}.pt"


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not every filesystem (FUSE mounts) lets us open a directory
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _atomic_write(final: Path, data: bytes) -> None:
    temporary = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _fsync_directory(final.parent)


def list_checkpoints(directory: Path) -> list[tuple[int, Path]]:
    """Checkpoint files by step, newest first (validity not checked)."""
    if not directory.is_dir():
        return []
    found = []
    for entry in directory.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry))
    return sorted(found, reverse=True)


def save_checkpoint(directory: Path, step: int, state: dict[str, Any], keep: int) -> Path:
    import torch

    directory.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    torch.save({"format_version": FORMAT_VERSION, **state}, buffer)
    data = buffer.getvalue()
    final = checkpoint_path(directory, step)
    _atomic_write(final, data)
    sidecar = {"step": step, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    _atomic_write(final.with_suffix(".json"), json.dumps(sidecar, sort_keys=True).encode())
    prune_checkpoints(directory, keep)
    return final


def prune_checkpoints(directory: Path, keep: int) -> None:
    for _, path in list_checkpoints(directory)[keep:]:
        for victim in (path, path.with_suffix(".json")):
            victim.unlink(missing_ok=True)
    for leftover in directory.glob(".ckpt-*.tmp-*"):
        if leftover.name.endswith(f".tmp-{os.getpid()}"):
            continue
        leftover.unlink(missing_ok=True)  # a writer died mid-write (e.g. SIGKILL after the grace period)


def _verify(path: Path) -> tuple[bytes, str | None]:
    sidecar_path = path.with_suffix(".json")
    try:
        sidecar = json.loads(sidecar_path.read_text())
    except FileNotFoundError:
        return b"", "its .json sidecar is missing (the write did not finish)"
    except (json.JSONDecodeError, UnicodeDecodeError):
        return b"", "its .json sidecar is unreadable"
    data = path.read_bytes()
    if len(data) != sidecar.get("bytes"):
        return b"", f"it has {len(data)} bytes, the sidecar says {sidecar.get('bytes')}"
    if hashlib.sha256(data).hexdigest() != sidecar.get("sha256"):
        return b"", "its SHA-256 does not match the sidecar"
    return data, None


def load_latest_checkpoint(directory: Path) -> LoadedCheckpoint | None:
    """Load the newest checkpoint that verifies; skip (and report) corrupt or partial ones."""
    import torch

    for step, path in list_checkpoints(directory):
        data, problem = _verify(path)
        if problem is None:
            try:
                # weights_only: a checkpoint synced from object storage is not trusted to run code.
                state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
            except Exception as exc:  # noqa: BLE001 - any unreadable payload means "skip this one"
                problem = f"torch.load failed: {exc}"
            else:
                if state.get("format_version") == FORMAT_VERSION:
                    return LoadedCheckpoint(path=path, step=step, state=state)
                problem = f"unknown format_version {state.get('format_version')!r}"
        log.warning("skipping checkpoint %s: %s", path, problem)
    return None
