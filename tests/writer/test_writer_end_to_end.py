"""The pieces together, as the generator pipeline uses them: render HCL, add headers, write, check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mlgen.render.hcl_emitter import Block, Call, Ref, module_call, render_block, render_file
from mlgen.render.headers import add_header
from mlgen.writer import GeneratedFile, check_tree, format_write_report, write_tree

TERRAFORM = shutil.which("terraform")


def _generate(environments: list[str]) -> list[GeneratedFile]:
    files = []
    for environment in environments:
        root = render_file(
            [
                render_block(
                    "terraform",
                    [],
                    {
                        "required_version": ">= 1.10",
                        "required_providers": Block(
                            {"aws": {"source": "hashicorp/aws", "version": "~> 6.0"}}
                        ),
                    },
                ),
                module_call(
                    "keys",
                    "../../modules/aws/keys",
                    {
                        "prefix": f"demo-{environment}",
                        "tags": Call("merge", Ref("local.tags"), {"env": environment}),
                    },
                ),
            ]
        )
        path = f"infra/envs/{environment}/main.tf"
        files.append(GeneratedFile.text(path, add_header(path, root)))
        script = f"scripts/teardown-{environment}.sh"
        files.append(
            GeneratedFile.text(
                script, add_header(script, "#!/usr/bin/env bash\necho teardown\n"), executable=True
            )
        )
    files.append(GeneratedFile.text("config/environments.json", '{"environments": 2}\n'))
    return files


@pytest.mark.skipif(
    TERRAFORM is None, reason="terraform binary not on PATH: needed for `terraform fmt -check`"
)
def test_a_generated_tree_is_fmt_clean_on_disk_and_regenerates_cleanly(tmp_path: Path) -> None:
    first = write_tree(tmp_path, _generate(["dev", "prod"]))
    assert TERRAFORM is not None
    fmt = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null"},
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    assert len(first.created) == 5

    # Drop an environment: its files go, the rest is untouched, and --check is clean afterwards.
    second = write_tree(tmp_path, _generate(["dev"]))
    assert format_write_report(second) == "created 0, updated 0, unchanged 3, removed 2"
    assert not (tmp_path / "infra/envs/prod").exists()
    assert check_tree(tmp_path, _generate(["dev"])).clean
