"""Portable PyTorch training for SageMaker, Vertex AI, Azure ML and a laptop (see README.md).

Kept import-light on purpose: torch and mlflow are imported inside the functions that need them.
"""

__version__ = "0.1.0"
