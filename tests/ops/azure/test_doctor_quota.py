"""doctor's vCPU quota checks on Azure: the cluster (VM size from the catalog × max nodes) and each endpoint
(size × max instances, plus Azure ML's 20 % upgrade reserve) against the usages of their VM family in the
region, low priority for a spot cluster and dedicated otherwise, then the regional totals."""

from __future__ import annotations

from pathlib import Path

from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure.ops.paths import Paths


def quota_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if "quota" in line[:30]]


def doctor(azure: FakeAzure, tmp_path: Path, training: str = "", **quota: object):
    project = zone.write_spec(tmp_path / "p")
    if training:  # a top-level training section overriding the blueprint's
        spec = project / "mlgen.yaml"
        spec.write_text(spec.read_text().replace("environments:", training + "environments:"))
    env = zone.environment(project)
    zone.seed(azure, env)
    zone.seed_quota(azure, env, **quota)
    return env, mlgen(project, "doctor", "--env", "dev")


def test_enough_quota_reads_both_apis_at_the_pinned_version(azure: FakeAzure, tmp_path: Path) -> None:
    env, result = doctor(azure, tmp_path)
    assert result.exit_code == 0, result.output
    location = Paths(env).ml_location
    (sizes,) = azure.arm("GET", f"{location}/vmSizes")
    assert sizes.query["api-version"] == "2024-10-01"
    usages = azure.arm("GET", f"{location}/usages")
    assert usages and all(r.query["api-version"] == "2024-10-01" for r in usages)
    assert len(usages) > 1  # the fake pages two entries at a time: nextLink was followed
    lines = quota_lines(result.output)
    # Endpoint default: max 2 instances, 20 % reserve → 3 × 4 vCPUs of DS3_v2; the workspace's own entry
    # (limit 1) is not the subscription's limit.
    assert (
        "ok   endpoint quota       family standardDSv2Family Dedicated: 24 free of 24 vCPUs, the spec needs 12 "
        "(endpoint default 3 × Standard_DS3_v2)" in lines
    )
    assert any("training quota" in line and "standardNCASv3_T4Family LowPriority" in line for line in lines)
    assert any("regional LowPriority: 100 free of 100 vCPUs, the spec needs 4" in line for line in lines)
    assert_versions_pinned(azure)


def test_too_little_endpoint_quota_says_how_much_and_what_to_do(azure: FakeAzure, tmp_path: Path) -> None:
    # 24 in the family, 16 of them in use: 8 free, the endpoint needs 12.
    _, result = doctor(azure, tmp_path, dsv2_used=16)
    assert result.exit_code == 1
    assert (
        "FAIL endpoint quota       family standardDSv2Family Dedicated: 8 free of 24 vCPUs, the spec needs 12 "
        "(endpoint default 3 × Standard_DS3_v2): request an increase in the Azure portal (Quotas → Machine "
        "Learning, region westeurope)"
    ) in quota_lines(result.output)


def test_a_spot_cluster_is_held_to_the_low_priority_quota(azure: FakeAzure, tmp_path: Path) -> None:
    # The dedicated T4 family has 0 vCPUs (the seed), which a spot cluster does not use; 3 low-priority
    # vCPUs in the region are too few for 1 × NC4as_T4_v3.
    _, result = doctor(azure, tmp_path, low_priority_total=3)
    assert result.exit_code == 1
    lines = quota_lines(result.output)
    assert any(line.startswith("ok   training quota") and "LowPriority" in line for line in lines)
    assert any(
        line.startswith("FAIL regional quota")
        and "regional LowPriority: 3 free of 3 vCPUs, the spec needs 4" in line
        for line in lines
    )
    assert not any("NCASv3_T4Family Dedicated" in line for line in lines)


def test_a_low_priority_family_limit_is_honoured(azure: FakeAzure, tmp_path: Path) -> None:
    training = "training:\n  nodes: 2\n"
    _, result = doctor(azure, tmp_path, training, t4_low_priority=4)
    assert result.exit_code == 1
    assert any(
        line.startswith("FAIL training quota")
        and "family standardNCASv3_T4Family LowPriority: 4 free of 4 vCPUs, the spec needs 8" in line
        and "cluster 2 × Standard_NC4as_T4_v3" in line
        for line in quota_lines(result.output)
    )


def test_a_dedicated_cluster_is_held_to_its_family_quota(azure: FakeAzure, tmp_path: Path) -> None:
    _, result = doctor(azure, tmp_path, "training:\n  spot: false\n")
    assert result.exit_code == 1
    lines = quota_lines(result.output)
    assert any(
        line.startswith("FAIL training quota")
        and "family standardNCASv3_T4Family Dedicated: 0 free of 0 vCPUs, the spec needs 4" in line
        for line in lines
    )
    # Cluster and endpoint together against the regional dedicated total.
    assert any("regional Dedicated: 100 free of 100 vCPUs, the spec needs 16" in line for line in lines)
    assert not any("LowPriority" in line for line in lines)


def test_a_size_without_low_priority_capacity_is_refused(azure: FakeAzure, tmp_path: Path) -> None:
    _, result = doctor(azure, tmp_path, low_priority_capable=False)
    assert result.exit_code == 1
    assert "FAIL training quota       Standard_NC4as_T4_v3 has no low-priority capacity" in result.output


def test_a_denied_usages_read_is_one_failed_line(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    zone.seed(azure, env)
    azure.failures[("GET", f"{Paths(env).ml_location}/usages".lower())] = (403, "AuthorizationFailed")
    result = mlgen(project, "doctor", "--env", "dev")
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = quota_lines(result.output)
    assert (
        line.startswith("FAIL vCPU quota")
        and "access denied to GET" in line
        and "AuthorizationFailed" in line
    )
