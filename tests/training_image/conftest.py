"""Make the training image's package importable (it is not part of the mlgen wheel's Python code)."""

from __future__ import annotations

from training_image.helpers import TRAINING_DIR  # noqa: F401 - importing puts it on sys.path
