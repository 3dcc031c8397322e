"""MLG009: an environment whose idle cost eats too much of its budget.

When what bills with nothing running already crosses the budget's first alert, every alert is noise and
the budget no longer guards anything. The check fails above IDLE_SHARE_LIMIT of the monthly budget;
mlgen's blueprints keep idle under a quarter (tests hold them to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlgen.cost.model import Estimate

POLICY_ID = "MLG009"
IDLE_SHARE_LIMIT = 0.5  # the blueprints' first budget alert is at 50 %


@dataclass(frozen=True)
class BudgetVerdict:
    environment: str
    ok: bool
    message: str


def idle_budget_verdicts(estimate: Estimate, limit: float = IDLE_SHARE_LIMIT) -> list[BudgetVerdict]:
    verdicts = []
    for env in estimate.environments:
        share = env.idle_share_of_budget
        unpriced = env.idle_not_priced
        note = f" ({len(unpriced)} idle line(s) not priced, not counted)" if unpriced else ""
        if share is None:
            verdicts.append(
                BudgetVerdict(
                    env.name,
                    True,
                    f"{env.name}: budget in {env.budget.currency}, prices in {env.currency}: not compared",
                )
            )
        elif share > limit:
            verdicts.append(
                BudgetVerdict(
                    env.name,
                    False,
                    f"{env.name}: idle cost {env.idle_total:,.2f} {env.currency}/month is {share:.0%} of the "
                    f"{env.budget.amount:,.0f} {env.budget.currency} budget (limit {limit:.0%}){note}; raise "
                    "budgets.monthly_amount or cut what bills idle (nat, endpoint_zones, tracking, "
                    "serving min_replicas) — see `mlgen cost`",
                )
            )
        else:
            verdicts.append(
                BudgetVerdict(
                    env.name,
                    True,
                    f"{env.name}: idle {env.idle_total:,.2f} {env.currency} = {share:.0%} of budget{note}",
                )
            )
    return verdicts


# `mlgen init` keeps idle under this share of a budget it has to raise, as the blueprints do (a quarter
# leaves the 50 % alert for real spending).
INITIAL_IDLE_SHARE = 0.25
BUDGET_STEP = 50  # round a raised budget up to a number people write


def budgets_that_fit(estimate: Estimate) -> dict[str, int]:
    """Environment -> the monthly budget that keeps its idle cost under INITIAL_IDLE_SHARE, for the
    environments whose budget leaves idle above that share (a blueprint's budget may sit below one cloud's
    idle floor: Azure's starter would fail MLG009, GCP's would pass it with too little room for spending)."""
    raised = {}
    for env in estimate.environments:
        share = env.idle_share_of_budget
        if share is not None and share > INITIAL_IDLE_SHARE:
            needed = env.idle_total / INITIAL_IDLE_SHARE
            raised[env.name] = int(-(-needed // BUDGET_STEP) * BUDGET_STEP)
    return raised
