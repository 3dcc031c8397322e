# Pure derivations from the inputs (no resources or data sources), kept apart so tests can evaluate them
# with a provider-free `terraform apply` (which supplies local.region itself).
locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  # CloudWatch reports CPUUtilization as the sum over vCPUs (0-100 x vCPUs) and GPUUtilization as the sum
  # over GPUs, so per-unit thresholds are multiplied by the counts below. vCPUs follow the size suffix for
  # the m/c/r/g/p families SageMaker hosts; multi-GPU sizes are listed, other GPU sizes have one GPU.
  vcpus_by_size = {
    medium     = 1, large = 2, xlarge = 4, "2xlarge" = 8, "3xlarge" = 12, "4xlarge" = 16, "6xlarge" = 24,
    "8xlarge"  = 32, "9xlarge" = 36, "12xlarge" = 48, "16xlarge" = 64, "18xlarge" = 72, "24xlarge" = 96,
    "32xlarge" = 128, "48xlarge" = 192,
  }
  gpu_families = ["g4dn", "g5", "g6", "g6e", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en"]
  multi_gpu = {
    "g4dn.12xlarge" = 4, "g5.12xlarge" = 4, "g5.24xlarge" = 4, "g5.48xlarge" = 8,
    "g6.12xlarge"   = 4, "g6.24xlarge" = 4, "g6.48xlarge" = 8, "g6e.12xlarge" = 4, "g6e.24xlarge" = 4,
    "g6e.48xlarge"  = 8, "p3.8xlarge" = 4, "p3.16xlarge" = 8, "p3dn.24xlarge" = 8, "p4d.24xlarge" = 8,
    "p4de.24xlarge" = 8, "p5.48xlarge" = 8, "p5e.48xlarge" = 8, "p5en.48xlarge" = 8,
  }

  # One entry per endpoint variant, keyed "<endpoint key>/<variant>".
  watched = merge([
    for ek, e in var.endpoints : {
      for vk, v in e.variants : "${ek}/${vk}" => {
        endpoint_key = ek
        endpoint     = e.name
        variant      = vk
        serverless   = e.serverless || v.instance_type == null
        family_size  = v.instance_type == null ? "" : trimprefix(v.instance_type, "ml.")
        vcpus = v.vcpus != null ? v.vcpus : (
          v.instance_type == null ? 0 : lookup(local.vcpus_by_size, element(split(".", v.instance_type), 2), 1)
        )
        gpus = v.gpus != null ? v.gpus : (
          v.instance_type == null ? 0 : (
            contains(local.gpu_families, element(split(".", v.instance_type), 1))
            ? lookup(local.multi_gpu, trimprefix(v.instance_type, "ml."), 1) : 0
          )
        )
      }
    }
  ]...)

  instance_variants = { for k, v in local.watched : k => v if !v.serverless }
  gpu_variants      = { for k, v in local.watched : k => v if !v.serverless && v.gpus > 0 }

  datapoints_to_alarm = floor(var.evaluation_minutes / 2) + 1
}

# Dashboard: one row per endpoint: traffic and errors, latency, and (instance-based) utilisation, all
# variants overlaid.
locals {
  endpoint_keys = sort(keys(var.endpoints))

  # One row per endpoint; setproduct (not flatten) keeps each metric row a list of its own.
  dashboard_widgets = flatten([
    for row, ek in local.endpoint_keys : concat(
      [
        {
          type   = "metric"
          x      = 0
          y      = row * 6
          width  = 8
          height = 6
          properties = {
            title  = "${var.endpoints[ek].name}: invocations and errors"
            region = local.region
            view   = "timeSeries"
            stat   = "Sum"
            period = 60
            metrics = [
              for p in setproduct(sort(keys(var.endpoints[ek].variants)), ["Invocations", "Invocation4XXErrors", "Invocation5XXErrors"]) :
              ["AWS/SageMaker", p[1], "EndpointName", var.endpoints[ek].name, "VariantName", p[0]]
            ]
          }
        },
        {
          type   = "metric"
          x      = 8
          y      = row * 6
          width  = 8
          height = 6
          properties = {
            title  = "${var.endpoints[ek].name}: model latency (microseconds)"
            region = local.region
            view   = "timeSeries"
            period = 60
            metrics = [
              for p in setproduct(sort(keys(var.endpoints[ek].variants)), ["p50", "p99"]) :
              ["AWS/SageMaker", "ModelLatency", "EndpointName", var.endpoints[ek].name, "VariantName", p[0], { stat = p[1], label = "${p[0]} ${p[1]}" }]
            ]
            annotations = {
              horizontal = [{ label = "p99 alarm", value = var.p99_latency_ms * 1000 }]
            }
          }
        },
      ],
      # Serverless endpoints publish no instance utilisation metrics.
      var.endpoints[ek].serverless ? [] : [
        {
          type   = "metric"
          x      = 16
          y      = row * 6
          width  = 8
          height = 6
          properties = {
            title  = "${var.endpoints[ek].name}: utilisation (% summed over vCPUs/GPUs)"
            region = local.region
            view   = "timeSeries"
            stat   = "Average"
            period = 60
            metrics = [
              for p in setproduct(sort(keys(var.endpoints[ek].variants)), ["CPUUtilization", "MemoryUtilization", "GPUUtilization", "GPUMemoryUtilization"]) :
              ["/aws/sagemaker/Endpoints", p[1], "EndpointName", var.endpoints[ek].name, "VariantName", p[0]]
            ]
          }
        },
      ]
    )
  ])
}
