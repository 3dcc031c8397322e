"""`mlgen doctor`'s quota checks on GCP against the fakes: Vertex AI's training and serving quotas through
the Cloud Quotas API, the GPU VM group's through Compute Engine, the metric chosen by GPU, spot and
platform, and a skip (never a pass) when the quota cannot be read."""

from __future__ import annotations

from click.testing import CliRunner
from tests.ops.gcp.fake_google import compute_quota, quota_info
from tests.ops.gcp.landing_zone import PROJECT_QUOTAS, LandingZone

from mlgen.cli import main
from mlgen.clouds.gcp.ops.quotas import quota_info_value

VERTEX = "aiplatform.googleapis.com"


def doctor(zone: LandingZone) -> object:
    return CliRunner().invoke(
        main, ["doctor", "--env", "dev", "--project-dir", str(zone.project_dir)], catch_exceptions=False
    )


def lines(output: str, name: str) -> list[str]:
    words = name.split()
    return [text.strip() for text in output.splitlines() if text.strip().split()[1 : 1 + len(words)] == words]


def train_on(zone: LandingZone, **training: object) -> None:
    """Give the spec a training block: a T4 on spot, managed, with ``training``'s changes."""
    values = {"gpu": "t4", "gpus_per_node": 1, "nodes": 1, "spot": True, "max_runtime_hours": 24}
    values |= {"platform": "managed", "vm_max_instances": 0} | training
    block = ", ".join(f"{key}: {str(value).lower()}" for key, value in values.items())
    respec(zone, "region: us-central1\n", f"region: us-central1\ntraining: {{{block}}}\n")


def respec(zone: LandingZone, old: str, new: str) -> None:
    """Change the spec in place (what doctor checks here reads the spec, not the applied landing zone)."""
    path = zone.project_dir / "mlgen.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_enough_quota_passes_and_names_the_spot_metric(zone: LandingZone) -> None:
    result = doctor(zone)
    assert result.exit_code == 0, result.output
    (training,) = lines(result.output, "training quota")
    # The starter trains on spot: the preemptible metric, 1 node × 1 T4.
    assert training.startswith("ok"), training
    assert f"{VERTEX}/custom_model_training_preemptible_nvidia_t4_gpus: 4 in us-central1 (need 1" in training
    (cpus,) = lines(result.output, "endpoint quota")
    assert cpus.startswith("ok") and f"{VERTEX}/custom_model_serving_cpus: 16" in cpus, cpus
    assert "need 4: default: 2 × n2-standard-2" in cpus  # max_replicas 2 × 2 vCPUs
    assert not lines(result.output, "vm group quota")  # platform managed: no VM group
    # One paged Cloud Quotas read serves both Vertex checks (the fake pages by 2).
    reads = zone.fake.calls("GET", r"/services/aiplatform\.googleapis\.com/quotaInfos$")
    assert len(reads) == 3 and "pageToken" not in reads[0].query
    assert [r.query.get("pageToken") for r in reads[1:]] == [["2"], ["4"]]


def test_too_little_quota_fails_with_the_numbers_and_where_to_ask(zone: LandingZone) -> None:
    train_on(zone, gpus_per_node=2, nodes=3)
    result = doctor(zone)
    assert result.exit_code == 1
    (training,) = lines(result.output, "training quota")
    assert training.startswith("FAIL"), training
    assert (
        f"{VERTEX}/custom_model_training_preemptible_nvidia_t4_gpus is 4 in us-central1, the spec needs 6 "
        "(3 node(s) × 2 t4 per Vertex AI custom job, spot)"
    ) in training
    assert "https://console.cloud.google.com/iam-admin/quotas?project=churn-gcp-dev" in training
    assert "Traceback" not in result.output


def test_on_demand_training_reads_the_standard_metric(zone: LandingZone) -> None:
    train_on(zone, spot=False)
    zone.set_quotas(
        custom_model_training_nvidia_t4_gpus=0, custom_model_training_preemptible_nvidia_t4_gpus=8
    )
    result = doctor(zone)
    (training,) = lines(result.output, "training quota")
    # Plenty of preemptible quota does not help an on-demand job.
    assert training.startswith("FAIL"), training
    assert f"{VERTEX}/custom_model_training_nvidia_t4_gpus is 0 in us-central1, the spec needs 1" in training


def test_a_missing_metric_is_a_skip_with_the_reason(zone: LandingZone) -> None:
    zone.set_quotas(custom_model_training_preemptible_nvidia_t4_gpus=None)
    result = doctor(zone)
    (training,) = lines(result.output, "training quota")
    assert training.startswith("skip"), training
    assert f"no quota {VERTEX}/custom_model_training_preemptible_nvidia_t4_gpus in us-central1" in training
    assert result.exit_code == 0, result.output  # a skip is not a failure


def test_the_cloud_quotas_api_off_skips_the_vertex_checks(zone: LandingZone) -> None:
    zone.fake.state.services[zone.env().account_id].discard("cloudquotas.googleapis.com")
    result = doctor(zone)
    assert result.exit_code == 0, result.output
    (apis,) = lines(result.output, "apis")
    assert "cloudquotas.googleapis.com is not: the Vertex AI quota checks are skipped" in apis
    for name in ("training quota", "endpoint quota"):
        (found,) = lines(result.output, name)
        assert found.startswith("skip") and "cloudquotas.googleapis.com is not enabled" in found, found
    assert not zone.fake.calls("GET", r"/quotaInfos$")


def test_an_api_error_is_a_failed_check_not_a_traceback(zone: LandingZone) -> None:
    zone.fake.state.quota_permission = False
    result = doctor(zone)
    assert result.exit_code == 1
    for name in ("training quota", "endpoint quota"):
        (found,) = lines(result.output, name)
        assert found.startswith("FAIL") and "permission denied" in found and "HTTP 403" in found, found
    assert "Traceback" not in result.output


def test_vm_platform_checks_compute_engine_spot_quota(zone: LandingZone) -> None:
    train_on(zone, gpus_per_node=2, platform="vm", vm_max_instances=4)
    result = doctor(zone)
    (group,) = lines(result.output, "vm group quota")
    # The group is always Spot: the preemptible metric (8), then the project's GPUs in all regions (8).
    assert group.startswith("ok"), group
    assert "PREEMPTIBLE_NVIDIA_T4_GPUS: 8 in us-central1 (need 8: 4 Spot VM(s) × 2 t4)" in group
    assert "GPUS_ALL_REGIONS: 8 in project churn-gcp-dev" in group
    assert zone.fake.calls("GET", r"^compute/v1/projects/churn-gcp-dev/regions/us-central1$")
    (training,) = lines(result.output, "training quota")  # Vertex AI jobs still run on platform vm
    assert "custom_model_training_preemptible_nvidia_t4_gpus" in training

    # Over the preemptible quota: a failure naming it.
    respec(zone, "vm_max_instances: 4", "vm_max_instances: 5")
    (group,) = lines(doctor(zone).output, "vm group quota")
    assert (
        group.startswith("FAIL")
        and "PREEMPTIBLE_NVIDIA_T4_GPUS is 8 in us-central1, the spec needs 10" in group
    )


def test_vm_platform_without_preemptible_quota_uses_the_standard_one(zone: LandingZone) -> None:
    train_on(zone, platform="vm", vm_max_instances=4)
    quotas = zone.fake.state.region_quotas[(zone.env().account_id, "us-central1")]
    quotas[:] = [q for q in quotas if q["metric"] != "PREEMPTIBLE_NVIDIA_T4_GPUS"]
    (group,) = lines(doctor(zone).output, "vm group quota")
    assert group.startswith("ok") and "NVIDIA_T4_GPUS: 4 in us-central1 (need 4" in group, group
    assert "PREEMPTIBLE" not in group

    # And the project-wide GPU limit binds even where the region has room.
    zone.fake.state.project_quotas[zone.env().account_id] = [
        compute_quota(metric, 2 if metric == "GPUS_ALL_REGIONS" else limit)
        for metric, limit in PROJECT_QUOTAS.items()
    ]
    (group,) = lines(doctor(zone).output, "vm group quota")
    assert (
        group.startswith("FAIL")
        and "GPUS_ALL_REGIONS is 2 in project churn-gcp-dev, the spec needs 4" in group
    )


def test_gpu_endpoints_need_serving_gpu_quota(zone: LandingZone) -> None:
    respec(zone, "size: small", "size: large")
    zone.set_quotas(custom_model_serving_nvidia_l4_gpus=1)
    result = doctor(zone)
    found = lines(result.output, "endpoint quota")
    assert len(found) == 2, result.output
    cpus, gpus = found
    assert cpus.startswith("ok") and "custom_model_serving_cpus: 16 in us-central1 (need 16" in cpus
    assert gpus.startswith("FAIL"), gpus
    assert f"{VERTEX}/custom_model_serving_nvidia_l4_gpus is 1 in us-central1, the spec needs 2" in gpus
    assert "default: 2 × g2-standard-8" in gpus


def test_region_specific_values_win_over_the_default() -> None:
    info = quota_info("1", VERTEX, "Q", f"{VERTEX}/m", {"us-central1": 3, None: 9})
    assert quota_info_value([info], f"{VERTEX}/m", "us-central1") == 3
    assert quota_info_value([info], f"{VERTEX}/m", "europe-west4") == 9  # the default applies there
    assert quota_info_value([info], f"{VERTEX}/m", "me-central2") is None  # not an applicable location
    assert quota_info_value([info], f"{VERTEX}/other", "us-central1") is None
    per_model = dict(
        info,
        dimensionsInfos=[
            {"dimensions": {"region": "us-central1", "base_model": "x"}, "details": {"value": "1"}}
        ],
    )
    assert quota_info_value([per_model], f"{VERTEX}/m", "us-central1") is None


def test_an_unlimited_quota_passes_and_does_not_hide_a_limited_one(zone: LandingZone) -> None:
    unlimited = quota_info("1", VERTEX, "U", f"{VERTEX}/m", {"us-central1": -1})
    limited = quota_info("1", VERTEX, "L", f"{VERTEX}/m", {"us-central1": 2})
    assert quota_info_value([unlimited], f"{VERTEX}/m", "us-central1") == -1
    assert quota_info_value([unlimited, limited], f"{VERTEX}/m", "us-central1") == 2
    zone.set_quotas(custom_model_training_preemptible_nvidia_t4_gpus=-1)
    result = doctor(zone)
    (training,) = lines(result.output, "training quota")
    assert training.startswith("ok") and "unlimited in us-central1 (need 1" in training, training
