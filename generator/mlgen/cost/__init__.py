"""Cost estimates from the plan, offline: what an environment bills while idle and under a usage scenario.

The engine is cloud-neutral: a cloud adapter says *what* its Terraform makes that bills (cost items: a price
key, a quantity and how it was counted) and where its price table lies; this package prices the items
from the committed table, sums them and renders text, markdown or JSON. Nothing here talks to a cloud.
"""

from mlgen.cost.estimate import estimate_plan
from mlgen.cost.model import CostItem, CostLine, EnvironmentEstimate, Estimate
from mlgen.cost.scenario import Scenario, load_scenario

__all__ = [
    "CostItem",
    "CostLine",
    "EnvironmentEstimate",
    "Estimate",
    "Scenario",
    "estimate_plan",
    "load_scenario",
]
