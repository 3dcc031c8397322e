"""`mlgen schema`: the JSON Schema of mlgen.yaml, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import json

import click


@click.command()
def schema() -> None:
    """Print the JSON Schema of mlgen.yaml (sorted keys, deterministic)."""
    from mlgen.spec import spec_json_schema

    click.echo(json.dumps(spec_json_schema(), indent=2, sort_keys=True, ensure_ascii=False))
