"""What the GCP adapter means to build, checked on its output rather than only by the golden byte-compare:
which machine a GPU request becomes, that validate refuses exactly what generate cannot build, the CI trust
condition, the job-defaults keys, names at the longest spec values, and idle costs. Wall time: about 2 s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlgen.cli import main
from mlgen.clouds import capabilities, get_adapter
from mlgen.clouds.gcp import catalog, costing, naming
from mlgen.clouds.gcp.environment_root import _job_defaults
from mlgen.cost.estimate import idle_cost_notes
from mlgen.pipeline import plan_spec
from mlgen.spec import load_spec_text

REPO = Path(__file__).resolve().parents[3]
ADAPTER = get_adapter("gcp")
PRODUCTION = REPO / "examples" / "gcp-production"
STARTER = REPO / "examples" / "gcp-starter"
VALID_GCP = """\
project: fraud-detect
cloud: gcp
region: europe-west4
blueprint: production
owner: ml-platform@example.com
cost_center: cc-1234
environments:
  dev:
    account_id: fraud-detect-dev
  staging:
    account_id: fraud-detect-staging
  prod:
    account_id: fraud-detect-prod
"""


def _plan(text: str = VALID_GCP):
    return plan_spec(load_spec_text(text))


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_capability_gpu_counts_are_exactly_the_catalog_machines():
    offered = capabilities("gcp").gpu_counts
    assert dict(offered) == {kind: tuple(sorted(sizes)) for kind, sizes in catalog.GPU_MACHINES.items()}
    assert "a10g" not in offered
    for kind, counts in offered.items():
        for count in counts:
            assert catalog.gpu_machine(kind, count).machine_type


@pytest.mark.parametrize(
    ("gpu", "count", "machine", "attached"),
    [
        ("t4", 1, "n1-standard-8", True),
        ("t4", 4, "n1-standard-32", True),
        ("l4", 8, "g2-standard-96", False),
        ("a100", 2, "a2-highgpu-2g", False),
        ("h100", 8, "a3-highgpu-8g", False),
    ],
)
def test_gpu_requests_become_the_machine_family_that_carries_them(gpu, count, machine, attached):
    chosen = catalog.gpu_machine(gpu, count)
    assert chosen.machine_type == machine
    # Only N1 takes attached accelerators; G2/A2/A3 machine types carry their GPUs.
    assert catalog.bundles_gpus(machine) is not attached


def _spec_with(tmp_path: Path, extra: str) -> Path:
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(VALID_GCP + extra, encoding="utf-8")
    return spec


@pytest.mark.parametrize(
    ("training", "message"),
    [
        ("{gpu: a10g, gpus_per_node: 1}", "gcp does not offer a10g GPUs"),
        ("{gpu: t4, gpus_per_node: 8}", "gcp has no node with 8 t4 GPUs"),
    ],
)
def test_validate_refuses_what_generate_cannot_build(tmp_path, training, message):
    spec = _spec_with(tmp_path, f"training: {training}\n")
    for command in (["validate", "--spec", str(spec)], ["generate", "--spec", str(spec)]):
        code, output = _cli(*command)
        assert code == 2, output
        assert message in output and "Traceback" not in output
    assert not (tmp_path / "infra").exists()


def test_check_spec_runs_the_catalog_lookup_generate_runs():
    spec = load_spec_text(VALID_GCP)
    assert ADAPTER.check_spec(spec) == []
    for kind, sizes in catalog.GPU_MACHINES.items():
        for count in sizes:
            assert catalog.gpu_machine(kind, count) is sizes[count]
    with pytest.raises(catalog.CatalogError, match="a10g is an AWS-only GPU"):
        catalog.gpu_machine("a10g", 1)


@pytest.mark.parametrize(
    "extra", ["monitoring: {log_retention_days: 3653}", "network: {flow_log_retention_days: 3651}"]
)
def test_log_retention_beyond_cloud_logging_is_refused(tmp_path, extra):
    spec = _spec_with(tmp_path, extra + "\n")
    code, output = _cli("validate", "--spec", str(spec))
    assert code == 2 and "Cloud Logging keeps logs at most 3650 days" in output, output


def _module_block(main_tf: str, name: str) -> str:
    start = main_tf.index(f'module "{name}" {{')
    return main_tf[start : main_tf.index("\n}\n", start)]


def test_ci_federation_pins_the_repository_and_the_token_subject():
    """The claim behind the inline CKV_GCP_125 skip: the provider's condition, as generated."""
    iam = _module_block((PRODUCTION / "infra/envs/dev/main.tf").read_text(encoding="utf-8"), "iam")
    (condition,) = re.findall(r'attribute_condition\s+=\s+"(.*)"', iam)
    repo = "example-org/fraud-detect"
    assert condition.startswith(f"assertion.repository == '{repo}' && (")
    assert f"assertion.sub == 'repo:{repo}:pull_request'" in condition
    assert "assertion.ref == 'refs/heads/main'" in condition
    assert "assertion.ref.startsWith('refs/heads/release/')" in condition
    assert f"assertion.sub == 'repo:{repo}:environment:dev'" in condition
    assert "environment:prod" not in condition  # dev's pool never accepts prod's apply job
    module = (REPO / "modules/gcp/iam/ci.tf").read_text(encoding="utf-8")
    assert "attribute_condition                = var.ci.attribute_condition" in module
    assert "/attribute.environment/${var.ci.apply_environment}" in module
    assert "/attribute.plan/allowed" in module


def test_without_ci_there_is_no_federation_and_no_ci_accounts():
    iam = _module_block((STARTER / "infra/envs/dev/main.tf").read_text(encoding="utf-8"), "iam")
    assert "ci                        = null" in iam
    assert "ci-plan" not in iam and "ci-apply" not in iam


def _job_defaults_variable_keys() -> list[str]:
    text = (REPO / "modules/gcp/training/variables.tf").read_text(encoding="utf-8")
    block = text[text.index('variable "job_defaults"') :]
    body = block[block.index("object({") : block.index("})")]
    return re.findall(r"^\s+(\w+)\s+=", body, flags=re.MULTILINE)


def test_job_defaults_carry_exactly_the_keys_of_the_training_module_and_the_ops_contract():
    env = _plan().environments["prod"]
    keys = list(_job_defaults(env))
    assert keys == _job_defaults_variable_keys()
    assert _job_defaults(env)["schema_version"] == 1
    try:
        from mlgen.clouds.gcp.ops.job_defaults import KEYS, SCHEMA_VERSION  # the gcp-ops branch
    except ImportError:
        pytest.skip("mlgen.clouds.gcp.ops.job_defaults (the ops side of the contract) is not in this tree")
    assert tuple(keys) == KEYS and SCHEMA_VERSION == 1


def test_names_fit_gcp_limits_for_the_longest_spec_values():
    limits = capabilities("gcp").name_limits
    project = "p" + "a" * (limits.project - 2) + "z"
    zone = "z" + "o" * (limits.zone - 2) + "e"
    text = VALID_GCP.replace("fraud-detect", project[:21]).replace(
        "project: " + project[:21], "project: " + project
    )
    text += f"storage: {{zones: [artifacts, {zone}]}}\nserving:\n  endpoints:\n    - {{name: {'e' * limits.endpoint}}}\n"
    plan = _plan(text)
    bucket = re.compile(r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$")
    for env in plan.environments.values():
        for name in [
            naming.bucket_name(env, z) for z in (*env.storage.zones, "staging", "access-logs", "tfstate-logs")
        ]:
            assert bucket.match(name), name
        assert bucket.match(env.state.bucket)
        for duty in naming.DUTIES:
            assert re.match(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$", naming.service_account_id(env, duty))
        assert 4 <= len(naming.workload_identity_pool_id(env)) <= 32
        assert len(naming.tracking_service_name(env)) <= 49
        for purpose in naming.KEY_PURPOSES:
            assert len(naming.crypto_key(env, purpose)) <= 63
        for endpoint in env.serving.endpoints:
            assert re.match(r"^[1-9][0-9]{0,9}$", naming.endpoint_id(env, endpoint.name))


def test_every_gcp_resource_type_has_a_pricing_decision():
    declared = {
        match
        for path in (REPO / "modules/gcp").rglob("*.tf")
        for match in re.findall(r'^resource "([a-z0-9_]+)"', path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert declared
    assert sorted(declared - set(costing.RESOURCE_PRICING)) == []


def test_idle_costs_follow_the_spec():
    plan = _plan()
    prod, dev = plan.environments["prod"], plan.environments["dev"]
    prod_notes = " ".join(idle_cost_notes(ADAPTER, prod))
    assert "Cloud SQL db-custom-2-7680" in prod_notes and "n2-standard-8" in prod_notes
    assert "Cloud NAT" in prod_notes  # listed as free while idle: it bills per VM and GB
    starter = _plan((STARTER / "mlgen.yaml").read_text(encoding="utf-8")).environments["dev"]
    starter_notes = " ".join(idle_cost_notes(ADAPTER, starter))
    assert "Cloud SQL" not in starter_notes and "Cloud NAT" not in starter_notes
    # A region without a committed price table says so instead of pricing at zero.
    elsewhere = dev.model_copy(update={"region": "asia-south2"})
    assert any(note.endswith("not priced") for note in idle_cost_notes(ADAPTER, elsewhere))


def test_providers_label_everything_with_the_plan_tags():
    env = _plan().environments["dev"]
    roots = {root.directory: root for root in ADAPTER.terraform_roots(_plan())}
    providers = roots["infra/envs/dev"].model.providers
    assert {p.source for p in providers} == {"hashicorp/google", "hashicorp/google-beta"}
    for provider in providers:
        assert provider.version == "~> 6.50"
        assert provider.config["project"] == "fraud-detect-dev"
        assert provider.config["default_labels"] == naming.labels(env)
    assert roots["infra/envs/dev"].model.backend.type == "gcs"


def test_ci_jobs_authenticate_with_workload_identity_federation():
    from ruamel.yaml import YAML

    text = (PRODUCTION / ".github/workflows/mlgen-checks.yml").read_text(encoding="utf-8")
    workflow = YAML(typ="safe").load(text)
    assert "aws-actions" not in text and "credentials_json" not in text
    for env in ("dev", "staging", "prod"):
        for job, account in (("plan", "PLAN"), ("apply", "APPLY"), ("push-images", "APPLY")):
            steps = workflow["jobs"][f"{job}-{env}"]["steps"]
            (auth,) = [s for s in steps if str(s.get("uses", "")).startswith("google-github-actions/auth@")]
            assert (
                auth["uses"].split("@")[1]
                == capabilities("gcp").ci_action_pins["google-github-actions/auth"][0]
            )
            assert auth["with"] == {
                "workload_identity_provider": f"${{{{ vars.MLGEN_CI_WORKLOAD_IDENTITY_PROVIDER_{env.upper()} }}}}",
                "service_account": f"${{{{ vars.MLGEN_CI_{account}_SERVICE_ACCOUNT_{env.upper()} }}}}",
            }
            assert workflow["jobs"][f"{job}-{env}"]["permissions"]["id-token"] == "write"
        assert workflow["jobs"][f"apply-{env}"]["environment"] == env
    starter = (STARTER / ".github/workflows/mlgen-checks.yml").read_text(encoding="utf-8")
    assert "google-github-actions/auth" not in starter and "id-token" not in starter  # no access.ci
