# Deny by default in both directions (priority 65534, just above GCP's implied rules), then explicit allows.
# Every rule logs, so a denied connection can be found in the flow of events.

resource "google_compute_firewall" "deny_ingress" {
  project   = var.project_id
  name      = "${var.network_name}-deny-all-ingress"
  network   = google_compute_network.this.id
  direction = "INGRESS"
  priority  = 65534

  deny {
    protocol = "all"
  }

  source_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "deny_egress" {
  project   = var.project_id
  name      = "${var.network_name}-deny-all-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 65534

  deny {
    protocol = "all"
  }

  destination_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# Distributed training: the nodes of a job talk to each other (NCCL, torch.distributed) inside the subnet.
resource "google_compute_firewall" "allow_internal" {
  project   = var.project_id
  name      = "${var.network_name}-allow-internal"
  network   = google_compute_network.this.id
  direction = "INGRESS"
  priority  = 1000

  allow {
    protocol = "tcp"
  }

  allow {
    protocol = "udp"
  }

  allow {
    protocol = "icmp"
  }

  source_ranges = [var.subnet_cidr]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_internal_egress" {
  project   = var.project_id
  name      = "${var.network_name}-allow-internal-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 1000

  allow {
    protocol = "all"
  }

  destination_ranges = [var.subnet_cidr, var.private_services_cidr]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# Google APIs over Private Google Access (private.googleapis.com and restricted.googleapis.com), HTTPS only.
resource "google_compute_firewall" "allow_google_apis" {
  project   = var.project_id
  name      = "${var.network_name}-allow-google-apis"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 1000

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  destination_ranges = ["199.36.153.8/30", "199.36.153.4/30"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# With a NAT, HTTPS to the internet (package mirrors, Hugging Face, ...); without one there is no route.
resource "google_compute_firewall" "allow_https_egress" {
  count = var.nat_mode == "none" ? 0 : 1

  project   = var.project_id
  name      = "${var.network_name}-allow-https-egress"
  network   = google_compute_network.this.id
  direction = "EGRESS"
  priority  = 1100

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  destination_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
