"""Real answers for the data sources whose values generated code computes with. Anything else gets typed
placeholders (provider.known). Each answer is derived from the configuration and the provider block only."""

from __future__ import annotations

import hashlib
import json
from typing import Any

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"


def _region(provider_config: dict[str, Any], config: dict[str, Any] | None = None) -> str:
    return (config or {}).get("region") or provider_config.get("region") or DEFAULT_REGION


def _account(provider_config: dict[str, Any]) -> str:
    allowed = provider_config.get("allowed_account_ids") or []
    return min(allowed) if allowed else DEFAULT_ACCOUNT


def _partition(region: str) -> tuple[str, str]:
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


def _zones(region: str) -> list[dict[str, str]]:
    """A region's zones as EC2 describes them: three standard zones, one opted-in local zone and one
    wavelength zone not opted in (so a configuration that forgets to filter them can see the difference)."""
    zones = [
        {
            "zone-name": f"{region}{letter}",
            "zone-id": f"use1-az{n}",
            "opt-in-status": "opt-in-not-required",
            "zone-type": "availability-zone",
            "group-name": region,
            "state": "available",
        }
        for n, letter in enumerate("abc", start=1)
    ]
    zones.append(
        {
            "zone-name": f"{region}-lax-1a",
            "zone-id": "use1-lax1-az1",
            "opt-in-status": "opted-in",
            "zone-type": "local-zone",
            "group-name": f"{region}-lax-1",
            "state": "available",
        }
    )
    zones.append(
        {
            "zone-name": f"{region}-wl1-bos-wlz-1",
            "zone-id": "use1-wl1-bos-wlz1",
            "opt-in-status": "not-opted-in",
            "zone-type": "wavelength-zone",
            "group-name": f"{region}-wl1",
            "state": "available",
        }
    )
    return zones


def availability_zones(config: dict[str, Any], provider_config: dict[str, Any]) -> dict[str, Any]:
    region = _region(provider_config, config)
    zones = _zones(region)
    if not config.get("all_availability_zones"):
        zones = [z for z in zones if z["opt-in-status"] != "not-opted-in"]
    if config.get("state"):
        zones = [z for z in zones if z["state"] == config["state"]]
    for flt in config.get("filter") or []:
        if flt["name"] not in zones[0]:
            raise ValueError(f"unsupported filter name {flt['name']!r} (known: {', '.join(zones[0])})")
        zones = [z for z in zones if z[flt["name"]] in flt["values"]]
    zones = [z for z in zones if z["zone-name"] not in (config.get("exclude_names") or [])]
    zones = [z for z in zones if z["zone-id"] not in (config.get("exclude_zone_ids") or [])]
    return {
        "id": region,
        "names": [z["zone-name"] for z in zones],
        "zone_ids": [z["zone-id"] for z in zones],
        "group_names": sorted({z["group-name"] for z in zones}),
    }


def _one_or_list(values: list[str]) -> str | list[str]:
    # The provider writes a single value as a string and several as a sorted list (as IAM shows them).
    values = sorted(set(values))
    return values[0] if len(values) == 1 else values


def _statement(st: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if st.get("sid"):
        out["Sid"] = st["sid"]
    out["Effect"] = st.get("effect") or "Allow"
    for key, field in (("Action", "actions"), ("NotAction", "not_actions")):
        if st.get(field):
            out[key] = _one_or_list(st[field])
    for key, field in (("Resource", "resources"), ("NotResource", "not_resources")):
        if st.get(field):
            out[key] = _one_or_list(st[field])
    for key, field in (("Principal", "principals"), ("NotPrincipal", "not_principals")):
        blocks = st.get(field) or []
        if blocks:
            by_type: dict[str, list[str]] = {}
            for p in blocks:
                by_type.setdefault(p["type"], []).extend(p["identifiers"])
            if list(by_type) == ["*"] and by_type["*"] == ["*"]:
                out[key] = "*"
            else:
                out[key] = {t: _one_or_list(ids) for t, ids in sorted(by_type.items())}
    conditions: dict[str, dict[str, Any]] = {}
    for c in st.get("condition") or []:
        conditions.setdefault(c["test"], {})[c["variable"]] = _one_or_list(c["values"])
    if conditions:
        out["Condition"] = conditions
    return out


def policy_document(config: dict[str, Any]) -> dict[str, Any]:
    """The JSON aws_iam_policy_document renders: source documents first, then these statements, then
    override documents (a statement with the same Sid replaces the earlier one)."""
    statements: list[dict[str, Any]] = []

    def add(st: dict[str, Any]) -> None:
        sid = st.get("Sid")
        for i, existing in enumerate(statements):
            if sid and existing.get("Sid") == sid:
                statements[i] = st
                return
        statements.append(st)

    for doc in config.get("source_policy_documents") or []:
        for st in json.loads(doc).get("Statement", []):
            add(st)
    sids = [st.get("sid") for st in config.get("statement") or [] if st.get("sid")]
    if len(sids) != len(set(sids)):
        raise ValueError(f"duplicate statement sid in {sorted(sids)}")
    for st in config.get("statement") or []:
        add(_statement(st))
    for doc in config.get("override_policy_documents") or []:
        for st in json.loads(doc).get("Statement", []):
            add(st)
    document: dict[str, Any] = {"Version": config.get("version") or "2012-10-17"}
    if config.get("policy_id"):
        document["Id"] = config["policy_id"]
    document["Statement"] = statements
    text = json.dumps(document, indent=2)
    return {
        "json": text,
        "minified_json": json.dumps(document, separators=(",", ":")),
        "id": hashlib.sha256(text.encode()).hexdigest()[:16],
    }


def answer(provider: str, type_name: str, config: dict[str, Any], provider_config: dict[str, Any]) -> dict:
    if provider != "aws":
        return {}
    region = _region(provider_config, config)
    partition, dns_suffix = _partition(region)
    account = _account(provider_config)
    if type_name == "aws_iam_policy_document":
        return policy_document(config)
    if type_name == "aws_caller_identity":
        return {
            "id": account,
            "account_id": account,
            "arn": f"arn:{partition}:iam::{account}:user/terraform-plan-harness",
            "user_id": "AIDAPLANHARNESS0000000",
        }
    if type_name == "aws_region":
        return {
            "id": region,
            "name": region,
            "region": region,
            "endpoint": f"ec2.{region}.{dns_suffix}",
            "description": region,
        }
    if type_name == "aws_partition":
        reverse = ".".join(reversed(dns_suffix.split(".")))
        return {
            "id": partition,
            "partition": partition,
            "dns_suffix": dns_suffix,
            "reverse_dns_prefix": reverse,
        }
    if type_name == "aws_availability_zones":
        return availability_zones(config, provider_config)
    return {}
