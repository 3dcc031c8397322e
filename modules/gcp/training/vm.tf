# training.platform: vm — a spot GPU instance template and a regional managed instance group kept at 0.
# Nothing runs (or bills) until someone resizes the group, up to vm.max_instances.

locals {
  vm = var.vm_enabled ? { gpu = var.vm } : {}
}

resource "google_compute_instance_template" "gpu" {
  for_each = local.vm

  project      = var.project_id
  name_prefix  = each.value.template_name_prefix
  region       = each.value.region
  machine_type = each.value.machine_type
  labels       = var.labels
  description  = "mlgen GPU training node."

  metadata = {
    block-project-ssh-keys = "true"
    enable-oslogin         = "TRUE"
    max-instances          = tostring(each.value.max_instances)
  }

  # Container-Optimized OS runs the training image; its signed GPU drivers work with Secure Boot.
  disk {
    source_image = "projects/cos-cloud/global/images/family/cos-stable"
    boot         = true
    auto_delete  = true
    disk_type    = "pd-ssd"
    disk_size_gb = each.value.boot_disk_size_gb

    disk_encryption_key {
      kms_key_self_link = each.value.kms_key_id
    }
  }

  # N1 machines take attached T4s; the A2/A3/G2 machine types carry their GPUs (count 0: no block).
  dynamic "guest_accelerator" {
    for_each = each.value.accelerator_count > 0 ? [each.value] : []

    content {
      type  = guest_accelerator.value.accelerator_type
      count = guest_accelerator.value.accelerator_count
    }
  }

  # No access_config: no public IP. Egress is Private Google Access (and Cloud NAT where the spec has one).
  network_interface {
    subnetwork = each.value.subnetwork
  }

  service_account {
    email  = each.value.service_account
    scopes = ["https://www.googleapis.com/auth/cloud-platform"]
  }

  # Always spot, like the AWS fleet: the group is for interruptible training that resumes from checkpoints
  # (training.spot governs the Vertex AI jobs). A preempted VM is deleted; the group recreates it.
  scheduling {
    provisioning_model          = "SPOT"
    preemptible                 = true
    automatic_restart           = false
    on_host_maintenance         = "TERMINATE"
    instance_termination_action = "DELETE"
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_region_instance_group_manager" "gpu" {
  for_each = local.vm

  project            = var.project_id
  name               = each.value.group_name
  region             = each.value.region
  base_instance_name = each.value.group_name
  # Scaled to zero: training resizes the group for a run and back to 0 after it.
  target_size = 0

  version {
    instance_template = google_compute_instance_template.gpu[each.key].id
  }

  update_policy {
    type                  = "OPPORTUNISTIC"
    minimal_action        = "REPLACE"
    max_unavailable_fixed = 3
  }

  lifecycle {
    # Resizing is how the group is used; Terraform must not undo it on the next apply.
    ignore_changes = [target_size]
  }
}
