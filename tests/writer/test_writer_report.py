"""The human summaries printed by `mlgen generate` and `mlgen generate --check`."""

from __future__ import annotations

from pathlib import Path

from mlgen.writer import (
    DriftReport,
    GeneratedFile,
    SkippedFile,
    WriteReport,
    check_tree,
    format_drift_report,
    format_write_report,
    write_tree,
)


def test_write_summary_names_the_edited_file_and_the_way_out() -> None:
    report = WriteReport(
        created=tuple(f"f{i}" for i in range(42)),
        updated=("a", "b", "c"),
        unchanged=tuple(f"u{i}" for i in range(10)),
        removed=("gone",),
        skipped_edited=(SkippedFile("infra/envs/dev/main.tf", "edited since mlgen wrote it"),),
    )

    assert format_write_report(report) == (
        "created 42, updated 3, unchanged 10, removed 1; kept 1 edited file: "
        "infra/envs/dev/main.tf (edited since mlgen wrote it; use --force to overwrite)"
    )


def test_write_summary_lists_several_files_one_per_line_and_stale_ones_separately() -> None:
    report = WriteReport(
        skipped_edited=(
            SkippedFile("a.tf", "edited since mlgen wrote it"),
            SkippedFile("b", "a directory is in the way", overridable=False),
        ),
        kept_stale_edited=("old.md",),
    )

    assert format_write_report(report) == (
        "created 0, updated 0, unchanged 0, removed 0; kept 2 edited files:\n"
        "  a.tf (edited since mlgen wrote it; use --force to overwrite)\n"
        "  b (a directory is in the way; move it out of the way and regenerate); "
        "kept 1 edited file mlgen no longer generates: "
        "old.md (mlgen no longer generates it; it is yours now, delete it if unneeded)"
    )


def test_a_real_write_is_summarised_from_its_report(tmp_path: Path) -> None:
    files = [GeneratedFile("a.txt", b"a"), GeneratedFile("b.txt", b"b")]
    write_tree(tmp_path, files)
    (tmp_path / "a.txt").write_bytes(b"edited")

    text = format_write_report(write_tree(tmp_path, [*files, GeneratedFile("c.txt", b"c")]))

    assert text == (
        "created 1, updated 0, unchanged 1, removed 0; kept 1 edited file: "
        "a.txt (edited since mlgen wrote it; use --force to overwrite)"
    )


def test_drift_summary_for_a_clean_tree(tmp_path: Path) -> None:
    files = [GeneratedFile("a.txt", b"a")]
    write_tree(tmp_path, files)

    assert (
        format_drift_report(check_tree(tmp_path, files)) == "generated files are up to date (1 file checked)"
    )


def test_drift_summary_lists_each_kind() -> None:
    report = DriftReport(
        missing=("m.tf",),
        different=("d1.tf", "d2.tf"),
        edited=(SkippedFile("e.tf", "edited since mlgen wrote it"),),
        stale=("s.tf",),
        stale_edited=("se.tf",),
    )

    assert format_drift_report(report) == (
        "1 file missing: m.tf\n"
        "2 files out of date:\n  d1.tf\n  d2.tf\n"
        "1 file changed by hand: e.tf (edited since mlgen wrote it)\n"
        "1 file no longer generated: s.tf\n"
        "1 edited file no longer generated: se.tf\n"
        "run `mlgen generate` to update the tree (edited files need --force)"
    )
