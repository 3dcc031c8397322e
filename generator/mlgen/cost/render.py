"""Render an estimate as text (terminals), markdown (pull requests, job summaries) or JSON (tools)."""

from __future__ import annotations

import json
from dataclasses import asdict

from mlgen.cost.model import NOT_PRICED, CostLine, EnvironmentEstimate, Estimate

FORMATS = ("text", "markdown", "json")


def _money(amount: float | None, currency: str) -> str:
    return "—" if amount is None else f"{amount:,.2f} {currency}"


def _unit_price(line: CostLine) -> str:
    if line.unit_price is None:
        return "—"
    return f"{line.unit_price:.7f}".rstrip("0").rstrip(".")


def _share(env: EnvironmentEstimate) -> str:
    share = env.idle_share_of_budget
    if share is None:
        return f"budget in {env.budget.currency}, prices in {env.currency}: not compared"
    return f"{share:.0%} of the {env.budget.amount:,.0f} {env.budget.currency} budget"


def _price_cell(line: CostLine) -> str:
    if line.status == NOT_PRICED:
        return f"NOT PRICED ({line.note})"
    if line.source:
        return f"{line.source} ({line.price_date})"
    return line.note or line.status


def _text_lines(title: str, lines: list[CostLine], currency: str, total: float) -> list[str]:
    out = [f"  {title}: {_money(total, currency)}/month"]
    for line in lines:
        out.append(
            f"    {line.what}: {line.basis} = {line.quantity:g} {line.unit} × {_unit_price(line)} "
            f"= {_money(line.monthly, currency)}  [{_price_cell(line)}]"
        )
    return out


def render_text(estimate: Estimate) -> str:
    out = [f"Cost estimate for {estimate.project} ({estimate.cloud}), per month, list prices"]
    for table in estimate.price_tables:
        age = f", {table.age_days} days old" if table.age_days is not None else ""
        out.append(f"prices: {table.region} compiled {table.compiled}{age}")
    for env in estimate.environments:
        out.append("")
        out.append(f"{env.name} ({env.region}): idle {_money(env.idle_total, env.currency)} = {_share(env)}")
        out += _text_lines("idle (no job, no traffic)", env.idle, env.currency, env.idle_total)
        out += _text_lines("usage scenario", env.usage, env.currency, env.usage_total)
        out.append(f"  total: {_money(env.total, env.currency)}/month")
    for warning in estimate.warnings:
        out.append(f"warning: {warning}")
    return "\n".join(out) + "\n"


def _md_table(lines: list[CostLine], currency: str, total: float) -> list[str]:
    out = [
        "| item | quantity | unit price | monthly | price source |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for line in lines:
        out.append(
            f"| {line.what} | {line.basis} ({line.quantity:g} {line.unit}) | {_unit_price(line)} | "
            f"{_money(line.monthly, currency)} | {_price_cell(line)} |"
        )
    out.append(f"| **total** | | | **{_money(total, currency)}** | |")
    return out


def render_markdown(estimate: Estimate, baseline: Estimate | None = None) -> str:
    out = [f"## Cost estimate: {estimate.project}", ""]
    out.append("| environment | idle / month | share of budget | usage scenario / month | total / month |")
    out.append("| --- | ---: | --- | ---: | ---: |")
    base = {env.name: env for env in baseline.environments} if baseline else {}
    for env in estimate.environments:
        idle = _money(env.idle_total, env.currency)
        if baseline is not None:
            before = base.get(env.name)
            delta = env.idle_total - (before.idle_total if before else 0.0)
            idle += f" ({delta:+,.2f} vs base)"
        out.append(
            f"| {env.name} | {idle} | {_share(env)} | {_money(env.usage_total, env.currency)} | "
            f"{_money(env.total, env.currency)} |"
        )
    for env in estimate.environments:
        out += ["", f"### {env.name} ({env.region})", "", "Idle (no job, no traffic):", ""]
        out += _md_table(env.idle, env.currency, env.idle_total)
        out += ["", "Usage scenario:", ""]
        out += _md_table(env.usage, env.currency, env.usage_total)
    if estimate.price_tables:
        out += [""]
        out += [
            f"Prices: {table.region} compiled {table.compiled}"
            + (f" ({table.age_days} days old)" if table.age_days is not None else "")
            for table in estimate.price_tables
        ]
    for warning in estimate.warnings:
        out += ["", f"> **Warning:** {warning}"]
    return "\n".join(out) + "\n"


def render_json(estimate: Estimate) -> str:
    data = asdict(estimate)
    for env, raw in zip(estimate.environments, data["environments"], strict=True):
        raw["idle_total"] = env.idle_total
        raw["usage_total"] = env.usage_total
        raw["total"] = env.total
        share = env.idle_share_of_budget
        raw["idle_share_of_budget"] = None if share is None else round(share, 4)
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def render_estimate(estimate: Estimate, output_format: str, baseline: Estimate | None = None) -> str:
    if output_format == "text":
        return render_text(estimate)
    if output_format == "markdown":
        return render_markdown(estimate, baseline)
    if output_format == "json":
        return render_json(estimate)
    raise ValueError(f"unknown format {output_format!r} (allowed: {', '.join(FORMATS)})")
