"""Write a generated tree to disk safely and deterministically, and record what was written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mlgen.writer.decide import OWNED_SEED, Decision, Kind, decide, wanted_mode
from mlgen.writer.errors import WriterError
from mlgen.writer.manifest import MANIFEST_PATH, Manifest, load_manifest, sha256_bytes
from mlgen.writer.model import DriftReport, GeneratedTree, SkippedFile, WriteReport, normalize_tree
from mlgen.writer.paths import STATE_DIR


def atomic_write(target: Path, content: bytes, mode: int) -> None:
    """Replace ``target`` with ``content`` in one rename, so no reader ever sees a half-written file.

    No fsync: the output is regenerable, so surviving a power cut is not worth slowing every write.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".mlgen-tmp", dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
        # Explicit mode: the result must not depend on the user's umask.
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _filesystem_errors_as_writer_errors() -> Iterator[None]:
    """A file that cannot be read or written is the user's to fix: say which, without a traceback."""
    try:
        yield
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise WriterError(f"cannot update the generated tree: {where}{error.strerror or error}") from None


def _prepare_root(root: Path) -> Path:
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise WriterError(f"output directory {root} exists and is not a directory")
    return root


def _prune_empty_parents(root: Path, path: str) -> None:
    """Remove directories that became empty because mlgen removed ``path`` (never ``root`` itself)."""
    directory = (root / path).parent
    root_resolved = root.resolve()
    while directory.resolve() != root_resolved:
        if any(directory.iterdir()):
            return
        directory.rmdir()
        directory = directory.parent


def _carry_out(root: Path, decision: Decision) -> None:
    target = root / decision.path
    if decision.kind in (Kind.CREATE, Kind.UPDATE):
        assert decision.file is not None
        current_content = target.read_bytes() if target.is_file() and not target.is_symlink() else None
        if current_content == decision.file.content:
            os.chmod(target, wanted_mode(decision.file))  # only the mode was out of date: keep the mtime
        else:
            atomic_write(target, decision.file.content, wanted_mode(decision.file))
    elif decision.kind is Kind.REMOVE:
        target.unlink()
        _prune_empty_parents(root, decision.path)


@_filesystem_errors_as_writer_errors()
def write_tree(root: Path, files: GeneratedTree, *, force: bool = False) -> WriteReport:
    """Write ``files`` under ``root``; never overwrite or delete a file a person edited unless ``force``.

    * Files are written in sorted path order with their exact bytes, mode 0o755 if executable else 0o644.
    * A file whose content and mode already match is not touched (its mtime is preserved).
    * A file that differs from what mlgen last wrote there (per `.mlgen/manifest.json`), or that mlgen
      never wrote, is left alone and reported in ``skipped_edited`` — unless ``force``.
    * Files mlgen wrote earlier that ``files`` no longer contains are removed if unedited, and directories
      left empty by that are pruned; edited ones are kept, reported in ``kept_stale_edited`` and handed
      over to the user (dropped from the manifest) — unless ``force``, which removes them too.
    * The manifest records the SHA-256 of every file mlgen wrote (or found already identical).
    """
    root = _prepare_root(root)
    tree = normalize_tree(files)
    state_dir = root / STATE_DIR
    if state_dir.is_symlink() or (state_dir.exists() and not state_dir.is_dir()):
        # Checked before writing anything, so a run never ends with files written but no manifest.
        raise WriterError(f"{state_dir} must be a directory: mlgen keeps its manifest there; move it away")
    manifest = load_manifest(root)
    decisions = decide(root, tree, manifest, force=force)

    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriterError(f"cannot create output directory {root}: {error.strerror or error}") from None
    recorded: dict[str, str] = {}
    buckets: dict[Kind, list[str]] = {kind: [] for kind in Kind}
    skipped: list[SkippedFile] = []
    # Removals first: a removed file (and the directories it empties) may stand where a new file goes.
    for decision in decisions:
        if decision.kind is Kind.REMOVE:
            _carry_out(root, decision)
    for decision in decisions:
        if decision.kind is not Kind.REMOVE:
            _carry_out(root, decision)
        buckets[decision.kind].append(decision.path)
        if decision.kind in (Kind.CREATE, Kind.UPDATE, Kind.UNCHANGED):
            assert decision.file is not None
            if decision.reason != OWNED_SEED:  # a changed seed is its owner's: never removed as stale
                recorded[decision.path] = sha256_bytes(decision.file.content)
        elif decision.kind is Kind.SKIP:
            skipped.append(SkippedFile(decision.path, decision.reason, decision.overridable))
            # Keep the old hash so the file still reads as "edited" next time, not as "never mlgen's".
            if decision.path in manifest.files:
                recorded[decision.path] = manifest.files[decision.path]

    manifest_bytes = Manifest(files=recorded).to_bytes()
    manifest_file = root / MANIFEST_PATH
    if not (manifest_file.is_file() and manifest_file.read_bytes() == manifest_bytes):
        atomic_write(manifest_file, manifest_bytes, 0o644)

    return WriteReport(
        created=tuple(buckets[Kind.CREATE]),
        updated=tuple(buckets[Kind.UPDATE]),
        unchanged=tuple(buckets[Kind.UNCHANGED]),
        removed=tuple(buckets[Kind.REMOVE]),
        skipped_edited=tuple(skipped),
        kept_stale_edited=tuple(buckets[Kind.KEEP_STALE]),
        manifest_path=MANIFEST_PATH,
    )


@_filesystem_errors_as_writer_errors()
def check_tree(root: Path, files: GeneratedTree) -> DriftReport:
    """Compare the tree under ``root`` with ``files`` and report every difference; write nothing.

    ``report.clean`` is what `mlgen generate --check` exits on.
    """
    root = _prepare_root(root)
    tree = normalize_tree(files)
    manifest = load_manifest(root)
    decisions = decide(root, tree, manifest, force=False)
    by_kind: dict[Kind, list[str]] = {kind: [] for kind in Kind}
    edited: list[SkippedFile] = []
    for decision in decisions:
        by_kind[decision.kind].append(decision.path)
        if decision.kind is Kind.SKIP:
            edited.append(SkippedFile(decision.path, decision.reason, decision.overridable))
    return DriftReport(
        missing=tuple(by_kind[Kind.CREATE]),
        different=tuple(by_kind[Kind.UPDATE]),
        edited=tuple(edited),
        stale=tuple(by_kind[Kind.REMOVE]),
        stale_edited=tuple(by_kind[Kind.KEEP_STALE]),
        unchanged=tuple(by_kind[Kind.UNCHANGED]),
    )
