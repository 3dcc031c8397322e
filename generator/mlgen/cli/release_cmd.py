"""`mlgen release`: record which serving image and model an environment's endpoints serve."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen.cli.ops_options import echo_err, env_option, open_ops, project_dir_option


@click.command("release")
@env_option
@project_dir_option
@click.option("--image-tag", help="Tag of the serving image in the serving repository (with --model).")
@click.option(
    "--model",
    "model_uri",
    metavar="URI",
    help="AWS: s3://…/model.tar.gz, an s3:// MLflow model directory, models:/NAME/VERSION or runs:/RUN_ID/PATH; "
    "GCP: the gs:// folder of an MLflow model, models:/NAME/VERSION or runs:/RUN_ID/PATH; "
    "Azure: models:/NAME/VERSION, azureml:NAME:VERSION or azureml://datastores/…/paths/….",
)
@click.option(
    "--variant",
    metavar="NAME",
    help="Release the image and model to this canary variant only (a variant of the spec's endpoints); "
    "the other variants keep serving the current release.",
)
@click.option(
    "--weights",
    "weights_text",
    metavar="NAME=PCT,...",
    help="Set the traffic split, e.g. blue=90,green=10 (every variant of an endpoint, summing to 100); "
    "alone it shifts traffic without a new image or model.",
)
@click.option(
    "--skip-image-check", is_flag=True, help="Do not check that the image tag exists in the registry."
)
@click.option(
    "--apply",
    "apply_now",
    is_flag=True,
    help="Then put it into service once confirmed: AWS plans and applies the environment's root; GCP "
    "uploads the model and deploys it to the endpoints, undeploying the previous one; Azure creates the "
    "online deployments, sets the traffic split and deletes the previous deployments.",
)
@click.option("--yes", "assume_yes", is_flag=True, help="With --apply: apply without asking.")
def release(
    env_name: str,
    project_dir: Path,
    image_tag: str | None,
    model_uri: str | None,
    variant: str | None,
    weights_text: str | None,
    skip_image_check: bool,
    apply_now: bool,
    assume_yes: bool,
) -> None:
    """Write infra/envs/ENV/release.auto.tfvars.json, the committed file the environment root reads
    (`serving_release`), so the release is reviewed in a pull request and every later plan keeps it.

    MLflow URIs (models:/, runs:/) and MLflow model directories on S3 are packed into the model.tar.gz
    SageMaker expects and uploaded to the artifacts bucket (releases/<content hash>/model.tar.gz).
    help="Then put it into service once confirmed: AWS plans and applies the environment's root; GCP "
    "uploads the model and deploys it to the endpoints, undeploying the previous one; Azure creates the "
    "online deployments, sets the traffic split and deletes the previous deployments.",

    A whole release (no --variant) serves the image and model from every variant; --variant gives one
    canary variant its own, and --weights shifts traffic (kept until the next --weights). Promote a canary
    with a whole release of its image and model.

    \b
    Example:
      mlgen release --env dev --image-tag git-1a2b3c4 --model models:/churn/3
      git add infra/envs/dev/release.auto.tfvars.json && git commit -m "release churn v3 to dev"
      make plan apply ENV=dev
      mlgen release --env dev --image-tag git-1a2b3c4 --model models:/churn/3 --apply   # plan, ask, apply
      mlgen release --env prod --image-tag git-5d6e7f8 --model models:/churn/4 --variant green
      mlgen release --env prod --weights blue=50,green=50                               # shift traffic

    Exit status: 0 written (and applied), 1 a cloud or terraform step failed, 2 usage error,
                 3 --apply without --yes where nobody can be asked (the file is still written).
    """
    from mlgen.ops.release_file import (
        VARIABLE,
        ReleaseError,
        check_variant,
        check_weights,
        next_release,
        parse_weights,
        read_release,
        write_release,
    )

    if image_tag == "latest":
        raise click.BadParameter(
            "tags are immutable: use a versioned tag, not latest", param_hint="--image-tag"
        )
    if (image_tag is None) != (model_uri is None):
        raise click.UsageError("give --image-tag and --model together (or neither, to shift --weights only)")
    if image_tag is None and weights_text is None:
        raise click.UsageError("nothing to release: give --image-tag and --model, --weights, or both")
    if variant is not None and image_tag is None:
        raise click.UsageError("--variant needs --image-tag and --model (the variant's own release)")
    context, ops = open_ops(project_dir, env_name)
    previous = read_release(context.env_dir)
    try:
        weights = parse_weights(weights_text) if weights_text is not None else None
        if weights is not None:
            check_weights(context.env, weights)
        if variant is not None:
            check_variant(context.env, variant)
        # Checked before any cloud call or upload: a refused release changes nothing.
        next_release(previous, image_tag, "s3://check" if model_uri else None, variant, weights)
    except ReleaseError as error:
        raise click.UsageError(str(error)) from None
    model_data_url = None
    if image_tag is not None and model_uri is not None:
        if not skip_image_check:
            echo_err(f"image {ops.check_image(image_tag)} found")
        model_data_url = ops.resolve_model(
            model_uri, "-".join(filter(None, (env_name, variant, image_tag))), echo_err
        )
    release_now = next_release(previous, image_tag, model_data_url, variant, weights)
    path = write_release(context.env_dir, {VARIABLE: release_now})
    relative = path.relative_to(context.project_dir) if path.is_relative_to(context.project_dir) else path
    if previous == release_now:
        click.echo(f"{relative} already holds this release; nothing changed")
    else:
        click.echo(f"wrote {relative}: {_describe(release_now)}")
        if previous:
            click.echo(f"  was: {_describe(previous)}")
    if apply_now:
        ops.apply_release(release_now, assume_yes, echo_err)
        click.echo(f"next: commit {relative} so that the repository records this release")
    elif previous != release_now:
        click.echo(
            f"next: commit {relative} in a pull request; after review {ops.release_next_step(env_name)}"
        )


def _describe(release: dict) -> str:
    parts = [f"image {release['image_tag']}, model {release['model_data_url']}"]
    for name, own in sorted(release.get("variants", {}).items()):
        parts.append(f"variant {name}: image {own['image_tag']}, model {own['model_data_url']}")
    if release.get("weights"):
        parts.append("weights " + ",".join(f"{k}={v}" for k, v in sorted(release["weights"].items())))
    return "; ".join(parts)
