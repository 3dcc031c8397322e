"""pytest fixtures for the policy tests (the data behind them lives in projects.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.projects import copy_clean_project, plant_violations


@pytest.fixture
def clean_project(tmp_path: Path) -> Path:
    return copy_clean_project(tmp_path)


@pytest.fixture
def planted_project(tmp_path: Path) -> Path:
    project = copy_clean_project(tmp_path)
    plant_violations(project)
    return project
