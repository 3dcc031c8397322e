"""`mlgen doctor` and `mlgen images` on GCP against the fakes: each check passes on an applied landing zone and
fails with a line a person can act on when its part is missing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.gcp.landing_zone import LandingZone

from mlgen.cli import main
from mlgen.clouds.gcp import naming


def doctor(zone: LandingZone) -> object:
    return CliRunner().invoke(
        main, ["doctor", "--env", "dev", "--project-dir", str(zone.project_dir)], catch_exceptions=False
    )


def line(output: str, name: str) -> str:
    words = name.split()
    (found,) = [text for text in output.splitlines() if text.strip().split()[1 : 1 + len(words)] == words]
    return found


def test_doctor_passes_on_an_applied_landing_zone(zone: LandingZone) -> None:
    result = doctor(zone)
    assert result.exit_code == 0, result.output
    names = ("credentials", "project", "apis", "landing", "buckets", "repository", "endpoint default")
    for name in (*names, "training quota", "endpoint quota"):
        assert line(result.output, name).strip().startswith("ok"), result.output
    assert "n1-standard-8, 1 × NVIDIA_TESLA_T4" in result.output
    assert result.output.rstrip().endswith("ready.")


def test_doctor_names_what_is_missing(zone: LandingZone) -> None:
    env = zone.env()
    state = zone.fake.state
    state.services[env.account_id].discard("aiplatform.googleapis.com")
    del state.repositories[f"{zone.location()}/repositories/{naming.repository_id(env)}"]
    state.endpoints.clear()
    result = doctor(zone)
    assert result.exit_code == 1
    assert "FAIL apis" in result.output and "aiplatform.googleapis.com" in result.output
    assert "FAIL repository" in result.output and "apply the landing zone" in result.output
    assert "FAIL endpoint default" in result.output
    assert "3 check(s) failed." in result.output
    assert "Traceback" not in result.output


def test_doctor_stops_at_an_unknown_project(gcp, tmp_path: Path) -> None:
    zone = LandingZone(gcp, tmp_path / "p")
    zone.write_spec()
    result = doctor(zone)
    assert result.exit_code == 1
    assert "FAIL project" in result.output and "not visible to these credentials" in result.output
    assert "apis" not in result.output  # the checks after it would fail for the same reason


@pytest.fixture
def fake_docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A docker stand-in that records its arguments and stdin (the password) and succeeds."""
    log = tmp_path / "docker.log"
    script = tmp_path / "docker"
    script.write_text(
        f'#!/bin/sh\necho "$@" >> {log}\nif [ "$1" = login ]; then cat >> {log}; echo >> {log}; fi\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("MLGEN_DOCKER", str(script))
    return log


def test_images_push_logs_in_to_artifact_registry_and_pushes(zone: LandingZone, fake_docker: Path) -> None:
    env = zone.env()
    for name in ("training", "serving"):
        (zone.project_dir / name).mkdir()
        (zone.project_dir / name / "Dockerfile").write_text("FROM scratch\n")
    args = ["--env", "dev", "--project-dir", str(zone.project_dir), "--tag", "git-1a2b3c4"]
    built = CliRunner().invoke(main, ["images", "build", *args], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    pushed = CliRunner().invoke(main, ["images", "push", *args], catch_exceptions=False)
    assert pushed.exit_code == 0, pushed.output
    host = naming.registry_host(env)
    expected = [naming.image_uri(env, name, "git-1a2b3c4") for name in ("training", "serving")]
    assert pushed.stdout.split() == expected
    log = fake_docker.read_text().splitlines()
    assert f"login --username oauth2accesstoken --password-stdin {host}" in log
    assert f"push {expected[0]}" in log and f"push {expected[1]}" in log
    assert os.environ["MLGEN_DOCKER"]  # the real docker was never called
