"""Committed price tables: one JSON file per cloud and region, with its date and the pages it came from.

Format (written by the cloud's refresh script, e.g. scripts/refresh_aws_prices.py):

    {"cloud": "aws", "region": "us-east-1", "currency": "USD", "compiled": "2026-12-03",
     "prices": {"nat_gateway.hour": {"usd": 0.045, "unit": "hour", "source": "https://..."}}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class Price:
    usd: float
    unit: str
    source: str


@dataclass(frozen=True)
class PriceTable:
    cloud: str
    region: str
    currency: str
    compiled: date
    prices: dict[str, Price]
    path: Path

    def age_days(self, today: date) -> int:
        return (today - self.compiled).days

    def staleness_warning(self, today: date) -> str | None:
        age = self.age_days(today)
        if age <= STALE_AFTER_DAYS:
            return None
        return (
            f"prices for {self.cloud}/{self.region} were compiled {self.compiled.isoformat()}, {age} days ago "
            f"(more than {STALE_AFTER_DAYS}): refresh them with the cloud's refresh script before trusting "
            "the figures"
        )


class PriceTableError(ValueError):
    """A committed price table that cannot be read: a packaging or refresh-script bug, not user input."""


@cache
def load_price_table(path: Path) -> PriceTable:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        prices = {
            key: Price(usd=float(entry["usd"]), unit=str(entry["unit"]), source=str(entry["source"]))
            for key, entry in raw["prices"].items()
        }
        return PriceTable(
            cloud=raw["cloud"],
            region=raw["region"],
            currency=raw["currency"],
            compiled=date.fromisoformat(raw["compiled"]),
            prices=prices,
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PriceTableError(f"price table {path} cannot be read: {error}") from error
