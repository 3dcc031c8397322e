"""The cdktf output format through the CLI: choosing it, edit protection, drift check, switching back.

No synthesis here (tests/render/test_cdktf_app.py synthesizes); wall time about 3 s.
"""

from __future__ import annotations

from pathlib import Path

from tests.generate.conftest import init_project, run_cli

APP = "infra/cdktf"


def test_format_flag_writes_the_app_instead_of_the_hcl_roots(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    code, output = run_cli("generate", "--spec", str(project / "mlgen.yaml"), "--format", "cdktf")
    assert code == 0, output
    for name in ("cdktf.json", "main.py", "requirements.txt"):
        assert (project / APP / name).is_file()
    assert not list(project.glob("infra/envs/**/*.tf")) and not (project / "infra/bootstrap").exists()
    # The only file under infra/envs: the committed release file the app reads and `mlgen release` writes.
    assert [path.name for path in (project / "infra/envs").rglob("*") if path.is_file()] == [
        "release.auto.tfvars.json"
    ]
    assert (project / "infra/modules/aws/kms/main.tf").is_file(), "the app calls the vendored modules"
    requirements = (project / APP / "requirements.txt").read_text()
    assert "cdktn==" in requirements and "constructs==" in requirements


def test_spec_format_field_chooses_the_format_and_the_library(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    spec.write_text(spec.read_text() + "format: cdktf\ncdktf_library: cdktf\n")
    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 0, output
    assert "from cdktf import (" in (project / APP / "main.py").read_text()
    assert "cdktf==0.21.0" in (project / APP / "requirements.txt").read_text()
    code, output = run_cli("generate", "--spec", str(spec), "--check")
    assert code == 0, output


def test_edited_main_py_is_kept_and_drift_is_reported(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    spec.write_text(spec.read_text() + "format: cdktf\n")
    assert run_cli("generate", "--spec", str(spec))[0] == 0
    main_py = project / APP / "main.py"
    main_py.write_text(main_py.read_text() + "\n# my own change\n")
    code, output = run_cli("generate", "--spec", str(spec), "--check")
    assert code == 1 and f"{APP}/main.py" in output
    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 0 and f"{APP}/main.py" in output and "--force" in output
    assert main_py.read_text().endswith("# my own change\n")


def test_switching_back_to_hcl_removes_the_app(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    assert run_cli("generate", "--spec", str(spec), "--format", "cdktf")[0] == 0
    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 0, output
    assert not (project / APP).exists() or not any((project / APP).iterdir())
    assert (project / "infra/envs/dev/main.tf").is_file()


def test_unknown_format_in_the_spec_is_a_clear_error(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    spec.write_text(spec.read_text() + "format: cdk\n")
    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 2, output
    assert "format" in output and "cdktf" in output and "Traceback" not in output


def test_makefile_synthesizes_then_runs_terraform_in_the_stack(tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = init_project(tmp_path / "demo", "starter")
    assert run_cli("generate", "--spec", str(project / "mlgen.yaml"), "--format", "cdktf")[0] == 0
    dry_run = subprocess.run(
        ["make", "-n", "init", "bootstrap", "ENV=dev"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "cd infra/cdktf && python3 main.py" in dry_run
    assert "terraform -chdir=infra/cdktf/cdktf.out/stacks/envs-dev init" in dry_run
    assert "terraform -chdir=infra/cdktf/cdktf.out/stacks/bootstrap-dev apply" in dry_run
