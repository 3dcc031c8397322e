"""MLG008: container images referenced by infrastructure or Dockerfiles are pinned.

Pinned means an explicit tag other than ``latest`` or a digest. ``FROM`` lines that name an earlier
build stage or ``scratch`` are not images. ``FROM ${BASE}`` is judged by the ``ARG BASE=...`` default
before it. Infrastructure images checkov could not evaluate (``${var.image}``) are not judged on the resource;
the module call that passes them in is (any input named ``image``, ``*_image`` or ``*image_uri``).
"""

from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.dockerfile.base_dockerfile_check import BaseDockerfileCheck
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mlgen.policy.checks.base import CATEGORIES, fail_on_error, policy_name
from mlgen.policy.checks.support import find_values, get_all, is_resolved
from mlgen.policy.checks.tables import IMAGE_ATTRIBUTES, IMAGE_INPUT_SUFFIXES

_FROM = re.compile(r"^(?:--platform=\S+\s+)?(?P<image>\S+)(?:\s+as\s+(?P<stage>\S+))?\s*$", re.IGNORECASE)
_ARG = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}?")


def image_is_pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    last_part = image.rsplit("/", 1)[-1]
    if ":" not in last_part:
        return False
    return last_part.rsplit(":", 1)[1] not in {"", "latest"}


class DockerfileImagesPinned(BaseDockerfileCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG008"),
            id="MLG008",
            categories=CATEGORIES["MLG008"],
            supported_instructions=("*",),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: Any) -> tuple[CheckResult, list[Any] | None]:
        # Asking for every instruction ("*") makes checkov pass the whole file as {instruction: [...]}:
        # ARG defaults and stage names must be known, in file order, to judge each FROM.
        instructions = conf.values() if isinstance(conf, dict) else [conf]
        ordered = sorted((i for group in instructions for i in group), key=lambda i: i["startline"])
        arguments: dict[str, str] = {}
        stages: set[str] = {"scratch"}
        saw_from = False
        for instruction in ordered:
            kind, value = str(instruction["instruction"]).upper(), str(instruction["value"]).strip()
            if kind == "ARG":
                match = _ARG.match(value)
                if match:
                    arguments[match["name"]] = match["value"].strip().strip("\"'")
                continue
            if kind != "FROM":
                continue
            saw_from = True
            match = _FROM.match(value)
            if not match:
                continue
            image = _VARIABLE.sub(lambda m: arguments.get(m[1], m[0]), match["image"])
            if image.lower() not in stages and not image_is_pinned(image):
                self.details.append(f"unpinned base image {image!r}")
                return CheckResult.FAILED, [instruction]
            if match["stage"]:
                stages.add(match["stage"].lower())
        return (CheckResult.PASSED if saw_from else CheckResult.UNKNOWN), None


class InfrastructureImagesPinned(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=policy_name("MLG008"),
            id="MLG008",
            categories=CATEGORIES["MLG008"],
            supported_resources=tuple(IMAGE_ATTRIBUTES),
        )

    @fail_on_error
    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        images = [image for path in IMAGE_ATTRIBUTES[self.entity_type] for image in get_all(conf, path)]
        judged = [str(image) for image in images if isinstance(image, str) and is_resolved(image)]
        unpinned = [image for image in judged if not image_is_pinned(image)]
        if unpinned:
            self.details.append(f"unpinned images: {', '.join(unpinned)}")
            return CheckResult.FAILED
        return CheckResult.PASSED if judged else CheckResult.UNKNOWN


class ModuleInputImagesPinned(BaseModuleCheck):
    """Images handed to a module (``image_uri``, ``default_image_uri``, ``training_image`` ...)."""

    def __init__(self) -> None:
        super().__init__(name=policy_name("MLG008"), id="MLG008", categories=CATEGORIES["MLG008"])

    @fail_on_error
    def scan_module_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        values = find_values(conf, lambda key: key.endswith(IMAGE_INPUT_SUFFIXES))
        judged = [str(value) for _, value in values if isinstance(value, str) and is_resolved(value)]
        unpinned = [image for image in judged if not image_is_pinned(image)]
        if unpinned:
            self.details.append(f"unpinned images: {', '.join(unpinned)}")
            return CheckResult.FAILED
        return CheckResult.PASSED if judged else CheckResult.UNKNOWN


dockerfile_check = DockerfileImagesPinned()
resource_check = InfrastructureImagesPinned()
module_check = ModuleInputImagesPinned()
