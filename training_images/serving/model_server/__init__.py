"""Portable MLflow model server for SageMaker, Vertex AI, Azure ML and local use (see docs/serving-image.md)."""
