"""Run the real terraform binary on rendered HCL (fmt for layout, console for meaning)."""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

TERRAFORM = shutil.which("terraform")

needs_terraform = pytest.mark.skipif(
    TERRAFORM is None,
    reason="terraform binary not on PATH: these tests compare the renderer with real `terraform fmt`/console",
)

# No update check, no CLI config warnings: the binary must work offline and quietly.
_ENV = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_CLI_CONFIG_FILE": os.devnull}


def terraform_fmt(text: str) -> str:
    """What `terraform fmt -` makes of ``text`` (fails the test if terraform cannot parse it)."""
    assert TERRAFORM is not None
    result = subprocess.run(
        [TERRAFORM, "fmt", "-"], input=text, capture_output=True, text=True, timeout=60, env=_ENV, check=False
    )
    assert result.returncode == 0, f"terraform fmt rejected the rendered HCL:\n{result.stderr}\n---\n{text}"
    return result.stdout


def terraform_evaluate_locals(config: str, names: list[str], workdir: Path) -> dict[str, Any]:
    """Evaluate ``local.<name>`` for each name with `terraform console` in a directory holding ``config``.

    The values come back through base64(jsonencode(...)) so no HCL string escaping is involved in reading
    them: the comparison checks the renderer against Terraform's own parser, not against another encoder.
    """
    assert TERRAFORM is not None
    (workdir / "main.tf").write_text(config, encoding="utf-8")
    expression = "base64encode(jsonencode({" + ", ".join(f"{name} = local.{name}" for name in names) + "}))"
    result = subprocess.run(
        [TERRAFORM, "console"],
        input=expression + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=workdir,
        env=_ENV,
        check=False,
    )
    assert result.returncode == 0, f"terraform console failed:\n{result.stderr}\n---\n{config}"
    printed = [line for line in result.stdout.splitlines() if line.strip()][-1].strip()
    assert printed.startswith('"') and printed.endswith('"'), result.stdout
    return json.loads(base64.b64decode(printed[1:-1]))


def random_value(rng: random.Random, depth: int) -> object:
    """A random nested value (strings with escapes, numbers, bools, null, lists, maps) from a seeded rng."""
    scalars = [
        lambda: rng.choice(
            ["", "plain", "with ${tmpl}", 'q"uote', "back\\slash", "nl\nx", "ünï", "%{d}", "$$"]
        ),
        lambda: rng.randint(-(10**6), 10**6),
        lambda: rng.choice([0.5, 1e-05, 123.25, -7.75]),
        lambda: rng.choice([True, False, None]),
    ]
    if depth >= 3 or rng.random() < 0.4:
        return rng.choice(scalars)()
    if rng.random() < 0.5:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["a", "bb", "long_key_name", "with-dash", "needs quoting", "ç", "x.y"]
    return {rng.choice(keys) + str(i): random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}
