"""Portable MLflow model server for SageMaker, Vertex AI, Azure ML and local use (mlgen README: "The serving image")."""
