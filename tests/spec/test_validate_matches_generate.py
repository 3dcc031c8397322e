"""`mlgen validate` refuses exactly what `mlgen generate` cannot build: the cases where the two disagreed
(8 x t4 and 1 x h100 on AWS, zone names longer than the storage module takes, endpoint and variant names
longer than the serving module takes, gitlab CI silently replaced by GitHub, a cloud without an adapter,
endpoint key auth on a cloud whose endpoints take only identity)
now fail validate with exit 2 and a hint. Each case also runs generate, which must agree. Wall time: ~3 s.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from tests.spec.conftest import VALID_AWS, with_lines

from mlgen.cli import main
from mlgen.clouds import capabilities

AWS_NAMES = capabilities("aws").name_limits


def _both(tmp_path, monkeypatch, text: str) -> tuple[str, str]:
    """validate's and generate's output; both must exit 2 without a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mlgen.yaml").write_text(text, encoding="utf-8")
    outputs = []
    for command in ("validate", "generate"):
        result = CliRunner().invoke(main, [command], catch_exceptions=True)
        assert result.exit_code == 2, (command, result.output)
        assert isinstance(result.exception, SystemExit), result.exception
        outputs.append(result.output)
    assert not (tmp_path / "infra").exists()  # generate refused before writing anything
    return outputs[0], outputs[1]


@pytest.mark.parametrize(("gpu", "count"), [("t4", 8), ("h100", 1)])
def test_gpu_counts_without_an_instance_are_refused_by_validate(tmp_path, monkeypatch, gpu, count):
    validate, _ = _both(
        tmp_path, monkeypatch, VALID_AWS + f"training: {{gpu: {gpu}, gpus_per_node: {count}}}\n"
    )
    assert f"aws has no node with {count} {gpu} GPUs" in validate
    allowed = "/".join(str(n) for n in capabilities("aws").gpu_counts[gpu])
    assert f"allowed for {gpu}: {allowed.replace('/', ', ')}" in validate


def test_a_zone_name_longer_than_the_storage_module_takes_is_refused(tmp_path, monkeypatch):
    zone = "z" * (AWS_NAMES.zone + 1)
    validate, _ = _both(tmp_path, monkeypatch, VALID_AWS + f"storage: {{zones: [artifacts, {zone}]}}\n")
    assert f"aws zone names are at most {AWS_NAMES.zone}" in validate


@pytest.mark.parametrize("kind", ["endpoint", "variant"])
def test_endpoint_and_variant_names_longer_than_the_serving_module_takes_are_refused(
    tmp_path, monkeypatch, kind
):
    long = "e" * (getattr(AWS_NAMES, kind) + 1)
    endpoint = long if kind == "endpoint" else "scorer"
    variant = long if kind == "variant" else "blue"
    text = VALID_AWS + (
        f"serving:\n  endpoints:\n    - name: {endpoint}\n"
        f"      variants: [{{name: {variant}, weight: 100}}]\n"
    )
    validate, _ = _both(tmp_path, monkeypatch, text)
    assert f"aws {kind} names are at most {getattr(AWS_NAMES, kind)}" in validate


def test_names_at_the_limit_are_accepted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zone, endpoint, variant = "z" * AWS_NAMES.zone, "e" * AWS_NAMES.endpoint, "v" * AWS_NAMES.variant
    text = VALID_AWS + (
        f"storage: {{zones: [artifacts, {zone}]}}\n"
        f"serving:\n  endpoints:\n    - name: {endpoint}\n      variants: [{{name: {variant}, weight: 100}}]\n"
    )
    (tmp_path / "mlgen.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output


def test_gitlab_ci_is_an_error_with_a_suggestion_not_silently_github(tmp_path, monkeypatch):
    text = VALID_AWS + "access:\n  ci: {provider: gitlab, repository: acme/fraud}\n"
    validate, _ = _both(tmp_path, monkeypatch, text)
    assert "access.ci.provider: CI provider 'gitlab' is not generated yet" in validate
    assert "use provider: github" in validate


def test_a_valid_spec_for_a_cloud_without_an_adapter_fails_validate_like_generate(tmp_path, monkeypatch):
    # Every cloud generates now: pretend azure does not, to keep the refusal path honest.
    import mlgen.clouds

    monkeypatch.setattr(mlgen.clouds, "supported_clouds", lambda: ["aws", "gcp"])
    text = with_lines(VALID_AWS, cloud="azure", region="westeurope")
    for n, env in enumerate(("111111111111", "222222222222", "333333333333"), start=1):
        text = text.replace(f'"{env}"', f'"00000000-0000-0000-0000-00000000000{n}"')
    validate, generate = _both(tmp_path, monkeypatch, text)
    assert "cloud 'azure' is not supported yet (supported: aws, gcp)" in validate
    assert "cloud 'azure' is not supported yet" in generate


def test_key_auth_on_a_cloud_with_identity_only_is_refused_by_both(tmp_path, monkeypatch):
    validate, generate = _both(
        tmp_path, monkeypatch, VALID_AWS + "serving:\n  endpoints:\n    - {name: scorer, auth: key}\n"
    )
    for output in (validate, generate):
        assert (
            "serving.endpoints[0].auth: aws endpoints do not take auth: key (allowed on aws: identity)"
            in output
        )
