"""GCP: capabilities only, until its adapter and modules/gcp/ are written."""
