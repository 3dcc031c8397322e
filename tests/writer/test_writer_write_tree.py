"""write_tree: deterministic output, edit protection, stale removal, modes, safety."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from writer_helpers import age, sample_tree, snapshot

from mlgen import __version__
from mlgen.writer import MANIFEST_PATH, GeneratedFile, ManifestError, WriterError, check_tree, write_tree


def _manifest(root: Path) -> dict:
    return json.loads((root / MANIFEST_PATH).read_text(encoding="utf-8"))


def test_first_write_creates_every_file_with_exact_bytes(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    report = write_tree(tmp_path / "out", tree)

    assert report.created == tuple(sorted(f.path for f in tree))
    assert not (report.updated or report.unchanged or report.removed or report.skipped_edited)
    for generated in tree:
        assert (tmp_path / "out" / generated.path).read_bytes() == generated.content


def test_two_writes_of_the_same_tree_are_byte_identical_whatever_the_input_order(tmp_path: Path) -> None:
    forward = sample_tree()
    backward_mapping = {f.path: f for f in reversed(sample_tree())}

    write_tree(tmp_path / "a", forward)
    write_tree(tmp_path / "b", backward_mapping)

    def contents(root: Path) -> dict[str, tuple[bytes, int]]:
        return {path: (data, mode) for path, (data, mode, _) in snapshot(root).items()}

    assert contents(tmp_path / "a") == contents(tmp_path / "b")
    assert (tmp_path / "a" / MANIFEST_PATH).read_bytes() == (tmp_path / "b" / MANIFEST_PATH).read_bytes()


def test_manifest_records_sha256_of_each_file_sorted_with_version_and_no_timestamp(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    write_tree(tmp_path, tree)
    raw = (tmp_path / MANIFEST_PATH).read_text(encoding="utf-8")
    document = json.loads(raw)

    assert raw.endswith("}\n") and not raw.endswith("\n\n")
    assert document["mlgen_version"] == __version__
    assert document["files"] == {f.path: hashlib.sha256(f.content).hexdigest() for f in tree}
    assert list(document["files"]) == sorted(document["files"])
    assert raw == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert set(document) == {"files", "format", "generator", "mlgen_version"}


def test_rewriting_an_unchanged_tree_touches_nothing(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, tree)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            age(path)
    before = snapshot(tmp_path)

    report = write_tree(tmp_path, tree)

    assert report.unchanged == tuple(sorted(f.path for f in tree))
    assert not report.changed and report.complete
    assert snapshot(tmp_path) == before  # bytes, modes and mtimes, the manifest included


def test_changed_content_updates_an_unedited_file(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, tree)
    new = GeneratedFile.text("infra/envs/dev/main.tf", "# v2\n")

    report = write_tree(tmp_path, [new if f.path == new.path else f for f in tree])

    assert report.updated == ("infra/envs/dev/main.tf",)
    assert (tmp_path / new.path).read_bytes() == b"# v2\n"
    assert _manifest(tmp_path)["files"][new.path] == hashlib.sha256(b"# v2\n").hexdigest()


def test_edited_file_is_left_alone_reported_and_still_protected_on_the_next_run(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    write_tree(tmp_path, tree)
    edited = tmp_path / "infra/envs/dev/main.tf"
    edited.write_text("# my change\n", encoding="utf-8")
    regenerated = [
        GeneratedFile.text(f.path, "# v2\n") if f.path == "infra/envs/dev/main.tf" else f for f in tree
    ]

    for _ in range(2):  # the second run must still recognise the edit (the manifest keeps the old hash)
        report = write_tree(tmp_path, regenerated)
        assert [(s.path, s.reason) for s in report.skipped_edited] == [
            ("infra/envs/dev/main.tf", "edited since mlgen wrote it")
        ]
        assert "infra/envs/dev/main.tf" not in report.updated
        assert edited.read_text(encoding="utf-8") == "# my change\n"
        assert not report.complete


def test_force_overwrites_an_edited_file(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, tree)
    edited = tmp_path / "infra/envs/dev/main.tf"
    edited.write_text("# my change\n", encoding="utf-8")

    report = write_tree(tmp_path, tree, force=True)

    assert report.updated == ("infra/envs/dev/main.tf",) and not report.skipped_edited
    assert edited.read_bytes() == next(f.content for f in tree if f.path == "infra/envs/dev/main.tf")
    assert check_tree(tmp_path, tree).clean


def test_user_created_file_at_a_generated_path_is_protected(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    mine = tmp_path / "scripts/teardown.sh"
    mine.parent.mkdir(parents=True)
    mine.write_text("echo mine\n", encoding="utf-8")

    report = write_tree(tmp_path, tree)

    assert [(s.path, s.reason) for s in report.skipped_edited] == [
        ("scripts/teardown.sh", "exists but was not written by mlgen")
    ]
    assert mine.read_text(encoding="utf-8") == "echo mine\n"
    assert "scripts/teardown.sh" not in _manifest(tmp_path)["files"]

    forced = write_tree(tmp_path, tree, force=True)
    assert forced.updated == ("scripts/teardown.sh",)
    assert mine.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash")


def test_a_user_file_identical_to_the_generated_one_is_adopted(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    readme = next(f for f in tree if f.path == "README.md")
    (tmp_path / "README.md").write_bytes(readme.content)
    os.chmod(tmp_path / "README.md", 0o644)

    report = write_tree(tmp_path, tree)

    assert "README.md" in report.unchanged
    assert _manifest(tmp_path)["files"]["README.md"] == hashlib.sha256(readme.content).hexdigest()


def test_deleted_generated_file_is_recreated(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, tree)
    (tmp_path / "README.md").unlink()

    assert write_tree(tmp_path, tree).created == ("README.md",)


def test_files_no_longer_generated_are_removed_and_empty_directories_pruned(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    extra = [
        GeneratedFile.text("infra/envs/qa/nested/deep/main.tf", "x = 1\n"),
        GeneratedFile.text("infra/x.tf", ""),
    ]
    write_tree(tmp_path, tree + extra)
    (tmp_path / "unrelated-empty-dir").mkdir()

    report = write_tree(tmp_path, tree)

    assert report.removed == ("infra/envs/qa/nested/deep/main.tf", "infra/x.tf")
    assert not (tmp_path / "infra/envs/qa").exists()  # the whole chain of emptied directories went
    assert (tmp_path / "infra/envs/dev/main.tf").is_file()  # siblings stay
    assert (tmp_path / "unrelated-empty-dir").is_dir()  # directories mlgen did not empty stay
    assert set(_manifest(tmp_path)["files"]) == {f.path for f in tree}


def test_directory_with_a_user_file_is_not_pruned(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, [*tree, GeneratedFile.text("extra/gen.txt", "g\n")])
    (tmp_path / "extra/mine.txt").write_text("mine\n", encoding="utf-8")

    report = write_tree(tmp_path, tree)

    assert report.removed == ("extra/gen.txt",)
    assert (tmp_path / "extra/mine.txt").read_text(encoding="utf-8") == "mine\n"


def test_edited_stale_file_is_kept_reported_and_handed_over(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    write_tree(tmp_path, [*tree, GeneratedFile.text("old/notes.md", "generated\n")])
    (tmp_path / "old/notes.md").write_text("generated\nplus my notes\n", encoding="utf-8")

    report = write_tree(tmp_path, tree)

    assert report.kept_stale_edited == ("old/notes.md",) and not report.removed
    assert (tmp_path / "old/notes.md").read_text(encoding="utf-8") == "generated\nplus my notes\n"
    # Handed over: no longer in the manifest, so later runs neither report nor touch it.
    assert "old/notes.md" not in _manifest(tmp_path)["files"]
    again = write_tree(tmp_path, tree)
    assert not again.kept_stale_edited and not again.removed
    assert (tmp_path / "old/notes.md").exists()


def test_force_also_removes_an_edited_stale_file(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, [*tree, GeneratedFile.text("old/notes.md", "generated\n")])
    (tmp_path / "old/notes.md").write_text("edited\n", encoding="utf-8")

    report = write_tree(tmp_path, tree, force=True)

    assert report.removed == ("old/notes.md",)
    assert not (tmp_path / "old").exists()


def test_modes_are_exact_whatever_the_umask(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    previous = os.umask(0o077)
    try:
        write_tree(tmp_path, tree)
    finally:
        os.umask(previous)
    for generated in tree:
        mode = stat.S_IMODE((tmp_path / generated.path).stat().st_mode)
        assert mode == (0o755 if generated.executable else 0o644), generated.path


def test_a_wrong_mode_is_repaired_without_rewriting_the_content(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    write_tree(tmp_path, tree)
    script = tmp_path / "scripts/teardown.sh"
    os.chmod(script, 0o644)
    mtime = age(script)

    report = write_tree(tmp_path, tree)

    assert report.updated == ("scripts/teardown.sh",)
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert script.stat().st_mtime_ns == mtime


def test_a_directory_in_the_way_is_reported_even_with_force(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    (tmp_path / "README.md").mkdir()
    (tmp_path / "README.md/keep.txt").write_text("k", encoding="utf-8")

    report = write_tree(tmp_path, tree, force=True)

    assert [(s.path, s.reason, s.overridable) for s in report.skipped_edited] == [
        ("README.md", "a directory is in the way", False)
    ]
    assert (tmp_path / "README.md/keep.txt").exists()


def test_a_symlinked_parent_directory_is_never_written_through(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "scripts").symlink_to(outside, target_is_directory=True)

    report = write_tree(root, tree, force=True)

    assert [s.path for s in report.skipped_edited] == ["scripts/teardown.sh"]
    assert "symbolic link" in report.skipped_edited[0].reason
    assert list(outside.iterdir()) == []


def test_a_symlink_at_a_generated_path_is_protected_and_force_replaces_only_the_link(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("precious\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "README.md").symlink_to(target)

    assert [s.path for s in write_tree(root, tree).skipped_edited] == ["README.md"]
    assert (root / "README.md").is_symlink()

    write_tree(root, tree, force=True)
    assert not (root / "README.md").is_symlink()
    assert target.read_text(encoding="utf-8") == "precious\n"


def test_no_temporary_files_are_left_behind(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, tree)
    write_tree(tmp_path, [GeneratedFile.text(f.path, "v2\n") for f in tree])

    leftovers = [p for p in tmp_path.rglob("*") if "mlgen-tmp" in p.name]
    assert leftovers == []


def test_a_corrupt_manifest_stops_the_write_with_advice(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    (tmp_path / ".mlgen").mkdir()
    (tmp_path / MANIFEST_PATH).write_text("{not json", encoding="utf-8")

    with pytest.raises(ManifestError, match="delete it"):
        write_tree(tmp_path, tree)
    assert not (tmp_path / "README.md").exists()


def test_a_manifest_entry_outside_the_root_is_refused_not_deleted(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("v", encoding="utf-8")
    root = tmp_path / "root"
    (root / ".mlgen").mkdir(parents=True)
    digest = hashlib.sha256(b"v").hexdigest()
    (root / MANIFEST_PATH).write_text(
        json.dumps({"format": 1, "files": {"../victim.txt": digest}}), encoding="utf-8"
    )

    with pytest.raises(ManifestError, match=r"\.\."):
        write_tree(root, tree)
    assert victim.exists()


def test_a_root_that_is_a_file_is_a_clear_error(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    (tmp_path / "out").write_text("", encoding="utf-8")

    with pytest.raises(WriterError, match="not a directory"):
        write_tree(tmp_path / "out", tree)


def test_a_state_path_that_is_not_a_directory_stops_the_run_before_writing(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    (tmp_path / ".mlgen").write_text("not a directory", encoding="utf-8")

    with pytest.raises(WriterError, match=r"\.mlgen must be a directory"):
        write_tree(tmp_path, tree)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".mlgen"]


def test_filesystem_errors_become_writer_errors_naming_the_file(tmp_path: Path) -> None:
    too_long = "n" * 300 + ".txt"  # longer than any Linux file name may be: the OS refuses it

    with pytest.raises(
        WriterError, match=r"cannot update the generated tree: .*nnnn\.txt: File name too long"
    ):
        write_tree(tmp_path, [GeneratedFile(too_long, b"")])
    with pytest.raises(WriterError, match="File name too long"):
        check_tree(tmp_path, [GeneratedFile(too_long, b"")])


def test_a_manifest_that_cannot_be_read_is_a_manifest_error(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_PATH).mkdir(parents=True)

    with pytest.raises(ManifestError, match="not a valid mlgen manifest"):
        write_tree(tmp_path, [GeneratedFile("a.txt", b"a")])


def test_a_generated_file_that_becomes_a_directory_converges_in_one_run(tmp_path: Path) -> None:
    write_tree(tmp_path, [GeneratedFile("policies", b"old single file\n")])
    new_tree = [GeneratedFile("policies/ml.rego", b"package ml\n")]

    report = write_tree(tmp_path, new_tree)

    assert report.removed == ("policies",) and report.created == ("policies/ml.rego",)
    assert check_tree(tmp_path, new_tree).clean


def test_a_generated_directory_that_becomes_a_file_converges_in_one_run(tmp_path: Path) -> None:
    write_tree(
        tmp_path, [GeneratedFile("policies/a/ml.rego", b"a\n"), GeneratedFile("policies/b.rego", b"b\n")]
    )
    new_tree = [GeneratedFile("policies", b"now one file\n")]

    report = write_tree(tmp_path, new_tree)

    assert report.removed == ("policies/a/ml.rego", "policies/b.rego") and report.created == ("policies",)
    assert (tmp_path / "policies").read_bytes() == b"now one file\n"
    assert check_tree(tmp_path, new_tree).clean


def test_a_directory_holding_a_user_file_still_blocks_a_generated_file(tmp_path: Path) -> None:
    write_tree(tmp_path, [GeneratedFile("policies/b.rego", b"b\n")])
    (tmp_path / "policies/mine.rego").write_bytes(b"mine\n")

    report = write_tree(tmp_path, [GeneratedFile("policies", b"file\n")], force=True)

    assert [s.reason for s in report.skipped_edited] == ["a directory is in the way"]
    assert report.removed == ("policies/b.rego",)
    assert (tmp_path / "policies/mine.rego").read_bytes() == b"mine\n"
