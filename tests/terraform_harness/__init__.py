"""Offline `terraform init` + `validate` + `plan -refresh=false` of generated roots, against local provider
plugins that serve the provider schemas mlgen bundles (docs/terraform-harness.md).

    from tests.terraform_harness import Harness, plan_root

    result = plan_root("examples/aws-starter/infra/envs/dev", variables={"serving_release": None})
    assert result.ok, result.summary()

`tfplugin6_pb2*.py` are generated (grpcio-tools 1.85.1) from `proto/tfplugin6.proto`, Terraform's plugin
protocol 6.4 definition (Copyright HashiCorp, MPL-2.0, as its header says); regenerate with
`cd tests/terraform_harness/proto && python -m grpc_tools.protoc -I. --python_out=.. --grpc_python_out=..
tfplugin6.proto` and make the `_grpc` module's import relative."""

from .runner import LOCK_FILE_NOTE, Diagnostic, Harness, PlanResult, TerraformMissing, plan_root

__all__ = ["LOCK_FILE_NOTE", "Diagnostic", "Harness", "PlanResult", "TerraformMissing", "plan_root"]
