"""Azure: capabilities, the adapter (plan -> Terraform roots over modules/azure/) and names."""
