"""Price the cost items a cloud adapter counts for each environment of a plan."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mlgen.cost.model import (
    FREE,
    NOT_PRICED,
    PRICED,
    Budget,
    CostItem,
    CostLine,
    EnvironmentEstimate,
    Estimate,
    PriceTableInfo,
)
from mlgen.cost.prices import PriceTable, load_price_table
from mlgen.cost.scenario import Scenario

if TYPE_CHECKING:
    from mlgen.clouds.base import CloudAdapter
    from mlgen.plan import EnvironmentPlan, Plan


def price_item(item: CostItem, table: PriceTable | None, region: str) -> CostLine:
    common = {"what": item.what, "quantity": item.quantity, "unit": item.unit, "basis": item.basis}
    if item.price_key is None:
        return CostLine(**common, status=FREE, monthly=0.0, note=item.free_reason)
    if table is None:
        return CostLine(
            **common, status=NOT_PRICED, price_key=item.price_key, note=f"no price table for region {region}"
        )
    price = table.prices.get(item.price_key)
    if price is None:
        return CostLine(
            **common,
            status=NOT_PRICED,
            price_key=item.price_key,
            note=f"{item.price_key} is not in the {table.region} price table",
        )
    unit_price = price.usd * item.factor
    return CostLine(
        **common,
        status=PRICED,
        unit_price=round(unit_price, 6),
        monthly=round(item.quantity * unit_price, 2),
        price_key=item.price_key,
        source=price.source,
        price_date=table.compiled.isoformat(),
    )


def _region_table(
    adapter: CloudAdapter, cloud: str, region: str, today: date | None, estimate: Estimate
) -> PriceTable | None:
    """Load a region's table once, recording its age and any warning (missing, stale) on the estimate."""
    path = adapter.price_table_path(region)
    if not path.is_file():
        estimate.warnings.append(
            f"no {cloud} price table for region {region}: every line there is 'not priced' "
            "(add one with the cloud's refresh script)"
        )
        return None
    table = load_price_table(path)
    age = table.age_days(today) if today else None
    estimate.price_tables.append(PriceTableInfo(region, table.compiled.isoformat(), age, path.name))
    warning = table.staleness_warning(today) if today else None
    if warning:
        estimate.warnings.append(warning)
    return table


def estimate_plan(
    plan: Plan,
    scenario: Scenario | None = None,
    *,
    environments: list[str] | None = None,
    today: date | None = None,
) -> Estimate:
    """The estimate of every environment (or the named ones), in plan order.

    ``today`` dates the price tables (age, the 180-day warning); without it the estimate is a pure
    function of plan and scenario, which is what generated files need.
    """
    from mlgen.clouds import get_adapter

    adapter = get_adapter(plan.cloud)
    scenario = scenario or Scenario()
    estimate = Estimate(project=plan.project, cloud=plan.cloud, scenario={})
    tables: dict[str, PriceTable | None] = {}
    for env in plan.environments.values():
        if environments is not None and env.name not in environments:
            continue
        if env.region not in tables:
            tables[env.region] = _region_table(adapter, plan.cloud, env.region, today, estimate)
        table = tables[env.region]
        values = scenario.for_environment(env.name, adapter.scenario_defaults(env))
        estimate.scenario[env.name] = values
        idle_items, usage_items = adapter.cost_items(env, values)
        estimate.environments.append(
            EnvironmentEstimate(
                name=env.name,
                region=env.region,
                currency=table.currency if table else "USD",
                budget=Budget(float(env.budgets.monthly_amount), env.budgets.currency),
                idle=[price_item(item, table, env.region) for item in idle_items],
                usage=[price_item(item, table, env.region) for item in usage_items],
            )
        )
    for env_estimate in estimate.environments:
        if env_estimate.not_priced:
            what = ", ".join(sorted({line.what for line in env_estimate.not_priced}))
            estimate.warnings.append(f"{env_estimate.name}: not priced, so not in the totals: {what}")
    return estimate


def format_money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def idle_cost_notes(adapter: CloudAdapter, env: EnvironmentPlan) -> list[str]:
    """The idle estimate of one environment in words, for the generated README: the total, then each
    line that bills (default scenario, no date, so the README is a pure function of the spec)."""
    table_path = adapter.price_table_path(env.region)
    table = load_price_table(table_path) if table_path.is_file() else None
    values = Scenario().for_environment(env.name, adapter.scenario_defaults(env))
    lines = [price_item(item, table, env.region) for item in adapter.cost_items(env, values)[0]]
    total = round(sum(line.monthly or 0.0 for line in lines), 2)
    currency = table.currency if table else "USD"
    notes = [f"~{format_money(total, currency)}/month (`mlgen cost`)"]
    for line in lines:
        if line.status == PRICED and line.monthly:
            notes.append(f"{line.what} ({line.basis}) {line.monthly:,.2f}")
        elif line.status == NOT_PRICED:
            notes.append(f"{line.what} ({line.basis}): not priced")
    free = [line.what for line in lines if line.status == FREE]
    if free:
        notes.append(f"free while idle: {', '.join(free)}")
    return notes
