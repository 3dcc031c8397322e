"""The AWS adapter and its catalog of instance types."""
