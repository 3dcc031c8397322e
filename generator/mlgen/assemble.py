"""Assemble a whole generated project from a plan: pure data in, files out (no disk writes).

What goes into a project: the Terraform roots from the cloud adapter, the vendored modules, the training
and serving images, the Makefile, README, .gitignore, teardown scripts and the CI files. Every text file
gets the generated-file header; files with no comment syntax (JSON) are covered by the manifest.
"""

from __future__ import annotations

from mlgen import __version__
from mlgen.assets import asset_dir
from mlgen.clouds import get_adapter
from mlgen.plan import Plan
from mlgen.render.assets_copy import collect_tree
from mlgen.render.headers import add_header
from mlgen.render.templates import render_template
from mlgen.writer import GeneratedFile

REGENERATE_COMMAND = "mlgen generate"
IMAGES = {"training": "training", "serving": "serving"}  # asset dir under training_images/ -> project dir


def _text(path: str, text: str, *, executable: bool = False) -> GeneratedFile:
    return GeneratedFile.text(path, add_header(path, text, REGENERATE_COMMAND), executable=executable)


def _copied(path: str, content: bytes, executable: bool) -> GeneratedFile:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return GeneratedFile(path, content, executable)
    return _text(path, text, executable=executable)


def _project_files(plan: Plan) -> list[GeneratedFile]:
    from mlgen.render.cdktf import terraform_dir

    adapter = get_adapter(plan.cloud)
    environments = list(plan.environments.values())
    cdktf = plan.output_format == "cdktf"
    files = [
        _text(
            "Makefile",
            render_template(
                "project/Makefile.j2",
                trim_blocks=True,
                project=plan.project,
                environment_names=plan.environment_names,
                cdktf=cdktf,
            ),
        ),
        _text(".gitignore", render_template("project/gitignore.j2")),
        _text(
            "README.md",
            render_template(
                f"{plan.cloud}/README.md.j2",
                project=plan.project,
                cloud=plan.cloud,
                region=plan.region,
                blueprint=plan.blueprint,
                mlgen_version=__version__,
                cdktf=cdktf,
                environments=[
                    {
                        "name": env.name,
                        "terraform_dir": terraform_dir(f"infra/envs/{env.name}", plan.output_format),
                        "account_id": env.account_id,
                        "deletion_protection": env.deletion_protection,
                        "idle_costs": adapter.idle_costs(env),
                        # spec values (names as written, not cloud names): the README says how to call each
                        "endpoints": [{"name": e.name, "auth": e.auth} for e in env.serving.endpoints],
                    }
                    for env in environments
                ],
                protected_environments=[env.name for env in environments if env.deletion_protection],
            ),
        ),
    ]
    for env in environments:
        script = render_template(
            f"{plan.cloud}/teardown.sh.j2",
            project=plan.project,
            environment=env.name,
            cloud=plan.cloud,
            region=env.region,
            needs_confirmation=env.name == "prod",
            deletion_protection=env.deletion_protection,
            cdktf=cdktf,
        )
        files.append(_text(f"scripts/teardown-{env.name}.sh", script, executable=True))
    return files


def _ci_files(plan: Plan) -> list[GeneratedFile]:
    from mlgen.render.ci import render_ci_files

    context = {**get_adapter(plan.cloud).ci_context(plan), "mlgen_version": __version__}
    return [_text(path, text) for path, text in render_ci_files(context).items()]


def _infra_files(plan: Plan) -> list[GeneratedFile]:
    files = []
    roots = get_adapter(plan.cloud).terraform_roots(plan)
    if plan.output_format == "cdktf":
        from mlgen.render.cdktf import render_cdktf_app

        # The committed tfvars (the release file) stay where `mlgen release` writes them; the app reads them.
        tfvars = {
            root.directory: name
            for root in roots
            for name in root.seed_files
            if name.endswith(".auto.tfvars.json")
        }
        models = [root.model for root in roots if root.model]
        app = render_cdktf_app(plan.project, models, plan.cdktf_library, tfvars)
        files += [_text(path, text) for path, text in app.items()]
    else:
        for root in roots:
            files += [_text(f"{root.directory}/{name}", text) for name, text in root.files.items()]
    for root in roots:
        files += [
            GeneratedFile.text(f"{root.directory}/{name}", text, seed=True)
            for name, text in root.seed_files.items()
        ]
    modules = collect_tree(asset_dir("modules") / plan.cloud, f"infra/modules/{plan.cloud}")
    files += [_copied(path, content, executable) for path, (content, executable) in modules.items()]
    return files


def _image_files() -> list[GeneratedFile]:
    files = []
    for source, destination in IMAGES.items():
        image_dir = asset_dir("training_images") / source
        if image_dir.is_dir():
            copied = collect_tree(image_dir, destination)
            files += [_copied(path, content, executable) for path, (content, executable) in copied.items()]
    return files


def assemble_project(plan: Plan) -> dict[str, GeneratedFile]:
    files = [*_infra_files(plan), *_image_files(), *_project_files(plan), *_ci_files(plan)]
    return {generated.path: generated for generated in sorted(files, key=lambda f: f.path)}
