"""Fixtures for writer tests."""

from __future__ import annotations

import pytest
from writer_helpers import sample_tree

from mlgen.writer import GeneratedFile


@pytest.fixture
def tree() -> list[GeneratedFile]:
    return sample_tree()
