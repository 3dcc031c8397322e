"""`mlgen doctor` on a good and a bad account in moto's server. Service Quotas (SageMaker) and Cost Explorer
cost-allocation tags are not implemented by moto 5.2.5: doctor reports them as skips there, and the quota
rule is checked on a recorded ListServiceQuotas response shape. Wall time ~6 s.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.ops.landing_zone import client, seed_landing_zone, write_spec

from mlgen.cli import main
from mlgen.clouds.aws.ops.doctor import quota_result

CI = "access:\n  ci: {provider: github, repository: example-org/churn, branches: [main]}\n"


def doctor(project: Path, env: str = "dev"):
    return CliRunner().invoke(
        main, ["doctor", "--env", env, "--project-dir", str(project)], catch_exceptions=False
    )


def line(output: str, name: str) -> str:
    return next(row for row in output.splitlines() if row.startswith("  ") and f" {name} " in row)


def test_good_account_passes_every_check_it_can_run(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p", extra=CI)
    seed_landing_zone()
    client("iam").create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["a" * 40],
    )
    result = doctor(project)
    assert result.exit_code == 0, result.output
    for name in ("credentials", "account", "region", "landing zone", "github oidc"):
        assert line(result.output, name).lstrip().startswith("ok"), result.output
    assert line(result.output, "training quota").lstrip().startswith("skip")
    assert "ready." in result.output


def test_wrong_account_missing_landing_zone_and_oidc_fail_with_a_reason(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p", dev_account="999999999999", extra=CI)
    result = doctor(project)
    assert result.exit_code == 1
    assert "FAIL account" in result.output and "lives in 999999999999" in result.output
    assert "not applied yet" in line(result.output, "landing zone")
    assert line(result.output, "github oidc").lstrip().startswith("FAIL")
    assert "Traceback" not in result.output


def test_missing_credentials_is_one_actionable_line(aws: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = doctor(write_spec(tmp_path / "p"))
    assert result.exit_code == 1
    assert "no AWS credentials found" in line(result.output, "credentials")
    assert "account" not in result.output.split("credentials", 1)[1]  # stops after the first failure


QUOTAS = [  # the shape ListServiceQuotas returns (botocore service model, service-quotas 2019-06-24)
    {
        "ServiceCode": "sagemaker",
        "QuotaCode": "L-D5E3F3E8",
        "QuotaName": "ml.g4dn.xlarge for spot training job usage",
        "Value": 1.0,
    },
    {
        "ServiceCode": "sagemaker",
        "QuotaCode": "L-0ABC1234",
        "QuotaName": "ml.m5.large for endpoint usage",
        "Value": 0.0,
    },
]


def test_quota_rule_compares_the_applied_value_with_what_the_spec_needs() -> None:
    assert quota_result("q", QUOTAS, "ml.g4dn.xlarge for spot training job usage", 1).status == "ok"
    low = quota_result("q", QUOTAS, "ml.m5.large for endpoint usage", 2)
    assert low.status == "fail" and "is 0, the spec needs 2" in low.detail and "L-0ABC1234" in low.detail
    assert quota_result("q", QUOTAS, "ml.p5.48xlarge for training job usage", 1).status == "fail"
