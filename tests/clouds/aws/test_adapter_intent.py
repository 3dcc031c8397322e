"""What the AWS adapter means to build, checked on its output rather than only by the golden byte-compare:
which instance a GPU request becomes, how canary weights split capacity, what idle costs are reported,
and that every count the spec accepts maps to an instance. Wall time: about 1 s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.spec.conftest import VALID_AWS

from mlgen.clouds import capabilities, get_adapter
from mlgen.clouds.aws import catalog
from mlgen.pipeline import plan_spec
from mlgen.spec import load_spec_text

REPO = Path(__file__).resolve().parents[3]

ADAPTER = get_adapter("aws")


def _plan(extra: str = ""):
    return plan_spec(load_spec_text(VALID_AWS + extra))


def _environment_main(extra: str, environment: str = "dev") -> str:
    roots = {root.directory: root for root in ADAPTER.terraform_roots(_plan(extra))}
    return roots[f"infra/envs/{environment}"].files["main.tf"]


def _module(main_tf: str, name: str) -> str:
    match = re.search(rf'^module "{name}" \{{\n(.*?)^\}}', main_tf, re.MULTILINE | re.DOTALL)
    assert match, f"no module {name} in the root"
    return match.group(1)


@pytest.mark.parametrize(
    ("gpu", "count", "instance"),
    [("t4", 1, "ml.g4dn.xlarge"), ("a10g", 4, "ml.g5.12xlarge"), ("h100", 8, "ml.p5.48xlarge")],
)
def test_a_gpu_request_becomes_the_sagemaker_instance_with_that_many_gpus(gpu, count, instance):
    main_tf = _environment_main(f"training: {{gpu: {gpu}, gpus_per_node: {count}}}\n")
    assert re.search(rf'instance_type\s*=\s*"{re.escape(instance)}"', _module(main_tf, "gpu_compute"))


def test_the_vm_platform_adds_the_ec2_type_with_the_same_gpus():
    main_tf = _environment_main("training: {gpu: l4, gpus_per_node: 4, platform: vm, vm_max_instances: 2}\n")
    assert re.search(r'vm_instance_types\s*=\s*\["g6\.12xlarge"\]', _module(main_tf, "gpu_compute"))


def test_every_count_the_spec_accepts_maps_to_an_instance_on_both_platforms():
    offered = capabilities("aws").gpu_counts
    assert offered, "AWS offers no GPUs?"
    for gpu, counts in offered.items():
        for count in counts:
            assert catalog.sagemaker_training_instance(gpu, count).startswith("ml.")
            assert catalog.ec2_gpu_instance(gpu, count)


def test_canary_weights_split_capacity_but_keep_one_replica_per_variant():
    main_tf = _environment_main(
        "serving:\n  endpoints:\n    - name: scorer\n      min_replicas: 2\n      max_replicas: 10\n"
        "      variants: [{name: blue, weight: 90}, {name: green, weight: 10}]\n"
    )
    serving = _module(main_tf, "serving")
    blue = re.search(r"blue = \{(.*?)\}", serving, re.DOTALL).group(1)
    green = re.search(r"green = \{(.*?)\}", serving, re.DOTALL).group(1)
    assert 'weights["blue"], 90)' in blue and 'weights["green"], 10)' in green  # the spec's, unless released
    assert re.search(r"min_capacity\s*=\s*2", blue) and re.search(r"max_capacity\s*=\s*9", blue)
    # 10 % of 2..10 replicas rounds up, and never below one replica
    assert re.search(r"min_capacity\s*=\s*1", green) and re.search(r"max_capacity\s*=\s*1", green)


def test_idle_costs_name_what_bills_by_the_hour():
    quiet = _plan("network: {nat: none, private_endpoints: true, az_count: 2}\ntracking: {mlflow: none}\n")
    costs = " | ".join(ADAPTER.idle_costs(quiet.environments["dev"]))
    assert "NAT" not in costs and "MLflow" not in costs
    assert "interface VPC endpoints (7 endpoints × 2 AZ(s) × 730 h)" in costs

    busy = _plan("network: {nat: per_az, az_count: 3}\ntracking: {mlflow: managed}\n")
    costs = " | ".join(ADAPTER.idle_costs(busy.environments["dev"]))
    assert "NAT gateways (3 gateway(s) × 730 h)" in costs and "MLflow tracking server" in costs


def test_serverless_endpoints_cost_nothing_between_requests():
    plan = _plan("serving:\n  endpoints:\n    - {name: batch, serverless: true}\n")
    costs = ADAPTER.idle_costs(plan.environments["dev"])
    assert "free while idle: S3 gateway endpoint, endpoint batch (serverless), monthly budget" in costs


def test_the_state_bucket_is_unique_per_account():
    plan = _plan()
    buckets = {env.state.bucket for env in plan.environments.values()}
    assert buckets == {
        "fraud-detect-dev-tfstate-111111111111",
        "fraud-detect-staging-tfstate-222222222222",
        "fraud-detect-prod-tfstate-333333333333",
    }
    assert all(len(bucket) <= 63 for bucket in buckets)


def test_module_sources_stay_inside_the_project():
    for root in ADAPTER.terraform_roots(_plan()):
        for text in root.files.values():
            for source in re.findall(r'^\s*source\s*=\s*"([^"]+)"', text, re.MULTILINE):
                if "/" in source and not source.startswith(
                    "hashicorp/"
                ):  # provider sources are registry names
                    assert source.startswith("../../modules/aws/"), source


def test_ci_identity_names_outputs_the_environment_roots_declare():
    """The CI header tells users to read these outputs: each generated environment root must have them."""
    identity = capabilities("aws").ci_identity
    assert identity is not None
    envs = sorted((REPO / "examples" / "aws-production" / "infra" / "envs").iterdir())
    assert envs, "the aws-production example has environment roots"
    for env in envs:
        outputs = (env / "outputs.tf").read_text(encoding="utf-8")
        for output in (identity.plan_output, identity.apply_output):
            assert f'output "{output}"' in outputs, f"{env.name}: no output {output!r}"
    workflow = (
        REPO / "examples" / "aws-production" / ".github" / "workflows" / "mlgen-checks.yml"
    ).read_text()
    assert f"to the {identity.noun} that Terraform outputs" in workflow
    assert f"MLGEN_CI_PLAN_{identity.variable_kind}_DEV" in workflow
