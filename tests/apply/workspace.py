"""A temporary copy of a generated project, rewired to run the real AWS provider against moto.

The generated tree is never changed: everything the emulator needs is an override file
(``*_override.tf``) or a listed source patch applied to the copy. ``COPY_PATCHES`` is the one place that
lists every source patch; ``OVERRIDES`` is the one place that lists every override.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PROVIDER_VERSION = "5.100.0"
PLUGIN_MIRROR = Path(os.environ.get("MLGEN_TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
PROVIDER_BINARY_DIR = (
    PLUGIN_MIRROR / "registry.terraform.io" / "hashicorp" / "aws" / PROVIDER_VERSION / "linux_amd64"
)

# Services the landing zone calls; each is pointed at the emulator.
ENDPOINT_SERVICES = (
    "s3",
    "kms",
    "iam",
    "sts",
    "ec2",
    "ecr",
    "logs",
    "cloudwatch",
    "sns",
    "budgets",
    "sagemaker",
    "ssm",
    "appautoscaling",
    "autoscaling",
)

# Source patches applied to the copy: (old, new, why). The generated code targets provider 6.x; the real
# provider binary on these machines is 5.100.0, which lacks these 6.x-only attributes.
COPY_PATCHES = (
    (
        "data.aws_region.current.region",
        "data.aws_region.current.name",
        "aws_region.region is 6.x-only (5.x calls it name; 6.x deprecates name)",
    ),
)


def provider_binary() -> Path | None:
    """The provider binary in the filesystem mirror, or None when this machine has none."""
    found = (
        sorted(PROVIDER_BINARY_DIR.glob("terraform-provider-aws_*")) if PROVIDER_BINARY_DIR.is_dir() else []
    )
    return found[0] if found else None


def cli_config(directory: Path) -> Path:
    """A Terraform CLI config that installs hashicorp/aws from the mirror only (no registry download)."""
    path = directory / "terraformrc"
    path.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{PLUGIN_MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }}\n'
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
        "}\n"
    )
    return path


def _pin_override() -> str:
    return f'terraform {{\n  required_providers {{\n    aws = {{\n      source  = "hashicorp/aws"\n      version = "{PROVIDER_VERSION}"\n    }}\n  }}\n}}\n'


def _provider_override(endpoint: str) -> str:
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in ENDPOINT_SERVICES)
    return (
        'provider "aws" {\n'
        '  access_key                  = "testing"\n'
        '  secret_key                  = "testing"\n'
        "  skip_credentials_validation = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_region_validation      = true\n"
        "  s3_use_path_style           = true\n"
        "  # moto answers an unimplemented call with HTTP 500; default retries would wait ~10 min per call.\n"
        "  max_retries = 2\n"
        f"  endpoints {{\n{endpoints}\n  }}\n"
        "}\n"
    )


def _backend_override(state: Path) -> str:
    return f'terraform {{\n  backend "local" {{\n    path = "{state}"\n  }}\n}}\n'


@dataclass
class Workspace:
    """One project copy wired to one emulator endpoint."""

    project: Path
    endpoint: str
    env: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    @classmethod
    def prepare(cls, source: Path, destination: Path, endpoint: str) -> Workspace:
        shutil.copytree(
            source,
            destination,
            ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl"),
        )
        for module in sorted((destination / "infra" / "modules").glob("*/*")):
            _patch_module(module)
            (module / "mlgen_pin_override.tf").write_text(_pin_override())
        for root in _roots(destination):
            (root / "mlgen_pin_override.tf").write_text(_pin_override())
            (root / "mlgen_provider_override.tf").write_text(_provider_override(endpoint))
            if "envs" in root.parts:
                state = root / "terraform.tfstate"
                (root / "mlgen_backend_override.tf").write_text(_backend_override(state))
        env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(cli_config(destination)),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL": endpoint,
        }
        env.pop("TF_PLUGIN_CACHE_DIR", None)
        return cls(project=destination, endpoint=endpoint, env=env)

    def root(self, kind: str, environment: str) -> Path:
        return self.project / "infra" / kind / environment

    def terraform(self, root: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
        return self.run(["terraform", f"-chdir={root}", *args], timeout=timeout)

    def run(self, command: list[str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        self.log.append(f"$ {' '.join(command)}  # rc={result.returncode} {time.monotonic() - started:.0f}s")
        return result

    def state_resources(self, root: Path) -> list[str]:
        """Managed resource addresses in a root's local state."""
        state = root / "terraform.tfstate"
        if not state.is_file():
            return []
        data = json.loads(state.read_text())
        return [
            f"{r.get('module', '')}.{r['type']}.{r['name']}"
            for r in data.get("resources", [])
            if r["mode"] == "managed"
            for _ in r["instances"]
        ]


def _roots(project: Path) -> list[Path]:
    return sorted(p.parent for p in (project / "infra").glob("*/*/versions.tf") if "modules" not in p.parts)


def _patch_module(module: Path) -> None:
    for path in module.glob("*.tf"):
        text = path.read_text()
        patched = text
        for old, new, _why in COPY_PATCHES:
            patched = patched.replace(old, new)
        if patched != text:
            path.write_text(patched)
