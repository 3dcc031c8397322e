"""`mlgen release`: record which serving image and model an environment's endpoints serve."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen.cli.ops_options import echo_err, env_option, open_ops, project_dir_option


@click.command("release")
@env_option
@project_dir_option
@click.option("--image-tag", required=True, help="Tag of the serving image in the serving repository.")
@click.option(
    "--model",
    "model_uri",
    required=True,
    metavar="URI",
    help="s3://…/model.tar.gz, an s3:// MLflow model directory, models:/NAME/VERSION or runs:/RUN_ID/PATH "
    "(Azure: models:/NAME/VERSION, azureml:NAME:VERSION or azureml://datastores/…/paths/…).",
)
@click.option(
    "--skip-image-check", is_flag=True, help="Do not check that the image tag exists in the registry."
)
@click.option(
    "--apply",
    "apply_now",
    is_flag=True,
    help="Then run terraform plan and, once confirmed, apply it in the environment's root "
    "(Azure: roll the release out to the online endpoints).",
)
@click.option("--yes", "assume_yes", is_flag=True, help="With --apply: apply the plan without asking.")
def release(
    env_name: str,
    project_dir: Path,
    image_tag: str,
    model_uri: str,
    skip_image_check: bool,
    apply_now: bool,
    assume_yes: bool,
) -> None:
    """Write infra/envs/ENV/release.auto.tfvars.json, the committed file the environment root reads
    (`serving_release`), so the release is reviewed in a pull request and every later plan keeps it.

    AWS: MLflow URIs (models:/, runs:/) and MLflow model directories on S3 are packed into the
    model.tar.gz SageMaker expects and uploaded to the artifacts bucket (releases/<content hash>/model.tar.gz).
    Azure: models:/NAME/VERSION or azureml:NAME:VERSION (registered models) or an azureml:// datastore
    path (registered first); --apply creates an online deployment, moves all traffic to it and deletes the
    previous one through the Azure ML API (deployments have no Terraform resource).

    \b
    Example:
      mlgen release --env dev --image-tag git-1a2b3c4 --model models:/churn/3
      git add infra/envs/dev/release.auto.tfvars.json && git commit -m "release churn v3 to dev"
      make plan apply ENV=dev
      mlgen release --env dev --image-tag git-1a2b3c4 --model models:/churn/3 --apply   # plan, ask, apply

    Exit status: 0 written (and applied), 1 a cloud or terraform step failed, 2 usage error,
                 3 --apply without --yes where nobody can be asked (the file is still written).
    """
    from mlgen.ops.release_file import read_release, release_values, write_release

    if image_tag == "latest":
        raise click.BadParameter(
            "tags are immutable: use a versioned tag, not latest", param_hint="--image-tag"
        )
    context, ops = open_ops(project_dir, env_name)
    if not skip_image_check:
        echo_err(f"image {ops.check_image(image_tag)} found")
    model_data_url = ops.resolve_model(model_uri, f"{env_name}-{image_tag}", echo_err)
    values = release_values(image_tag, model_data_url)
    previous = read_release(context.env_dir)
    path = write_release(context.env_dir, values)
    relative = path.relative_to(context.project_dir) if path.is_relative_to(context.project_dir) else path
    if previous == values["serving_release"]:
        click.echo(f"{relative} already holds this release; nothing changed")
    else:
        before = f" (was {previous['image_tag']}, {previous['model_data_url']})" if previous else ""
        click.echo(f"wrote {relative}: image {image_tag}, model {model_data_url}{before}")
    if apply_now and ops.release_by_api:
        from mlgen.ops.release_apply import confirm_release

        confirm_release(context, assume_yes)
        if not ops.apply_release_api(values["serving_release"], echo_err):
            echo_err(f"no changes: {env_name} already serves this release")
        click.echo(f"next: commit {relative} so that it records what {env_name} serves")
    elif apply_now:
        from mlgen.ops.release_apply import apply_release

        apply_release(context, assume_yes, echo_err)
        click.echo(f"next: commit {relative} so that the next plan keeps this release")
    elif previous != values["serving_release"]:
        click.echo(
            f"next: commit {relative} in a pull request; after review run `make plan apply ENV={env_name}` "
            "(the root reads the file on every plan), or re-run with --apply"
        )
