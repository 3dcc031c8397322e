"""MLG009 in `mlgen check`: each environment's idle cost against its budget, from the project's spec.

Unlike MLG001-MLG008 this is not a checkov check: the cost comes from the plan (mlgen.cost), so the
findings point at mlgen.yaml. A spec that does not load yields no findings here; the drift step reports it.
"""

from __future__ import annotations

from pathlib import Path

from mlgen.policy.report import FAILED, PASSED, Finding

SPEC_FILE = "mlgen.yaml"
FRAMEWORK = "cost"


def _environment_line(spec_text: str, environment: str) -> int:
    """The line of `  <environment>:` under `environments:` (what a reviewer edits), else 0 (file only)."""
    inside = False
    for number, line in enumerate(spec_text.splitlines(), 1):
        if line.startswith("environments:"):
            inside = True
        elif inside and line and not line[0].isspace() and not line.startswith("#"):
            inside = False
        elif inside and line.strip().startswith(f"{environment}:") and line.startswith("  "):
            return number
    return 0


def idle_cost_findings(project_dir: Path) -> list[Finding]:
    spec_path = project_dir / SPEC_FILE
    if not spec_path.is_file():
        return []
    import click

    from mlgen.clouds import AdapterError
    from mlgen.cost import estimate_plan
    from mlgen.cost.budget_check import POLICY_ID, idle_budget_verdicts
    from mlgen.plan import load_plan
    from mlgen.policy.catalog import POLICY_BY_ID

    try:
        estimate = estimate_plan(load_plan(spec_path))
    except (click.ClickException, AdapterError):
        return []
    policy = POLICY_BY_ID[POLICY_ID]
    spec_text = spec_path.read_text(encoding="utf-8")
    return [
        Finding(
            framework=FRAMEWORK,
            check_id=POLICY_ID,
            status=PASSED if verdict.ok else FAILED,
            file=SPEC_FILE,
            line=_environment_line(spec_text, verdict.environment),
            resource=f"environments.{verdict.environment}.budgets",
            check_name=policy.name,
            message="" if verdict.ok else verdict.message,
            fix="" if verdict.ok else policy.fix,
        )
        for verdict in idle_budget_verdicts(estimate)
    ]
