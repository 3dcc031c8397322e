"""`mlgen doctor` on Azure: one line per check against the fake; a missing resource group fails once and
skips what cannot exist without it; a wrong subscription stops early."""

from __future__ import annotations

from pathlib import Path

from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure.ops.paths import Paths


def lines(output: str) -> dict[str, str]:
    checks = {}
    for line in output.splitlines()[1:]:
        if line.startswith("  "):  # "  <mark> <name padded to 20> <detail>"
            checks[line[7:27].strip()] = line[2:6].strip()
    return checks


def test_an_applied_zone_is_ready(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    zone.seed(azure, zone.environment(project))
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("mlgen doctor: churn-az dev (azure, westeurope, account 00000000-")
    assert set(lines(result.output).values()) == {"ok"}
    assert "calling as tester@example.com" in result.output
    assert "job defaults         artifacts/mlgen/job-defaults.json (schema 1)" in result.output
    assert "endpoint default     churn-az-dev-default (AADToken auth): no deployment yet" in result.output
    assert result.output.rstrip().endswith("ready.")
    assert_versions_pinned(azure)


def test_not_applied_fails_once_and_skips_the_rest(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    azure.put(Paths(env).subscription, {"displayName": "ml-dev", "state": "Enabled"})
    zone.seed_quota(azure, env)  # quota is the subscription's: checked before the zone is applied too
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 1
    checks = lines(result.output)
    assert checks["training quota"] == checks["endpoint quota"] == "ok"
    assert checks["resource group"] == "FAIL"
    assert "rg-churn-az-dev not found: apply the landing zone (make plan apply ENV=dev)" in result.output
    assert list(checks.values()).count("FAIL") == 1 and list(checks.values()).count("skip") == 7
    assert "1 check(s) failed." in result.output


def test_a_disabled_subscription_stops_the_checks(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    zone.seed(azure, env)
    azure.resources[Paths(env).subscription.lower()]["state"] = "Disabled"
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 1 and "ml-dev is Disabled" in result.output
    assert "resource group" not in result.output


def test_a_denied_check_is_one_line(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    zone.seed(azure, env)
    azure.failures[("GET", Paths(env).registry.lower())] = (403, "AuthorizationFailed")
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 1
    assert "FAIL registry" in result.output and "access denied to GET" in result.output
    assert "AuthorizationFailed" in result.output and "Traceback" not in result.output


def _key_auth_spec(tmp_path: Path) -> Path:
    project = zone.write_spec(tmp_path / "p")
    spec = project / "mlgen.yaml"
    text = spec.read_text()
    assert text.count("      min_replicas: 1\n") == 1
    spec.write_text(text.replace("      min_replicas: 1\n", "      min_replicas: 1\n      auth: key\n"))
    return project


def test_an_endpoint_on_key_auth_as_the_spec_says_is_ok(azure: FakeAzure, tmp_path: Path) -> None:
    project = _key_auth_spec(tmp_path)
    env = zone.environment(project)
    zone.seed(azure, env)
    azure.resources[Paths(env).endpoint("churn-az-dev-default").lower()]["properties"]["authMode"] = "Key"
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 0, result.output
    assert "endpoint default     churn-az-dev-default (Key auth): no deployment yet" in result.output


def test_an_endpoint_whose_auth_is_not_the_specs_fails(azure: FakeAzure, tmp_path: Path) -> None:
    project = _key_auth_spec(tmp_path)
    zone.seed(azure, zone.environment(project))  # what an apply before the spec said auth: key leaves
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 1
    assert lines(result.output)["endpoint default"] == "FAIL"
    assert (
        "churn-az-dev-default (AADToken auth): no deployment yet; the spec says auth: key (Key): "
        "apply the landing zone (make plan apply ENV=dev)"
    ) in result.output
    assert "1 check(s) failed." in result.output
