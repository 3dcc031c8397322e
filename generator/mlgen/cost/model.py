"""The data of an estimate: what bills (items), what it costs (lines), per environment and in total."""

from __future__ import annotations

from dataclasses import dataclass, field

HOURS_PER_MONTH = 730  # the hours every major cloud's price calculator uses for a month

PRICED, FREE, NOT_PRICED = "priced", "free", "not priced"
IDLE, USAGE = "idle", "usage"


@dataclass(frozen=True)
class CostItem:
    """One thing that bills, as a cloud adapter counts it: no price yet.

    ``price_key`` names an entry of the cloud's price table (None: free, ``free_reason`` says why);
    ``factor`` scales the list price for a stated assumption (e.g. 0.3 for a 70 % spot discount).
    """

    what: str
    price_key: str | None
    quantity: float
    unit: str
    basis: str
    factor: float = 1.0
    free_reason: str = ""


@dataclass(frozen=True)
class CostLine:
    """A priced item: quantity × unit price × factor = monthly, with where the price came from."""

    what: str
    status: str  # priced | free | not priced
    quantity: float
    unit: str
    basis: str
    unit_price: float | None = None
    monthly: float | None = None
    price_key: str | None = None
    source: str = ""
    price_date: str = ""
    note: str = ""


@dataclass(frozen=True)
class Budget:
    amount: float
    currency: str


@dataclass
class EnvironmentEstimate:
    name: str
    region: str
    currency: str
    budget: Budget
    idle: list[CostLine] = field(default_factory=list)
    usage: list[CostLine] = field(default_factory=list)

    @staticmethod
    def _total(lines: list[CostLine]) -> float:
        return round(sum(line.monthly or 0.0 for line in lines), 2)

    @property
    def idle_total(self) -> float:
        """Sum of the priced idle lines; not-priced lines are listed, never counted as zero silently."""
        return self._total(self.idle)

    @property
    def usage_total(self) -> float:
        return self._total(self.usage)

    @property
    def total(self) -> float:
        return round(self.idle_total + self.usage_total, 2)

    @property
    def not_priced(self) -> list[CostLine]:
        return [line for line in [*self.idle, *self.usage] if line.status == NOT_PRICED]

    @property
    def idle_not_priced(self) -> list[CostLine]:
        return [line for line in self.idle if line.status == NOT_PRICED]

    @property
    def idle_share_of_budget(self) -> float | None:
        """Idle cost as a fraction of the monthly budget; None when the currencies differ."""
        if self.budget.currency != self.currency or self.budget.amount <= 0:
            return None
        return self.idle_total / self.budget.amount


@dataclass(frozen=True)
class PriceTableInfo:
    region: str
    compiled: str  # ISO date the prices were compiled
    age_days: int | None  # None when the estimate was made without a reference date (deterministic output)
    path: str


@dataclass
class Estimate:
    project: str
    cloud: str
    scenario: dict[str, object]
    environments: list[EnvironmentEstimate] = field(default_factory=list)
    price_tables: list[PriceTableInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
