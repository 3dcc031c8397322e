"""The writer's data: generated files in, reports out. Plain frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mlgen.writer.errors import UnsafePathError
from mlgen.writer.paths import check_no_file_directory_clash, validate_relative_path


@dataclass(frozen=True)
class GeneratedFile:
    """One file of a generated tree: where it goes (relative POSIX path), its exact bytes, its mode."""

    path: str
    content: bytes
    executable: bool = False
    # A seed: written where no file exists; once its owner (a command or a person, e.g. `mlgen release`
    # for the release file) changes it, it is never updated, removed or reported as drift, even with --force.
    seed: bool = False

    def __post_init__(self) -> None:
        validate_relative_path(self.path)
        if not isinstance(self.content, bytes):
            # Text would leave the encoding and newline choice to chance; the generator decides them.
            raise TypeError(
                f"GeneratedFile.content for {self.path!r} must be bytes, got {type(self.content).__name__}"
            )

    @classmethod
    def text(cls, path: str, text: str, *, executable: bool = False, seed: bool = False) -> GeneratedFile:
        """A text file encoded as UTF-8 with the newlines exactly as given (no platform translation)."""
        return cls(path=path, content=text.encode("utf-8"), executable=executable, seed=seed)


GeneratedTree = Mapping[str, GeneratedFile] | Iterable[GeneratedFile]


def normalize_tree(files: GeneratedTree) -> dict[str, GeneratedFile]:
    """Return the tree as ``{path: file}`` sorted by path, after checking every path and duplicate."""
    if isinstance(files, Mapping):
        items = list(files.items())
        for key, generated in items:
            if not isinstance(generated, GeneratedFile):
                raise TypeError(
                    f"tree value for {key!r} must be a GeneratedFile, got {type(generated).__name__}"
                )
            if key != generated.path:
                raise UnsafePathError(f"tree key {key!r} does not match the file's path {generated.path!r}")
    else:
        items = []
        seen: set[str] = set()
        for generated in files:
            if not isinstance(generated, GeneratedFile):
                raise TypeError(f"tree items must be GeneratedFile, got {type(generated).__name__}")
            if generated.path in seen:
                raise UnsafePathError(f"generated path {generated.path!r} appears twice in the tree")
            seen.add(generated.path)
            items.append((generated.path, generated))
    tree = {path: generated for path, generated in sorted(items)}
    check_no_file_directory_clash(list(tree))
    return tree


@dataclass(frozen=True)
class SkippedFile:
    """A file mlgen did not touch, and why (shown to the user)."""

    path: str
    reason: str
    # False when --force cannot help (e.g. a directory is in the way): the user must move something.
    overridable: bool = True


@dataclass(frozen=True)
class WriteReport:
    """What :func:`mlgen.writer.write_tree` did. Every tuple is sorted by path."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    # Files the tree produces but mlgen left alone: edited since mlgen wrote them, or never written by it.
    skipped_edited: tuple[SkippedFile, ...] = ()
    # Files mlgen wrote earlier, no longer produces, and left in place because they were edited.
    kept_stale_edited: tuple[str, ...] = ()
    manifest_path: str = ".mlgen/manifest.json"

    @property
    def changed(self) -> bool:
        """True when anything on disk changed (the manifest aside)."""
        return bool(self.created or self.updated or self.removed)

    @property
    def complete(self) -> bool:
        """True when the tree on disk now is exactly what was generated (nothing was held back)."""
        return not (self.skipped_edited or self.kept_stale_edited)


@dataclass(frozen=True)
class DriftReport:
    """How the tree on disk differs from what would be generated. Every tuple is sorted by path."""

    # Generated files that are not on disk.
    missing: tuple[str, ...] = ()
    # Files mlgen wrote, unedited, whose content or mode is out of date: regenerating updates them.
    different: tuple[str, ...] = ()
    # Files whose content differs because someone edited them (or created them): regenerating keeps them.
    edited: tuple[SkippedFile, ...] = ()
    # Files mlgen wrote that the tree no longer produces: regenerating removes them.
    stale: tuple[str, ...] = ()
    # Files mlgen wrote, no longer produces, and that were edited: regenerating keeps them.
    stale_edited: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = field(default=(), repr=False)

    @property
    def clean(self) -> bool:
        """True when the tree on disk is exactly what would be generated (`mlgen generate --check` passes)."""
        return not (self.missing or self.different or self.edited or self.stale or self.stale_edited)
