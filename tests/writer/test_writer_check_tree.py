"""check_tree: what `mlgen generate --check` sees; it must write nothing and agree with write_tree."""

from __future__ import annotations

import os
from pathlib import Path

from writer_helpers import snapshot

from mlgen.writer import GeneratedFile, check_tree, write_tree


def test_an_empty_directory_reports_every_file_missing_and_creates_nothing(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    report = check_tree(tmp_path / "absent", tree)

    assert report.missing == tuple(sorted(f.path for f in tree))
    assert not report.clean
    assert not (tmp_path / "absent").exists()


def test_a_freshly_written_tree_is_clean(tmp_path: Path, tree: list[GeneratedFile]) -> None:
    write_tree(tmp_path, tree)

    report = check_tree(tmp_path, tree)

    assert report.clean
    assert report.unchanged == tuple(sorted(f.path for f in tree))


def test_every_kind_of_drift_is_reported_and_nothing_is_written(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    write_tree(
        tmp_path, [*tree, GeneratedFile.text("old/a.txt", "a\n"), GeneratedFile.text("old/b.txt", "b\n")]
    )
    (tmp_path / "README.md").unlink()  # missing
    (tmp_path / "infra/envs/prod/main.tf").write_text("# hand edit\n", encoding="utf-8")  # edited
    (tmp_path / "old/b.txt").write_text("b edited\n", encoding="utf-8")  # stale and edited
    os.chmod(tmp_path / "scripts/teardown.sh", 0o644)  # mode drift
    new_tree = [
        GeneratedFile.text(f.path, "# spec changed\n") if f.path == "infra/envs/dev/main.tf" else f
        for f in tree
    ]
    before = snapshot(tmp_path)

    report = check_tree(tmp_path, new_tree)

    assert snapshot(tmp_path) == before
    assert report.missing == ("README.md",)
    assert report.different == ("infra/envs/dev/main.tf", "scripts/teardown.sh")
    assert [(e.path, e.reason) for e in report.edited] == [
        ("infra/envs/prod/main.tf", "edited since mlgen wrote it")
    ]
    assert report.stale == ("old/a.txt",)
    assert report.stale_edited == ("old/b.txt",)
    assert not report.clean


def test_a_user_created_file_at_a_generated_path_is_flagged(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")

    report = check_tree(tmp_path, tree)

    assert [(e.path, e.reason) for e in report.edited] == [
        ("README.md", "exists but was not written by mlgen")
    ]


def test_after_generate_only_the_protected_edits_remain_as_drift(
    tmp_path: Path, tree: list[GeneratedFile]
) -> None:
    write_tree(tmp_path, [*tree, GeneratedFile.text("old/a.txt", "a\n")])
    (tmp_path / "infra/envs/prod/main.tf").write_text("# hand edit\n", encoding="utf-8")
    new_tree = [GeneratedFile.text(f.path, "# v2\n") if f.path.endswith(".tf") else f for f in tree]

    write_tree(tmp_path, new_tree)
    report = check_tree(tmp_path, new_tree)

    assert [e.path for e in report.edited] == ["infra/envs/prod/main.tf"]
    assert not (report.missing or report.different or report.stale or report.stale_edited)

    write_tree(tmp_path, new_tree, force=True)
    assert check_tree(tmp_path, new_tree).clean
