"""Decide, without writing anything, what regenerating a tree would do to each path.

Both :func:`write_tree` (which then carries the decisions out) and :func:`check_tree` (which only reports
them) use this one function, so `mlgen generate --check` can never disagree with `mlgen generate`.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from mlgen.writer.manifest import Manifest, sha256_bytes, sha256_file
from mlgen.writer.model import GeneratedFile

EXECUTABLE_MODE = 0o755
REGULAR_MODE = 0o644

EDITED = "edited since mlgen wrote it"
NOT_WRITTEN_BY_MLGEN = "exists but was not written by mlgen"
SYMLINK_IN_PLACE = "is a symbolic link mlgen did not create"
OWNED_SEED = "a seed its owner has changed: never overwritten"


class Kind(Enum):
    CREATE = "create"  # not on disk
    UPDATE = "update"  # on disk, mlgen's and unedited (or forced), content or mode out of date
    UNCHANGED = "unchanged"  # already exactly what would be written
    SKIP = "skip"  # generated, but someone else's file is there: left alone
    REMOVE = "remove"  # mlgen's earlier file, no longer generated, unedited (or forced)
    KEEP_STALE = "keep_stale"  # mlgen's earlier file, no longer generated, edited: left alone
    FORGET = "forget"  # in the manifest, but gone or replaced by something that is not a file


@dataclass(frozen=True)
class Decision:
    path: str
    kind: Kind
    file: GeneratedFile | None = None
    reason: str = ""
    # False when --force cannot help (a directory is in the way): the user must move something.
    overridable: bool = True
    # True when the content is edited/foreign but --force was given (reported as updated/removed).
    forced: bool = False


def wanted_mode(generated: GeneratedFile) -> int:
    return EXECUTABLE_MODE if generated.executable else REGULAR_MODE


def _will_vanish(root: Path, relative: str, removing: frozenset[str]) -> bool:
    """True when ``relative`` is gone once the ``removing`` files are removed and emptied directories pruned."""
    target = root / relative
    if target.is_symlink():
        return False
    if target.is_file():
        return relative in removing
    if target.is_dir():
        entries = sorted(entry.name for entry in target.iterdir())
        # An empty directory stays: pruning only removes directories that a removal emptied.
        return bool(entries) and all(_will_vanish(root, f"{relative}/{name}", removing) for name in entries)
    return not target.exists()


def _obstacle(root: Path, path: str, removing: frozenset[str]) -> str | None:
    """Why nothing can be written at ``path`` (a parent is a file or a symlink), or None."""
    current = root
    for part in path.split("/")[:-1]:
        current = current / part
        relative = current.relative_to(root).as_posix()
        if current.is_symlink():
            # Following it could write outside the output root.
            return f"parent directory {relative} is a symbolic link"
        if current.exists() and not current.is_dir():
            if relative in removing:
                return None  # an old generated file that is removed first; the directory replaces it
            return f"parent path {relative} is a file, not a directory"
        if not current.exists():
            return None
    return None


def _decide_generated(
    root: Path, generated: GeneratedFile, recorded: str | None, force: bool, removing: frozenset[str]
) -> Decision:
    path = generated.path
    obstacle = _obstacle(root, path, removing)
    if obstacle:
        return Decision(path, Kind.SKIP, generated, obstacle, overridable=False)
    target = root / path
    if target.is_symlink():
        if force:
            return Decision(path, Kind.UPDATE, generated, SYMLINK_IN_PLACE, forced=True)
        return Decision(path, Kind.SKIP, generated, SYMLINK_IN_PLACE)
    if target.is_dir():
        if _will_vanish(root, path, removing):
            # Only old generated files live there; they are removed first (a directory became a file).
            return Decision(path, Kind.CREATE, generated)
        return Decision(path, Kind.SKIP, generated, "a directory is in the way", overridable=False)
    if not target.exists():
        return Decision(path, Kind.CREATE, generated)
    current = sha256_file(target)
    if generated.seed and current != sha256_bytes(generated.content):
        # Whatever is there now is the owner's (mlgen only wrote the first version): even --force keeps it.
        return Decision(path, Kind.UNCHANGED, generated, OWNED_SEED)
    if current == sha256_bytes(generated.content):
        # Identical content is mlgen's whatever its history (a file a person made identical is adopted).
        if stat.S_IMODE(target.stat().st_mode) != wanted_mode(generated):
            return Decision(path, Kind.UPDATE, generated, "file mode")
        return Decision(path, Kind.UNCHANGED, generated)
    if recorded == current:
        return Decision(path, Kind.UPDATE, generated)
    reason = EDITED if recorded is not None else NOT_WRITTEN_BY_MLGEN
    if force:
        return Decision(path, Kind.UPDATE, generated, reason, forced=True)
    return Decision(path, Kind.SKIP, generated, reason)


def _decide_stale(root: Path, path: str, recorded: str, force: bool) -> Decision:
    target = root / path
    if _obstacle(root, path, frozenset()) or target.is_symlink() or not target.is_file():
        # Gone, or replaced by something that is not mlgen's file: nothing of ours to remove.
        return Decision(path, Kind.FORGET)
    if sha256_file(target) == recorded:
        return Decision(path, Kind.REMOVE)
    if force:
        return Decision(path, Kind.REMOVE, reason=EDITED, forced=True)
    return Decision(path, Kind.KEEP_STALE, reason=EDITED)


def decide(root: Path, tree: dict[str, GeneratedFile], manifest: Manifest, *, force: bool) -> list[Decision]:
    """One decision per generated path and per manifest path no longer generated, sorted by path.

    Stale files are decided first: a generated path may only be free once they are removed (a file that
    became a directory or the other way round), and the writer carries out removals before writes.
    """
    stale = [
        _decide_stale(root, path, recorded, force)
        for path, recorded in manifest.files.items()
        if path not in tree
    ]
    removing = frozenset(decision.path for decision in stale if decision.kind is Kind.REMOVE)
    generated = [
        _decide_generated(root, file, manifest.files.get(path), force, removing)
        for path, file in tree.items()
    ]
    return sorted(stale + generated, key=lambda decision: decision.path)
