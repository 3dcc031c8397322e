"""Azure operations: the CloudOps adapter over ARM REST (azure-identity for tokens)."""
