locals {
  security_group_id = var.create_security_group ? module.security_group[0].id : var.security_group_id
}

# Models are immutable in SageMaker: any change replaces them. The name carries a hash of everything that
# forces replacement so the new model can exist next to the old one (create_before_destroy) while the
# endpoint switches over.
resource "aws_sagemaker_model" "this" {
  #checkov:skip=CKV_AWS_370:Network isolation is on for every instance-based variant; SageMaker Serverless Inference refuses it (feature exclusions), so serverless models go without.
  for_each = local.variants

  name = "${substr("${local.prefix}-${each.value.endpoint}-${each.value.variant}", 0, 54)}-${substr(sha1(jsonencode([
    each.value.image_uri, each.value.model_data_url, each.value.environment,
    each.value.serverless, var.execution_role_arn, var.subnet_ids, local.security_group_id,
  ])), 0, 8)}"
  execution_role_arn = var.execution_role_arn
  # Serverless Inference supports neither network isolation nor a VPC nor data capture (AWS "Serverless
  # Inference feature exclusions"): CreateEndpoint fails for a serverless variant whose model sets them.
  enable_network_isolation = !each.value.serverless

  primary_container {
    image          = each.value.image_uri
    model_data_url = each.value.model_data_url
    environment    = each.value.environment
  }

  # Serverless endpoints do not run in a VPC.
  dynamic "vpc_config" {
    for_each = each.value.serverless ? [] : [1]

    content {
      subnets            = var.subnet_ids
      security_group_ids = [local.security_group_id]
    }
  }

  tags = merge(local.tags, { endpoint = each.value.endpoint, variant = each.value.variant })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  for_each = var.endpoints

  name_prefix = "${substr("${local.prefix}-${each.key}", 0, 36)}-"
  kms_key_arn = local.endpoint_volume_kms[each.key]

  dynamic "production_variants" {
    for_each = { for k, v in local.variants : v.variant => v if v.endpoint == each.key }

    content {
      variant_name           = production_variants.key
      model_name             = aws_sagemaker_model.this["${each.key}/${production_variants.key}"].name
      initial_variant_weight = production_variants.value.weight
      instance_type          = each.value.serverless ? null : production_variants.value.instance_type
      initial_instance_count = each.value.serverless ? null : production_variants.value.initial_instance_count

      container_startup_health_check_timeout_in_seconds = each.value.serverless ? null : each.value.startup_timeout_seconds

      dynamic "serverless_config" {
        for_each = each.value.serverless ? [1] : []

        content {
          memory_size_in_mb = each.value.serverless_memory_mb
          max_concurrency   = each.value.serverless_max_concurrency
        }
      }
    }
  }

  dynamic "data_capture_config" {
    for_each = !each.value.serverless && each.value.data_capture_percent > 0 ? [1] : []

    content {
      enable_capture              = true
      initial_sampling_percentage = each.value.data_capture_percent
      destination_s3_uri          = "${local.data_capture_prefix}/${each.key}"
      kms_key_id                  = var.kms_key_arn

      capture_options {
        capture_mode = "Input"
      }

      capture_options {
        capture_mode = "Output"
      }

      capture_content_type_header {
        json_content_types = ["application/json"]
        csv_content_types  = ["text/csv"]
      }
    }
  }

  tags = merge(local.tags, { endpoint = each.key })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  for_each = var.endpoints

  name                 = "${local.prefix}-${each.key}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this[each.key].name

  # SageMaker always updates endpoints blue/green (all at once). With rollback alarms the module adds
  # deployment guardrails: the old fleet stays for the termination wait and the update rolls back if an alarm
  # fires. Guardrails require the new configuration to keep the same variant names, so they are only set
  # where alarms are given; adding or removing a canary variant then needs the alarms cleared for that apply.
  dynamic "deployment_config" {
    for_each = !each.value.serverless && length(each.value.rollback_alarm_names) > 0 ? [1] : []

    content {
      blue_green_update_policy {
        termination_wait_in_seconds          = var.blue_green_termination_wait_seconds
        maximum_execution_timeout_in_seconds = var.blue_green_termination_wait_seconds + 1800

        traffic_routing_configuration {
          type                     = "ALL_AT_ONCE"
          wait_interval_in_seconds = 0
        }
      }

      auto_rollback_configuration {
        dynamic "alarms" {
          for_each = toset(each.value.rollback_alarm_names)

          content {
            alarm_name = alarms.value
          }
        }
      }
    }
  }

  tags = merge(local.tags, { endpoint = each.key })
}
