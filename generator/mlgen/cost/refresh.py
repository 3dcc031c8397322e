"""What every cloud's price-refresh script shares (scripts/refresh_<cloud>_prices.py).

Each script knows one price API and how each table key is found there (its rules); this module does the
rest the same way for all of them: the command line (regions, --keep-missing, --prices-dir), a new
region's keys taken from a template region, re-pricing every key of a table, the list of keys not found
with why (exit 1, table left as it was, unless --keep-missing carries their old values), reading JSON
over HTTP without a traceback, and writing the table so that the same prices give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

# A key's new entry (usd, unit, source, and whatever the script records of where it read it), or why not.
Lookup = Callable[[str, dict], "dict | str"]


class RefreshError(Exception):
    """The API cannot be read (network, HTTP status, not JSON): the script stops with this message."""


def today_iso() -> str:
    return datetime.now(UTC).date().isoformat()


def reprice(
    table: dict, lookup: Lookup, today: str, method: str, keep_missing: bool = False
) -> tuple[dict, dict[str, str]]:
    """A new table with every key re-priced by ``lookup``; returns (table, {missing key: why})."""
    prices, missing = {}, {}
    for key, entry in sorted(table["prices"].items()):
        found = lookup(key, entry)
        if isinstance(found, str):
            missing[key] = found
            if keep_missing:
                prices[key] = entry
            continue
        prices[key] = {**entry, **found}
    return {**table, "compiled": today, "method": method, "prices": prices}, missing


def dump_table(table: dict) -> str:
    """The file's text: prices in key order, two-space indent, one trailing newline."""
    return json.dumps({**table, "prices": dict(sorted(table["prices"].items()))}, indent=2) + "\n"


def redact(url: str) -> str:
    """The URL without an API key, for messages and for the table (a key must never be committed)."""
    return re.sub(r"([?&]key=)[^&]*", r"\1REDACTED", url)


def get_json(url: str, timeout: float = 120) -> dict:
    print(f"reading {redact(url)}", file=sys.stderr)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        body = error.read(500).decode("utf-8", "replace")
        raise RefreshError(f"{redact(url)} answered HTTP {error.code}: {body}") from error
    except (urllib.error.URLError, OSError) as error:
        raise RefreshError(f"cannot read {redact(url)}: {error}") from error
    except ValueError as error:
        raise RefreshError(f"{redact(url)} did not return JSON: {error}") from error


def parser(doc: str, prices_dir: Path) -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("regions", nargs="+")
    result.add_argument(
        "--keep-missing",
        action="store_true",
        help="keep the old entry of a key the API lacks (the table's date then overstates its freshness)",
    )
    result.add_argument(
        "--prices-dir",
        type=Path,
        default=prices_dir,
        help=f"where the tables are read and written (default: {prices_dir})",
    )
    return result


def run(
    regions: Iterable[str],
    prices_dir: Path,
    template_region: str,
    refresh_region: Callable[[dict, bool], tuple[dict, dict[str, str]]],
    keep_missing: bool,
) -> int:
    """Refresh each region's table; 0 when all were written, 1 when a key was missing or the API failed."""
    status = 0
    for region in regions:
        path = prices_dir / f"{region}.json"
        # A new region starts from the template region's keys (the resources mlgen emits are the same).
        source = path if path.is_file() else prices_dir / f"{template_region}.json"
        template = {**json.loads(source.read_text()), "region": region}
        try:
            table, missing = refresh_region(template, keep_missing)
        except RefreshError as error:
            print(f"{region}: {error}", file=sys.stderr)
            status = 1
            continue
        if missing:
            print(f"{region}: no price found for {len(missing)} key(s):", file=sys.stderr)
            for key, why in sorted(missing.items()):
                print(f"  {key}: {why}", file=sys.stderr)
            if not keep_missing:
                print(f"{region}: {path} left as it was (--keep-missing keeps old values)", file=sys.stderr)
                status = 1
                continue
        path.write_text(dump_table(table))
        print(f"wrote {path}", file=sys.stderr)
    return status
