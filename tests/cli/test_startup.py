"""`mlgen --help` and every command's own --help stay light: no heavy library is imported at start-up."""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest
from tests.conftest import REPO_ROOT

from mlgen.cli import COMMANDS

HEAVY = ("torch", "mlflow", "checkov", "boto3", "botocore", "google", "azure", "pandas", "numpy")
# `mlgen --help` must not even import the libraries that init/generate need.
GENERATOR = ("pydantic", "ruamel", "jinja2", "mlgen.spec", "mlgen.render", "mlgen.conformance")


def imported_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom mlgen.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('MODULES:', ' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT / "generator")},
        timeout=60,
        check=True,
    )
    # stdout also holds the help text (which may name a library), so read only the marked line.
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("MODULES: ")]
    return set(line.split()[1:]) - interpreter_modules()


@functools.cache
def interpreter_modules() -> frozenset[str]:
    """What a bare interpreter has loaded before mlgen runs: site's .pth files may add empty namespace
    packages (google-cloud-aiplatform's nspkg.pth creates `google` and `google.cloud`), which no mlgen code
    imported and which cost nothing; their real submodules still count."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT / "generator")},
        timeout=60,
        check=True,
    )
    return frozenset(result.stdout.split())


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if any(m == name or m.startswith(name + ".") for m in modules))


def test_top_level_help_imports_nothing_heavy() -> None:
    modules = imported_after(["--help"])
    assert loaded(modules, HEAVY + GENERATOR) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_help_imports_no_heavy_library(command: str) -> None:
    assert loaded(imported_after([command, "--help"]), HEAVY) == []


def test_version() -> None:
    from click.testing import CliRunner

    from mlgen import __version__
    from mlgen.cli import main

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"mlgen, version {__version__}"
