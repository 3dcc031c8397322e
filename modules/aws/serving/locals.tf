# Pure derivations from the inputs (no resources or data sources), kept apart so tests can evaluate them
# with a provider-free `terraform apply`.
locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  # One entry per endpoint variant, keyed "<endpoint>/<variant>"; every per-variant resource iterates this.
  variants = merge([
    for ek, e in var.endpoints : {
      for vk, v in e.variants : "${ek}/${vk}" => {
        endpoint       = ek
        variant        = vk
        serverless     = e.serverless
        instance_type  = coalesce(v.instance_type, e.instance_type)
        image_uri      = coalesce(v.image_uri, e.image_uri, var.default_image_uri)
        model_data_url = v.model_data_url != null ? v.model_data_url : e.model_data_url
        environment    = e.environment
        weight         = v.weight
        min_capacity   = v.min_capacity
        max_capacity   = v.max_capacity
        # Every endpoint update resets the instance count to this (the provider never sends
        # RetainAllVariantProperties), so "max" keeps an update from dropping a loaded variant to its minimum;
        # autoscaling then scales in after its cooldowns.
        initial_instance_count   = var.update_instance_count == "max" ? v.max_capacity : v.min_capacity
        invocations_per_instance = e.invocations_per_instance
      }
    }
  ]...)

  # SageMaker refuses a KmsKeyId for instance types with local NVMe instance storage (those volumes are
  # encrypted by the instance's hardware module) and for serverless endpoints; everywhere else the CMK is used.
  instance_storage_families = "^ml\\.(g4dn|g5|g6|g6e|gr6|p3dn|p4d|p4de|p5|p5e|p5en|c5d|m5d|r5d|c6id|m6id|r6id|trn1|trn1n)\\."
  endpoint_volume_kms = {
    for ek, e in var.endpoints : ek => (
      e.serverless || anytrue([for k, v in local.variants : can(regex(local.instance_storage_families, v.instance_type)) if v.endpoint == ek])
    ) ? null : var.kms_key_arn
  }

  data_capture_prefix = "s3://${var.artifacts_bucket_name}/data-capture"
}
