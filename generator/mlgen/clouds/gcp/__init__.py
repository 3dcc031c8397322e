"""GCP: capabilities, naming, the adapter (plan -> Terraform roots) and the machine catalog."""
