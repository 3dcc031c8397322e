"""The `mlgen` command line.

The Click layer is thin: parse options, call a library function, print. Commands are registered lazily
(module path + one-line help) so that `mlgen --help` imports nothing but Click: start-up stays fast
however heavy a command's own dependencies are (checkov, torch, cloud SDKs).
"""

from __future__ import annotations

import importlib

import click

from mlgen import __version__

# name -> (module:attribute, one-line help shown by `mlgen --help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {}


def register(name: str, target: str, short_help: str) -> None:
    COMMANDS[name] = (target, short_help)


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they run (or their own --help is asked for)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target, _ = COMMANDS[cmd_name]
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mlgen")
def main() -> None:
    """Generate a complete ML landing zone (Terraform), training and serving images, teardown scripts
    and policy checks from one project spec (mlgen.yaml). AWS is generated today; GCP and Azure specs
    already validate.

    \b
    Quick start:
      mlgen init demo --cloud aws --blueprint starter
      cd demo && make bootstrap init plan ENV=dev
    """


# Registration table: the only place that names command modules.
register("init", "mlgen.cli.init_cmd:init", "Scaffold a new project: write mlgen.yaml and generate it.")
register(
    "generate", "mlgen.cli.generate_cmd:generate", "Regenerate the project from mlgen.yaml (--check for CI)."
)
register("validate", "mlgen.cli.validate_cmd:validate", "Validate mlgen.yaml and report every problem.")
register("blueprints", "mlgen.cli.blueprints_cmd:blueprints", "List or show the preset specs (blueprints).")
register("schema", "mlgen.cli.schema_cmd:schema", "Print the JSON Schema of mlgen.yaml (editor completion).")
register("check", "mlgen.cli.check_cmd:check", "Run policy checks (checkov + mlgen ML policies, drift, fmt).")
register(
    "cost", "mlgen.cli.cost_cmd:cost", "Estimate monthly cost per environment: idle and a usage scenario."
)
# Ops commands: the only ones that talk to a cloud (SDKs imported inside them).
register("doctor", "mlgen.cli.doctor_cmd:doctor", "Check the cloud account is ready for an environment.")
register("train", "mlgen.cli.train_cmd:train", "Submit, list, follow and stop training jobs.")
register("release", "mlgen.cli.release_cmd:release", "Record the image and model an environment serves.")
register("teardown", "mlgen.cli.teardown_cmd:teardown", "Destroy an environment and sweep what is left.")
register("images", "mlgen.cli.images_cmd:images", "Build and push the training and serving images.")
