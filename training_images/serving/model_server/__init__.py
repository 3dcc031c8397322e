"""Portable MLflow model server for SageMaker, Vertex AI, Azure ML and local use (see the README beside this package and the mlgen README, "The serving image")."""
