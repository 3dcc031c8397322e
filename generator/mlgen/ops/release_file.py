"""The committed release file the environment root reads: infra/envs/<env>/release.auto.tfvars.json.

Terraform loads ``*.auto.tfvars.json`` from the root automatically, so the release reviewed in a pull
request is the one every later plan keeps (a ``-var`` on one command line would be undone by the next plan).
The format is exactly the root's ``serving_release`` variable::

    {"serving_release": {"image_tag": "<tag in the serving repository>", "model_data_url": "s3://…/model.tar.gz",
                         "variants": {"green": {"image_tag": "…", "model_data_url": "…"}},   # optional: a canary
                         "weights": {"blue": 90, "green": 10}}}                              # optional: the split

``variants`` gives one variant (``mlgen release --variant``) its own image and model while the others serve
the release's; ``weights`` overrides the spec's traffic split by variant name (``--weights``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlgen.plan import EnvironmentPlan

RELEASE_FILENAME = "release.auto.tfvars.json"
VARIABLE = "serving_release"


def release_values(image_tag: str, model_data_url: str) -> dict:
    return {VARIABLE: {"image_tag": image_tag, "model_data_url": model_data_url}}


def render_release(values: dict) -> str:
    # Sorted keys and a trailing newline: the same release is the same bytes, so diffs show only changes.
    return json.dumps(values, indent=2, sort_keys=True) + "\n"


def read_release(root_dir: Path) -> dict | None:
    path = root_dir / RELEASE_FILENAME
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(VARIABLE)


def write_release(root_dir: Path, values: dict) -> Path:
    path = root_dir / RELEASE_FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_release(values), encoding="utf-8")
    return path


class ReleaseError(ValueError):
    """A release the environment cannot take (unknown variant, weights that do not sum to 100...)."""


def parse_weights(text: str) -> dict[str, int]:
    """``blue=90,green=10`` -> {"blue": 90, "green": 10}; ReleaseError naming the bad part."""
    weights: dict[str, int] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip().isdigit():
            raise ReleaseError(f"{part.strip()!r} is not name=percent (e.g. --weights blue=90,green=10)")
        if name in weights:
            raise ReleaseError(f"variant {name!r} is given twice")
        weights[name] = int(value)
    return weights


def canary_variants(env: EnvironmentPlan) -> dict[str, list[str]]:
    """Endpoint name -> its variant names, for the endpoints that split traffic over named variants."""
    return {
        e.name: [v.name for v in e.variants] for e in env.serving.endpoints if e.variants and not e.serverless
    }


def check_variant(env: EnvironmentPlan, variant: str) -> None:
    endpoints = canary_variants(env)
    known = sorted({name for names in endpoints.values() for name in names})
    if variant not in known:
        where = f"its variants are {', '.join(known)}" if known else "no endpoint of it has named variants"
        raise ReleaseError(
            f"environment {env.name} has no variant {variant!r}: {where} (serving.endpoints[].variants)"
        )


def check_weights(env: EnvironmentPlan, weights: dict[str, int]) -> None:
    """Each endpoint whose variants are named must get all of them or none, summing to 100."""
    endpoints = canary_variants(env)
    if not endpoints:
        raise ReleaseError(f"no endpoint of environment {env.name} has named variants to weigh")
    unknown = sorted(set(weights) - {name for names in endpoints.values() for name in names})
    if unknown:
        raise ReleaseError(f"unknown variant(s) {', '.join(unknown)}; known: " + _listing(endpoints))
    for name, value in weights.items():
        if not 0 <= value <= 100:
            raise ReleaseError(f"weight of {name} is {value}: a percentage of traffic is 0 to 100")
    covered = 0
    for endpoint, names in endpoints.items():
        given = [name for name in names if name in weights]
        if not given:
            continue
        missing = sorted(set(names) - set(given))
        if missing:
            raise ReleaseError(
                f"endpoint {endpoint} also has {', '.join(missing)}: give a weight to each of its variants"
            )
        total = sum(weights[name] for name in names)
        if total != 100:
            raise ReleaseError(f"weights of endpoint {endpoint} sum to {total}, not 100")
        covered += 1
    if not covered:
        raise ReleaseError("the weights name no endpoint's variants; known: " + _listing(endpoints))


def _listing(endpoints: dict[str, list[str]]) -> str:
    return "; ".join(f"{endpoint}: {', '.join(names)}" for endpoint, names in endpoints.items())


def next_release(
    previous: dict | None,
    image_tag: str | None,
    model_data_url: str | None,
    variant: str | None = None,
    weights: dict[str, int] | None = None,
) -> dict:
    """The serving_release after this release (pure). A whole release replaces the image and model of every
    variant (canary overrides end: the canary is promoted); ``variant`` changes that variant only; ``weights``
    replace the traffic split and are otherwise kept."""
    if (image_tag is None) != (model_data_url is None):
        raise ReleaseError("give --image-tag and --model together")
    if image_tag is None and not weights:
        raise ReleaseError("nothing to release: give --image-tag and --model, --weights, or both")
    if previous is None and (variant is not None or image_tag is None):
        raise ReleaseError(
            "the environment has no release yet: release the whole endpoint first (without --variant), "
            "then a canary variant or a new traffic split"
        )
    release = dict(previous or {})
    release.setdefault("variants", {})
    release.setdefault("weights", {})
    if image_tag is not None and variant is None:
        release.update(image_tag=image_tag, model_data_url=model_data_url, variants={})
    elif image_tag is not None:
        release["variants"] = {
            **release["variants"],
            variant: {"image_tag": image_tag, "model_data_url": model_data_url},
        }
    if weights:
        release["weights"] = dict(weights)
    # Empty maps are the variable's defaults: leave them out so a plain release stays the two-key file.
    return {key: value for key, value in release.items() if value != {}}
