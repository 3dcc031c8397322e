"""Regeneration: determinism, edit protection, the --check drift check, stale-file removal."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.generate.conftest import init_project, run_cli

from mlgen.pipeline import render_from_spec


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_spec_gives_the_same_bytes(tmp_path: Path) -> None:
    first = init_project(tmp_path / "a" / "demo", "production")
    second = init_project(tmp_path / "b" / "demo", "production")
    assert tree_bytes(first) == tree_bytes(second)
    rendered_twice = [render_from_spec(first / "mlgen.yaml") for _ in range(2)]
    assert rendered_twice[0] == rendered_twice[1]


def test_generate_right_after_init_changes_nothing(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    before = tree_bytes(project)
    code, output = run_cli("generate", "--spec", str(project / "mlgen.yaml"))
    assert code == 0, output
    assert "created 0, updated 0" in output
    assert tree_bytes(project) == before


def test_edited_file_is_kept_and_reported_until_force(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    edited = project / "infra/envs/dev/main.tf"
    edited.write_text(edited.read_text() + "\n# my own change\n")
    spec = project / "mlgen.yaml"
    spec.write_text(spec.read_text().replace("tags: {}", "tags: {team: risk}"))

    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 0, output
    assert "infra/envs/dev/main.tf" in output and "--force" in output
    assert edited.read_text().endswith("# my own change\n")
    # Files the user did not touch picked up the change.
    assert re.search(r'team\s+= "risk"', (project / "infra/envs/dev/providers.tf").read_text())

    code, output = run_cli("generate", "--spec", str(spec), "--force")
    assert code == 0, output
    assert "# my own change" not in edited.read_text()
    assert re.search(r'team\s+= "risk"', edited.read_text())


def test_check_passes_on_a_fresh_tree_and_fails_on_drift(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    code, output = run_cli("generate", "--spec", str(spec), "--check")
    assert code == 0, output

    spec.write_text(spec.read_text().replace("tags: {}", "tags: {team: risk}"))
    before = tree_bytes(project)
    code, output = run_cli("generate", "--spec", str(spec), "--check")
    assert code == 1
    assert "infra/envs/dev/main.tf" in output and "infra/envs/dev/providers.tf" in output
    assert tree_bytes(project) == before  # --check writes nothing


def test_check_reports_a_hand_edit(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    (project / "Makefile").write_text("all:\n\techo hand-made\n")
    code, output = run_cli("generate", "--spec", str(project / "mlgen.yaml"), "--check")
    assert code == 1
    assert "Makefile" in output


def test_removed_environment_files_are_deleted_but_edited_ones_kept(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "production")
    spec = project / "mlgen.yaml"
    text = spec.read_text()
    start = text.index("  staging:")
    end = text.index("  prod:")
    spec.write_text(text[:start] + text[end:])
    edited = project / "scripts/teardown-staging.sh"
    edited.write_text(edited.read_text() + "# keep me\n")

    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 0, output
    assert not (project / "infra/envs/staging").exists()
    assert not (project / "infra/bootstrap/staging").exists()
    assert edited.exists() and "scripts/teardown-staging.sh" in output
    assert (project / "infra/envs/prod/main.tf").exists()


def test_bad_spec_on_generate_exits_2_without_traceback(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    spec.write_text(
        spec.read_text().replace("blueprint: starter", "blueprint: starter\nnetwork: {nat: sometimes}")
    )
    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 2
    assert "network.nat" in output and "Traceback" not in output


def test_copy_of_project_checks_clean(tmp_path: Path, generated_project: Path) -> None:
    # Moving a project (as a git clone does) keeps it in sync: nothing in it depends on its location.
    copy = tmp_path / "clone"
    shutil.copytree(generated_project, copy)
    code, output = run_cli("generate", "--spec", str(copy / "mlgen.yaml"), "--check")
    assert code == 0, output
