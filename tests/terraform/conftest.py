"""One plan harness (plugins built once) for every test in this directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from tests.terraform_harness import Harness


@pytest.fixture(scope="session")
def harness() -> Iterator[Harness]:
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH: the offline plan harness needs the terraform CLI")
    with Harness() as h:
        yield h
