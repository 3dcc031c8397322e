"""Bad specs through the real CLI: every problem with file:line:column, field path, what is allowed."""

from __future__ import annotations

import pytest
from tests.spec.conftest import VALID_AWS, with_lines


def test_yaml_syntax_error_reports_the_line(validate):
    outcome = validate("project: demo\nenvironments:\n  dev: [unclosed\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:4:1: YAML syntax error" in outcome.output or "mlgen.yaml:3:" in outcome.output
    assert "YAML syntax error" in outcome.output


def test_duplicate_yaml_key_is_a_syntax_error_with_its_line(validate):
    outcome = validate(VALID_AWS + "region: us-east-1\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:15:1: YAML syntax error" in outcome.output
    assert "duplicate key" in outcome.output


def test_string_where_a_number_belongs_is_an_error(validate):
    outcome = validate(VALID_AWS + 'training:\n  nodes: "2"\n')
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:10: training.nodes: expected a whole number, got string '2'" in outcome.output
    assert "remove the quotes" in outcome.output


def test_boolean_written_as_a_word_is_an_error(validate):
    outcome = validate(VALID_AWS + 'training:\n  spot: "yes"\n')
    assert outcome.exit_code == 2
    assert "training.spot: expected true or false, got string 'yes'" in outcome.output


def test_unknown_key_in_a_section_suggests_the_closest(validate):
    outcome = validate(VALID_AWS + "network:\n  cidr_block: 10.0.0.0/16\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:3: network.cidr_block: unknown key 'cidr_block'" in outcome.output
    assert "did you mean 'cidr'?" in outcome.output
    assert (
        "allowed: az_count, cidr, endpoint_zones, flow_log_retention_days, nat, private_endpoints"
        in outcome.output
    )


def test_unknown_top_level_section_suggests_the_closest(validate):
    outcome = validate(VALID_AWS + "monitorng:\n  p99_latency_ms: 300\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:15:1: monitorng: unknown top-level key 'monitorng'" in outcome.output
    assert "did you mean 'monitoring'?" in outcome.output


def test_unknown_gpu_kind_lists_the_kinds(validate):
    outcome = validate(VALID_AWS + "training:\n  gpu: v100\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:8: training.gpu: 'v100' is not allowed" in outcome.output
    assert "allowed: t4, l4, a10g, a100, h100" in outcome.output
    assert "did you mean 'h100' or 'a100'?" in outcome.output


def test_gpu_the_cloud_does_not_offer(validate):
    spec = with_lines(VALID_AWS, cloud="gcp", region="europe-west4")
    spec = spec.replace('"111111111111"', "fraud-detect-dev").replace('"222222222222"', "fraud-detect-stg")
    spec = spec.replace('"333333333333"', "fraud-detect-prd")
    outcome = validate(spec + "training:\n  gpu: a10g\n")
    assert outcome.exit_code == 2
    assert (
        "mlgen.yaml:16:8: training.gpu: gcp does not offer a10g GPUs for managed training" in outcome.output
    )
    assert "gcp offers: t4, l4, a100, h100" in outcome.output


def test_azure_has_no_l4(validate):
    spec = with_lines(VALID_AWS, cloud="azure", region="westeurope")
    for index, account in enumerate(('"111111111111"', '"222222222222"', '"333333333333"'), start=1):
        spec = spec.replace(account, f'"00000000-0000-0000-0000-00000000000{index}"')
    outcome = validate(spec + "training:\n  gpu: l4\n")
    assert outcome.exit_code == 2
    assert "training.gpu: azure does not offer l4 GPUs" in outcome.output


def test_gpu_count_per_node_the_cloud_does_not_offer(validate):
    outcome = validate(VALID_AWS + "training:\n  gpu: a100\n  gpus_per_node: 2\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:17:18: training.gpus_per_node: aws has no node with 2 a100 GPUs" in outcome.output
    assert "allowed for a100: 8" in outcome.output


def test_unknown_region_suggests_the_closest(validate):
    outcome = validate(with_lines(VALID_AWS, region="eu-west-9"))
    assert outcome.exit_code == 2
    assert "mlgen.yaml:3:9: region: unknown aws region 'eu-west-9'" in outcome.output
    assert "did you mean 'eu-west-3' or 'eu-west-2' or 'eu-west-1'?" in outcome.output


def test_region_in_another_clouds_spelling_suggests_this_clouds(validate):
    outcome = validate(with_lines(VALID_AWS, region="euwest1"))
    assert "did you mean 'eu-west-1'" in outcome.output


def test_overlapping_environment_networks(validate):
    spec = VALID_AWS.replace(
        '    account_id: "333333333333"\n',
        '    account_id: "333333333333"\n    network:\n      cidr: 10.10.128.0/17\n',
    )
    outcome = validate(spec)
    assert outcome.exit_code == 2
    assert (
        "mlgen.yaml:16:13: environments.prod.network.cidr: 10.10.128.0/17 overlaps "
        "environments.dev.network.cidr (10.10.0.0/16)"
    ) in outcome.output
    assert "environments.prod.network.cidr: 10.30.0.0/16" in outcome.output  # a free range to use


def test_one_top_level_cidr_for_several_environments_overlaps(validate):
    outcome = validate(VALID_AWS + "network:\n  cidr: 10.0.0.0/16\n")
    assert outcome.exit_code == 2
    assert (
        "mlgen.yaml:16:9: network.cidr: 10.0.0.0/16 overlaps environments.dev.network.cidr" in outcome.output
    )


def test_invalid_cidr(validate):
    outcome = validate(VALID_AWS + "network:\n  cidr: 10.0.0.300/16\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:9: network.cidr: '10.0.0.300/16' is not an IPv4 CIDR range" in outcome.output


def test_cidr_with_host_bits_suggests_the_network(validate):
    outcome = validate(VALID_AWS + "network:\n  cidr: 10.0.0.1/16\n")
    assert "has host bits set" in outcome.output
    assert "did you mean '10.0.0.0/16'?" in outcome.output


def test_variant_weights_must_sum_to_100(validate):
    outcome = validate(
        VALID_AWS
        + "serving:\n  endpoints:\n    - name: scoring\n      variants:\n"
        + "        - {name: blue, weight: 80}\n        - {name: green, weight: 10}\n"
    )
    assert outcome.exit_code == 2
    assert "mlgen.yaml:18:7: serving.endpoints[0].variants: variant weights sum to 90 (80 + 10), not 100" in (
        outcome.output
    )


def test_budget_thresholds_must_ascend(validate):
    outcome = validate(VALID_AWS + "budgets:\n  thresholds: [50, 100, 80]\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:3: budgets.thresholds: thresholds must be strictly ascending; 80 follows 100" in (
        outcome.output
    )


def test_min_replicas_above_max_replicas(validate):
    outcome = validate(
        VALID_AWS
        + "serving:\n  endpoints:\n    - name: scoring\n      min_replicas: 4\n      max_replicas: 2\n"
    )
    assert outcome.exit_code == 2
    assert (
        "mlgen.yaml:19:21: serving.endpoints[0].max_replicas: max_replicas (2) is less than min_replicas (4)"
        in (outcome.output)
    )


def test_serverless_endpoint_cannot_have_variants(validate):
    outcome = validate(
        VALID_AWS
        + "serving:\n  endpoints:\n    - name: scoring\n      serverless: true\n      variants:\n"
        + "        - {name: blue, weight: 100}\n"
    )
    assert outcome.exit_code == 2
    assert "serving.endpoints[0].variants: a serverless endpoint cannot split traffic" in outcome.output


def test_duplicate_endpoint_names(validate):
    outcome = validate(VALID_AWS + "serving:\n  endpoints:\n    - name: scoring\n    - name: scoring\n")
    assert outcome.exit_code == 2
    assert (
        "mlgen.yaml:16:3: serving.endpoints: endpoint name 'scoring' is used more than once" in outcome.output
    )


def test_missing_file_suggests_init(validate):
    outcome = validate(None)
    assert outcome.exit_code == 2
    assert "mlgen.yaml not found" in outcome.output
    assert "mlgen init" in outcome.output


def test_missing_file_given_with_spec_option(validate):
    outcome = validate(None, "--spec", "elsewhere.yaml")
    assert outcome.exit_code == 2
    assert "elsewhere.yaml not found" in outcome.output


def test_empty_file(validate):
    outcome = validate("# nothing here yet\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:1:1: the file is empty" in outcome.output


def test_top_level_list(validate):
    outcome = validate("- project: demo\n- cloud: aws\n")
    assert outcome.exit_code == 2
    assert (
        "mlgen.yaml:1:1: the top level must be a mapping of keys (project: ...), got list" in outcome.output
    )


def test_bad_account_id(validate):
    outcome = validate(VALID_AWS.replace('"222222222222"', '"2222-2222"'))
    assert outcome.exit_code == 2
    assert "mlgen.yaml:12:17: environments.staging.account_id: '2222-2222' is not a valid aws account" in (
        outcome.output
    )
    assert "12-digit AWS account id" in outcome.output


def test_unquoted_account_id_asks_for_quotes(validate):
    outcome = validate(VALID_AWS.replace('"111111111111"', "011111111111"))
    assert outcome.exit_code == 2
    assert "environments.dev.account_id: expected a string, got integer 11111111111" in outcome.output
    assert 'quote it: "11111111111"' in outcome.output


def test_unknown_environment_name_suggests_the_closest(validate):
    outcome = validate(VALID_AWS.replace("  staging:", "  stage:"))
    assert outcome.exit_code == 2
    assert "mlgen.yaml:11:3: environments.stage: unknown environment 'stage'" in outcome.output
    assert "did you mean 'staging'? allowed: dev, staging, prod" in outcome.output


def test_bad_email(validate):
    outcome = validate(VALID_AWS + "monitoring:\n  emails: [oncall@example.com, oncall-at-example.com]\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:32: monitoring.emails[1]: 'oncall-at-example.com' is not valid" in outcome.output
    assert "expected an e-mail address" in outcome.output


def test_missing_required_key(validate):
    outcome = validate(VALID_AWS.replace("owner: ml-platform@example.com\n", ""))
    assert outcome.exit_code == 2
    assert "mlgen.yaml:1:1: owner: required key 'owner' is missing" in outcome.output


def test_environment_without_account(validate):
    outcome = validate(
        VALID_AWS.replace('    account_id: "222222222222"\n', "    deletion_protection: false\n")
    )
    assert outcome.exit_code == 2
    assert "mlgen.yaml:11:3: environments.staging.account_id: required environment key 'account_id'" in (
        outcome.output
    )


def test_problem_in_an_environment_override_points_at_the_override(validate):
    spec = VALID_AWS.replace(
        '    account_id: "333333333333"\n', '    account_id: "333333333333"\n    training:\n      nodes: 0\n'
    )
    outcome = validate(spec)
    assert outcome.exit_code == 2
    assert "mlgen.yaml:16:14: environments.prod.training.nodes: must be >= 1, got 0" in outcome.output


def test_unknown_section_in_an_environment(validate):
    spec = VALID_AWS.replace(
        '    account_id: "333333333333"\n', '    account_id: "333333333333"\n    netwrk: {}\n'
    )
    outcome = validate(spec)
    assert (
        "mlgen.yaml:15:5: environments.prod.netwrk: unknown key 'netwrk' in environment prod"
        in outcome.output
    )
    assert "did you mean 'network'?" in outcome.output


def test_blueprint_default_the_cloud_cannot_use_points_at_the_blueprint(validate):
    spec = """\
        project: fraud-detect
        cloud: azure
        region: westeurope
        blueprint: starter
        owner: ml-platform@example.com
        cost_center: cc-1234
        environments:
          dev:
            account_id: "00000000-0000-0000-0000-000000000001"
    """
    outcome = validate(spec)
    assert outcome.exit_code == 2
    assert "serving.endpoints[0].serverless: azure has no serverless inference endpoints" in outcome.output
    assert "mlgen.yaml:4:12:" in outcome.output  # the blueprint line, the closest thing the user wrote
    assert "comes from the starter blueprint" in outcome.output


def test_every_problem_is_reported_at_once(validate):
    spec = with_lines(VALID_AWS, project="Fraud_Detect", region="eu-west-9", cloud="aws")
    spec += "training:\n  gpu: v100\nbudgets:\n  emails: [nobody]\n"
    outcome = validate(spec)
    assert outcome.exit_code == 2
    assert "4 problems in the spec:" in outcome.output
    for expected in (
        "mlgen.yaml:1:10: project:",
        "mlgen.yaml:3:9: region:",
        "mlgen.yaml:16:8: training.gpu:",
        "mlgen.yaml:18:12: budgets.emails[0]:",
    ):
        assert expected in outcome.output
    # reported in file order
    positions = [outcome.output.index(text) for text in ("1:10", "3:9", "16:8", "18:12")]
    assert positions == sorted(positions)


def test_reserved_tag_is_rejected(validate):
    outcome = validate(with_lines(VALID_AWS, tags="{managed-by: me}"))
    assert outcome.exit_code == 2
    assert "tags: tag 'managed-by' is set by mlgen on every resource" in outcome.output


def test_cloudwatch_retention_value(validate):
    outcome = validate(VALID_AWS + "monitoring:\n  log_retention_days: 100\n")
    assert outcome.exit_code == 2
    assert "monitoring.log_retention_days: CloudWatch Logs does not accept a retention of 100 days" in (
        outcome.output
    )
    assert "the nearest is 90" in outcome.output


def test_isolated_network_without_endpoints(validate):
    outcome = validate(VALID_AWS + "network:\n  nat: none\n  private_endpoints: false\n")
    assert outcome.exit_code == 2
    assert "network.private_endpoints: with nat: none and no private endpoints" in outcome.output


def test_unknown_blueprint_in_the_spec(validate):
    outcome = validate(with_lines(VALID_AWS, blueprint="prodution"))
    assert outcome.exit_code == 2
    assert "mlgen.yaml:4:12: blueprint: 'prodution' is not allowed" in outcome.output
    assert "did you mean 'production'?" in outcome.output


def test_top_level_problem_is_reported_once_not_per_environment(validate):
    outcome = validate(
        VALID_AWS + "serving:\n  endpoints:\n    - name: scoring\n      variants: [{name: blue}]\n"
    )
    assert outcome.exit_code == 2
    assert "1 problem in the spec:" in outcome.output
    assert "mlgen.yaml:18:18: serving.endpoints[0].variants[0].weight: required key 'weight' is missing" in (
        outcome.output
    )


def test_blueprint_default_that_conflicts_with_a_user_value_names_the_field_to_set(validate):
    outcome = validate(VALID_AWS + "training:\n  platform: vm\n")
    assert outcome.exit_code == 2
    assert "1 problem in the spec:" in outcome.output
    assert "mlgen.yaml:15:1: training.vm_max_instances: platform vm needs vm_max_instances of at least 1" in (
        outcome.output
    )
    assert "set training.vm_max_instances in your spec" in outcome.output


def test_control_character_is_a_positioned_syntax_error(validate):
    outcome = validate("project: demo\nowner: a\x07b\n")
    assert outcome.exit_code == 2
    assert "mlgen.yaml:2:9: YAML syntax error: special characters are not allowed" in outcome.output


def test_problem_in_a_merged_anchor_points_at_the_anchor(validate):
    spec = VALID_AWS.replace(
        '  dev:\n    account_id: "111111111111"\n',
        '  dev: &env\n    account_id: "111111111111"\n    training: {nodes: "2"}\n',
    ).replace(
        '  prod:\n    account_id: "333333333333"\n', '  prod:\n    <<: *env\n    account_id: "333333333333"\n'
    )
    outcome = validate(spec)
    assert outcome.exit_code == 2
    assert "mlgen.yaml:11:23: environments.dev.training.nodes: expected a whole number" in outcome.output
    assert "mlgen.yaml:11:23: environments.prod.training.nodes: expected a whole number" in outcome.output


def test_serverless_tracking_is_refused_where_the_cloud_has_no_serverless_mlflow(validate):
    spec = with_lines(VALID_AWS, cloud="gcp", region="europe-west4")
    outcome = validate(spec + "tracking:\n  mlflow: serverless\n")
    assert outcome.exit_code == 2
    assert "tracking.mlflow: gcp does not offer tracking.mlflow = serverless" in outcome.output
    assert "allowed: managed, none" in outcome.output


def test_serverless_tracking_is_accepted_on_aws(validate):
    outcome = validate(VALID_AWS + "tracking:\n  mlflow: serverless\n")
    assert outcome.exit_code == 0, outcome.output


# A spec for `cloud` with one endpoint on key auth; line 12 holds the endpoint and its auth.
def endpoint_auth_spec(cloud: str, region: str, account: str, auth: str = "key") -> str:
    return (
        f"project: fraud-detect\ncloud: {cloud}\nregion: {region}\nblueprint: starter\n"
        "owner: ml-platform@example.com\ncost_center: cc-1234\n"
        f'environments:\n  dev:\n    account_id: "{account}"\n'
        f"serving:\n  endpoints:\n    - {{name: default, auth: {auth}}}\n"
    )


@pytest.mark.parametrize(
    ("cloud", "region", "account"),
    [("aws", "eu-west-1", "111111111111"), ("gcp", "europe-west4", "fraud-detect-dev")],
)
def test_key_auth_is_refused_where_endpoints_take_only_identity(validate, cloud, region, account):
    outcome = validate(endpoint_auth_spec(cloud, region, account))
    assert outcome.exit_code == 2
    assert (
        f"serving.endpoints[0].auth: {cloud} endpoints do not take auth: key (allowed on {cloud}: identity)"
    ) in outcome.output
    assert "mlgen.yaml:12:29: serving.endpoints[0].auth" in outcome.output
    assert "set auth: identity" in outcome.output
    assert outcome.output.count("serving.endpoints[0]") == 1  # the only problem of the spec


@pytest.mark.parametrize(
    ("cloud", "region", "account"),
    [("aws", "eu-west-1", "111111111111"), ("gcp", "europe-west4", "fraud-detect-dev")],
)
def test_identity_auth_is_accepted_everywhere(validate, cloud, region, account):
    outcome = validate(endpoint_auth_spec(cloud, region, account, auth="identity"))
    assert outcome.exit_code == 0, outcome.output


def test_key_auth_is_accepted_on_azure(validate):
    outcome = validate(endpoint_auth_spec("azure", "westeurope", "00000000-0000-0000-0000-000000000001"))
    assert outcome.exit_code == 0, outcome.output


def test_unknown_auth_lists_the_modes(validate):
    outcome = validate(
        endpoint_auth_spec("azure", "westeurope", "00000000-0000-0000-0000-000000000001", auth="token")
    )
    assert outcome.exit_code == 2
    assert "serving.endpoints[0].auth: 'token' is not allowed" in outcome.output
    assert "allowed: identity, key" in outcome.output
