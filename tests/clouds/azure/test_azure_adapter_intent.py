"""What the Azure adapter means to build, checked on its output: which VM size a GPU request becomes, that
the spec accepts exactly the counts the size table has, that validate and generate refuse the same specs with
a clear message (l4 and a10g included), what the job-defaults document holds, the shape of the online
endpoint's ARM body, and that every resource type the modules declare has a pricing decision.
Wall time: about 3 s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mlgen.cli import main
from mlgen.clouds import capabilities, get_adapter
from mlgen.clouds.azure import catalog, costing, naming
from mlgen.clouds.azure.ops.job_defaults import DATASTORE_PATH, OUTPUT_KEYS
from mlgen.pipeline import plan_spec
from mlgen.spec import load_spec_text

REPO = Path(__file__).resolve().parents[3]
MODULES = REPO / "modules" / "azure"
ADAPTER = get_adapter("azure")

VALID_AZURE = """\
project: fraud-detect
cloud: azure
region: westeurope
blueprint: production
owner: ml-platform@example.com
cost_center: cc-1234
environments:
  dev:
    account_id: "00000000-0000-0000-0000-000000000001"
  staging:
    account_id: "00000000-0000-0000-0000-000000000002"
  prod:
    account_id: "00000000-0000-0000-0000-000000000003"
"""


def _plan(extra: str = ""):
    return plan_spec(load_spec_text(VALID_AZURE + extra))


def _root(extra: str = "", environment: str = "dev"):
    roots = {root.directory: root for root in ADAPTER.terraform_roots(_plan(extra))}
    return roots[f"infra/envs/{environment}"]


def _module(main_tf: str, name: str) -> str:
    match = re.search(rf'^module "{name}" \{{\n(.*?)^\}}', main_tf, re.MULTILINE | re.DOTALL)
    assert match, f"no module {name} in the root"
    return match.group(1)


@pytest.mark.parametrize(
    ("gpu", "count", "size"),
    [
        ("t4", 1, "Standard_NC4as_T4_v3"),
        ("t4", 4, "Standard_NC64as_T4_v3"),
        ("a100", 1, "Standard_NC24ads_A100_v4"),
        ("a100", 8, "Standard_ND96asr_v4"),
        ("h100", 2, "Standard_NC80adis_H100_v5"),
        ("h100", 8, "Standard_ND96isr_H100_v5"),
    ],
)
def test_a_gpu_request_becomes_the_azure_ml_size_with_that_many_gpus(gpu, count, size):
    main_tf = _root(f"training: {{gpu: {gpu}, gpus_per_node: {count}}}\n").files["main.tf"]
    block = _module(main_tf, "machine_learning")
    assert re.search(rf'vm_size\s*=\s*"{re.escape(size)}"', block)
    assert re.search(rf"gpus_per_instance\s*=\s*{count}\b", block)
    assert re.search(rf"process_count_per_instance\s*=\s*{count}\b", block)


def test_the_spec_accepts_exactly_the_counts_the_size_table_has():
    offered = capabilities("azure").gpu_counts
    assert {kind: set(counts) for kind, counts in offered.items()} == {
        kind: set(sizes) for kind, sizes in catalog.TRAINING_SIZES.items()
    }
    for gpu, counts in offered.items():
        for count in counts:
            size = catalog.training_size(gpu, count)
            assert size.startswith(("Standard_NC", "Standard_ND")) and catalog.gpus_of(size) == count
    assert "l4" not in offered and "a10g" not in offered


def test_the_adapter_catalog_explains_l4_and_a10g():
    for gpu in ("l4", "a10g"):
        with pytest.raises(catalog.CatalogError, match=f"Azure ML has no {gpu} compute: .*use t4"):
            catalog.training_size(gpu, 1)


def _both(tmp_path, monkeypatch, text: str) -> tuple[str, str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mlgen.yaml").write_text(text, encoding="utf-8")
    outputs = []
    for command in ("validate", "generate"):
        result = CliRunner().invoke(main, [command], catch_exceptions=True)
        assert result.exit_code == 2, (command, result.output)
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        outputs.append(result.output)
    assert not (tmp_path / "infra").exists()
    return outputs[0], outputs[1]


@pytest.mark.parametrize("gpu", ["l4", "a10g"])
def test_l4_and_a10g_on_azure_are_refused_by_validate_and_generate(tmp_path, monkeypatch, gpu):
    validate, generate = _both(tmp_path, monkeypatch, VALID_AZURE + f"training: {{gpu: {gpu}}}\n")
    for output in (validate, generate):
        assert "training.gpu" in output and "azure offers: t4, a100, h100" in output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("training: {gpu: h100, gpus_per_node: 4}\n", "azure has no node with 4 h100 GPUs"),
        ("monitoring: {log_retention_days: 7}\n", "Log Analytics keeps logs 30-730 days, not 7"),
        ("budgets: {thresholds: [10, 20, 50, 80, 100]}\n", "at most 5 notifications"),
        ("training: {platform: vm, vm_max_instances: 2}\n", "Azure has no separate GPU VM fleet"),
        ("state: {bucket: my-state.bucket}\n", "is not a storage account name"),
        (
            "access: {ci: {repository: acme/fraud, branches: [main, 'release/*']}}\n",
            "access.ci.branches[1]: 'release/*' is a glob; Azure federated credentials match one exact branch",
        ),
    ],
)
def test_what_the_azure_modules_cannot_build_is_refused_by_both(tmp_path, monkeypatch, extra, message):
    validate, generate = _both(tmp_path, monkeypatch, VALID_AZURE + extra)
    assert message in validate and message in generate


def test_spot_is_the_low_priority_tier_and_the_cluster_scales_to_zero():
    main_tf = (MODULES / "machine_learning" / "main.tf").read_text()
    assert 'vm_priority                   = var.compute.spot ? "LowPriority" : "Dedicated"' in main_tf
    assert "min_node_count                       = 0" in main_tf
    block = _module(_root("training: {spot: false}\n").files["main.tf"], "machine_learning")
    assert re.search(r"spot\s*=\s*false", block)


def test_state_names_are_the_naming_modules():
    plan = _plan()
    for env in plan.environments.values():
        assert env.state.bucket == naming.state_storage_account("fraud-detect", env.name, env.account_id)
        assert re.fullmatch(r"[a-z0-9]{3,24}", env.state.bucket)
        versions = _root(environment=env.name).files["versions.tf"]
        assert f'storage_account_name = "{env.state.bucket}"' in versions
        assert "use_azuread_auth     = true" in versions


def _job_defaults_keys() -> set[str]:
    """Keys the environment root passes plus the keys the module merges in."""
    block = _module(_root().files["main.tf"], "machine_learning")
    passed = re.search(r"job_defaults = \{\n(.*?)\n  \}", block, re.DOTALL)
    assert passed
    keys = set(re.findall(r"^\s+(\w+)\s+=", passed.group(1), re.MULTILINE))
    module = (MODULES / "machine_learning" / "main.tf").read_text()
    merged = re.search(r"merge\(var\.job_defaults, \{\n(.*?)\n  \}\)\)", module, re.DOTALL)
    assert merged
    return keys | set(re.findall(r"^\s+(\w+)\s+=", merged.group(1), re.MULTILINE))


# The contract written first by the ops side (clouds/azure/ops/job_defaults.py); kept here so this test holds
# on a branch without it, and compared with it wherever it exists.
JOB_DEFAULT_KEYS = {
    "schema_version", "subscription_id", "resource_group", "location", "workspace_name", "compute_name",
    "vm_size", "gpus_per_instance", "instance_count", "max_instance_count", "spot", "image_uri",
    "distribution_type", "process_count_per_instance", "identity_resource_id", "identity_client_id",
    "training_data_uri", "model_output_uri", "checkpoint_uri", "output_uri", "max_runtime_seconds", "shm_size",
}  # fmt: skip


def test_the_job_defaults_blob_holds_exactly_the_contracts_keys():
    assert _job_defaults_keys() == JOB_DEFAULT_KEYS
    try:
        from mlgen.clouds.azure.ops.job_defaults import KEYS
    except ImportError:
        return
    assert set(KEYS) == JOB_DEFAULT_KEYS


def test_job_default_uris_are_datastore_paths_of_datastores_the_root_registers():
    """Azure ML takes only datastore paths as job outputs: every URI the root writes names a datastore it
    registers on a lake container, and passes the ops side's own check."""
    plan = _plan()
    env = plan.environments["dev"]
    block = _module(_root().files["main.tf"], "machine_learning")
    assert 'model_output_uri           = "azureml://datastores/lake_artifacts/paths/models/"' in block
    assert 'training_data_uri          = "azureml://datastores/lake_features/paths/train/"' in block
    registered = re.search(r"datastores = \{\n(.*?)\n  \}", block, re.DOTALL)
    assert registered
    datastores = dict(
        re.findall(
            r'^\s+(\w+)\s+= module\.storage\.container_ids\["([\w-]+)"\]', registered.group(1), re.MULTILINE
        )
    )
    assert datastores == {naming.datastore(zone): zone for zone in env.storage.zones}
    uris = dict(re.findall(r'^\s+(\w+_uri)\s+= "(azureml://[^"]+)"', block, re.MULTILINE))
    assert set(OUTPUT_KEYS) <= set(uris)
    for key, uri in uris.items():
        match = DATASTORE_PATH.fullmatch(uri)
        assert match and match.group(1) in datastores, (key, uri)
    assert f'name            = "{naming.compute_cluster(env)}"' in block
    assert f'job_defaults_blob = "{naming.JOB_DEFAULTS_BLOB}"' in block
    assert 'distribution_type          = "PyTorch"' in block


# The documented shape of the body (Microsoft.MachineLearningServices/workspaces/onlineEndpoints, REST API
# 2024-10-01, "Online Endpoints - Create Or Update"): OnlineEndpointTrackedResource with kind, location, tags,
# a ManagedServiceIdentity and OnlineEndpoint properties (authMode required: AMLToken | Key | AADToken;
# publicNetworkAccess: Enabled | Disabled).
ONLINE_ENDPOINT_BODY = {
    "type": "object",
    "required": ["type", "apiVersion", "name", "location", "identity", "properties"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": "Microsoft.MachineLearningServices/workspaces/onlineEndpoints"},
        "apiVersion": {"const": "2024-10-01"},
        "name": {"type": "string"},
        "location": {"type": "string"},
        "tags": {"type": "string"},
        "kind": {"type": "string"},
        "identity": {
            "type": "object",
            "required": ["type"],
            "additionalProperties": False,
            "properties": {
                "type": {"enum": ["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]},
                "userAssignedIdentities": {"type": "object"},
            },
        },
        "properties": {
            "type": "object",
            "required": ["authMode"],
            "additionalProperties": False,
            "properties": {
                "authMode": {"type": "string"},
                "compute": {"type": "string"},
                "description": {"type": "string"},
                "keys": {"type": "object"},
                "mirrorTraffic": {"type": "object"},
                "properties": {"type": "object"},
                "publicNetworkAccess": {"type": "string"},
                "traffic": {"type": "object"},
            },
        },
    },
}


def test_the_online_endpoint_template_matches_the_documented_body():
    template = json.loads((MODULES / "serving" / "endpoint.template.json").read_text())
    (resource,) = template["resources"]
    jsonschema.validate(resource, ONLINE_ENDPOINT_BODY)
    parameters = template["parameters"]
    assert set(parameters["authMode"]["allowedValues"]) <= {"AMLToken", "Key", "AADToken"}
    assert set(parameters["publicNetworkAccess"]["allowedValues"]) == {"Enabled", "Disabled"}
    # Every parameter the template reads is one serving/main.tf passes, and the other way round.
    used = set(re.findall(r"parameters\('(\w+)'\)", json.dumps(template)))
    main_tf = (MODULES / "serving" / "main.tf").read_text()
    passed = set(re.findall(r"^\s+(\w+)\s+= \{ value =", main_tf, re.MULTILINE))
    assert used == passed == set(parameters)


def test_endpoints_use_entra_tokens_and_stay_private_with_private_endpoints():
    block = _module(_root().files["main.tf"], "serving")
    assert 'auth_mode             = "AADToken"' in block
    assert "public_network_access = false" in block
    open_block = _module(
        _root("network: {private_endpoints: false, nat: single}\n").files["main.tf"], "serving"
    )
    assert "public_network_access = true" in open_block


def test_endpoint_auth_is_the_specs_per_endpoint():
    spec = "serving:\n  endpoints:\n    - {name: default}\n    - {name: partner, auth: key}\n"
    block = _module(_root(spec).files["main.tf"], "serving")
    default, partner = block.split("partner = {")
    assert 'auth_mode             = "AADToken"' in default and "Key" not in default
    assert 'auth_mode             = "Key"' in partner


def test_every_spec_auth_mode_maps_to_one_the_template_allows():
    from mlgen.clouds import capabilities
    from mlgen.clouds.azure.catalog import ENDPOINT_AUTH_MODES

    template = json.loads((MODULES / "serving" / "endpoint.template.json").read_text())
    allowed = template["parameters"]["authMode"]["allowedValues"]
    assert set(ENDPOINT_AUTH_MODES) == set(capabilities("azure").endpoint_auth_modes)
    assert sorted(ENDPOINT_AUTH_MODES.values()) == sorted(allowed)


def test_no_identity_gets_a_role_on_the_subscription():
    main_tf = (MODULES / "access" / "main.tf").read_text()
    for role, scope in re.findall(r'role = "([^"]+)", scope = var\.(\w+)', main_tf):
        assert scope != "subscription_id", role
        if role in {"Owner", "Contributor", "Role Based Access Control Administrator"}:
            assert scope == "resource_group_id", (role, scope)
    assert "Owner" not in main_tf


def test_federated_credentials_plan_for_pull_requests_and_apply_for_the_environment():
    main_tf = (MODULES / "access" / "main.tf").read_text()
    assert '"repo:${var.ci.repository}:pull_request"' in main_tf
    assert '"repo:${var.ci.repository}:environment:${name}"' in main_tf
    block = _module(
        _root("access: {ci: {provider: github, repository: acme/fraud}}\n", "prod").files["main.tf"],
        "access",
    )
    assert re.search(r'environments = \["prod"\]', block)


def test_every_resource_type_the_azure_modules_declare_has_a_pricing_decision():
    declared = {
        match
        for path in MODULES.rglob("*.tf")
        for match in re.findall(r'^resource "(azurerm_\w+)"', path.read_text(), re.MULTILINE)
    }
    assert declared
    assert sorted(declared - set(costing.RESOURCE_PRICING)) == []
    assert sorted(set(costing.RESOURCE_PRICING) - declared) == []


def test_idle_costs_are_priced_in_the_example_regions_and_unpriced_elsewhere():
    plan = _plan()
    notes = ADAPTER.idle_costs(plan.environments["dev"])
    assert notes[0].startswith("~") and "not priced" not in " ".join(notes)
    elsewhere = plan_spec(load_spec_text(VALID_AZURE.replace("westeurope", "japaneast")))
    notes = ADAPTER.idle_costs(elsewhere.environments["dev"])
    assert notes[0] == "~0.00 USD/month (`mlgen cost`)"
    assert any(note.endswith(": not priced") for note in notes)


def test_both_blueprints_have_an_azure_example_written_by_init():
    for blueprint in ("starter", "production"):
        spec = (REPO / "examples" / f"azure-{blueprint}" / "mlgen.yaml").read_text()
        assert "cloud: azure" in spec and f"blueprint: {blueprint}" in spec


def test_the_literal_key_url_is_the_key_the_key_vault_module_makes():
    env = _plan().environments["prod"]
    assert f'name         = "{naming.CMK_KEY_NAME}"' in (MODULES / "key_vault" / "main.tf").read_text()
    assert naming.cmk_key_url(env) == f"https://{naming.key_vault(env)}.vault.azure.net/keys/cmk"
    for block in ("storage", "registry", "machine_learning"):
        text = _module(_root(environment="prod").files["main.tf"], block)
        assert (
            f'key_id                     = "{naming.cmk_key_url(env)}"' in text
            or naming.cmk_key_url(env) in text
        )
        assert "depends_on = [module.key_vault]" in text


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_the_module_graph_of_the_root_is_acyclic(environment):
    """checkov stops resolving module variables along a cycle of module references (tags then fail MLG001)."""
    main_tf = _root("access: {ci: {provider: github, repository: acme/fraud}}\n", environment).files[
        "main.tf"
    ]
    names = re.findall(r'^module "(\w+)" \{', main_tf, re.MULTILINE)
    edges = {name: set(re.findall(r"module\.(\w+)", _module(main_tf, name))) - {name} for name in names}
    state = dict.fromkeys(names, 0)

    def visit(name: str, path: list[str]) -> None:
        assert state[name] != 1, f"module cycle: {' -> '.join([*path, name])}"
        if state[name] == 0:
            state[name] = 1
            for target in sorted(edges[name]):
                visit(target, [*path, name])
            state[name] = 2

    for name in names:
        visit(name, [])


def test_a_project_longer_than_the_workspace_name_allows_is_refused(tmp_path, monkeypatch):
    long = "p" * (capabilities("azure").name_limits.project + 1)
    validate, generate = _both(tmp_path, monkeypatch, VALID_AZURE.replace("fraud-detect", long))
    assert "project" in validate and "project" in generate


def test_global_names_fit_their_limits_for_the_longest_project():
    project = "p" * capabilities("azure").name_limits.project
    text = VALID_AZURE.replace("fraud-detect", project)
    for env in plan_spec(load_spec_text(text)).environments.values():
        assert len(naming.storage_account(env)) <= 24 and len(env.state.bucket) <= 24
        assert len(naming.key_vault(env)) <= 24
        assert len(naming.state_key_vault(project, env.name, env.account_id)) <= 24
        assert len(naming.compute_cluster(env)) <= 16
        assert len(naming.workspace(env)) <= 33
        assert len(naming.online_endpoint(env, "e" * 32)) <= 32


@pytest.mark.parametrize("directory", ["infra/bootstrap/prod", "infra/envs/prod"])
def test_every_root_pins_the_subscription_and_recovers_soft_deleted_vaults(directory):
    roots = {root.directory: root for root in ADAPTER.terraform_roots(_plan())}
    providers = roots[directory].files["providers.tf"]
    assert 'subscription_id                 = "00000000-0000-0000-0000-000000000003"' in providers
    assert 'resource_provider_registrations = "none"' in providers  # CI roles stop at the resource group
    for flag in ("recover_soft_deleted_key_vaults    = true", "purge_soft_delete_on_destroy       = false"):
        assert flag in providers


def test_every_azure_module_has_the_standard_structure_and_validated_variables():
    modules = sorted(path for path in MODULES.iterdir() if path.is_dir())
    assert len(modules) >= 12
    for module in modules:
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
            assert (module / name).is_file(), f"{module.name}/{name}"
        assert '"~> 4.55"' in (module / "versions.tf").read_text(), module.name
        for match in re.finditer(
            r'variable "(\w+)" \{(.*?)\n\}', (module / "variables.tf").read_text(), re.DOTALL
        ):
            assert "description" in match.group(2) and "validation {" in match.group(2), (
                module.name,
                match[1],
            )
        for match in re.finditer(
            r'output "(\w+)" \{(.*?)\n\}', (module / "outputs.tf").read_text(), re.DOTALL
        ):
            assert "description" in match.group(2), (module.name, match[1])
