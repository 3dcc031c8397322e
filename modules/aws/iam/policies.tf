# Permission policies. Every data-store and key action is listed explicitly and scoped to the given ARNs;
# "*" appears only for actions AWS does not scope to resources (ecr:GetAuthorizationToken, ec2:Describe*,
# cloudwatch:PutMetricData, sagemaker:List*), each noted where it is used.

# Shared by the training and serving execution roles.
data "aws_iam_policy_document" "workload_common" {
  statement {
    sid = "UseEnvironmentKey"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
    ]
    resources = [var.kms_key_arn]
  }

  # SageMaker encrypts training volumes and endpoint storage with the key through grants.
  statement {
    sid       = "GrantKeyToAwsResources"
    actions   = ["kms:CreateGrant"]
    resources = [var.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  # Not resource-scoped by AWS; the token only works with repositories the role may pull from.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(local.repository_arns) > 0 ? [1] : []

    content {
      sid = "PullImages"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
      ]
      resources = local.repository_arns
    }
  }

  # Not resource-scoped by AWS; limited to SageMaker's namespaces.
  statement {
    sid       = "PublishSageMakerMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*"]
    }
  }

  # Jobs and endpoints in the VPC attach network interfaces; Describe* are not resource-scoped by AWS.
  statement {
    sid = "DescribeVpc"
    actions = [
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ManageWorkloadNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
    ]
    resources = [
      "arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*",
      "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*",
      "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/*",
    ]
  }
}

data "aws_iam_policy_document" "training" {
  source_policy_documents = [data.aws_iam_policy_document.workload_common.json]

  statement {
    sid       = "ListDataZones"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket"]
    resources = local.zone_bucket_arns
  }

  statement {
    sid       = "ReadDataZones"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = local.zone_object_arns
  }

  # Model artifacts, checkpoints (spot resume) and MLflow artifacts.
  statement {
    sid = "WriteArtifacts"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = ["${local.artifacts_bucket_arn}/*"]
  }

  statement {
    sid = "TrainingJobLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [
      "${local.log_group_arn_prefix}:/aws/sagemaker/TrainingJobs",
      "${local.log_group_arn_prefix}:/aws/sagemaker/TrainingJobs:log-stream:*",
    ]
  }

  dynamic "statement" {
    for_each = var.mlflow_tracking_server_arn == null ? [] : [var.mlflow_tracking_server_arn]

    content {
      sid = "TrackExperiments"
      actions = [
        "sagemaker-mlflow:CreateExperiment",
        "sagemaker-mlflow:CreateLoggedModel",
        "sagemaker-mlflow:CreateModelVersion",
        "sagemaker-mlflow:CreateRegisteredModel",
        "sagemaker-mlflow:CreateRun",
        "sagemaker-mlflow:FinalizeLoggedModel",
        "sagemaker-mlflow:GetExperiment",
        "sagemaker-mlflow:GetExperimentByName",
        "sagemaker-mlflow:GetLatestModelVersions",
        "sagemaker-mlflow:GetLoggedModel",
        "sagemaker-mlflow:GetModelVersion",
        "sagemaker-mlflow:GetRegisteredModel",
        "sagemaker-mlflow:GetRun",
        "sagemaker-mlflow:LogBatch",
        "sagemaker-mlflow:LogInputs",
        "sagemaker-mlflow:LogLoggedModelParams",
        "sagemaker-mlflow:LogMetric",
        "sagemaker-mlflow:LogModel",
        "sagemaker-mlflow:LogOutputs",
        "sagemaker-mlflow:LogParam",
        "sagemaker-mlflow:SearchExperiments",
        "sagemaker-mlflow:SearchModelVersions",
        "sagemaker-mlflow:SearchRuns",
        "sagemaker-mlflow:SetRegisteredModelAlias",
        "sagemaker-mlflow:SetTag",
        "sagemaker-mlflow:UpdateModelVersion",
        "sagemaker-mlflow:UpdateRun",
      ]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "serving" {
  source_policy_documents = [data.aws_iam_policy_document.workload_common.json]

  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket"]
    resources = [local.artifacts_bucket_arn]
  }

  statement {
    sid       = "ReadModelArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${local.artifacts_bucket_arn}/*"]
  }

  statement {
    sid       = "WriteDataCapture"
    actions   = ["s3:AbortMultipartUpload", "s3:PutObject"]
    resources = ["${local.artifacts_bucket_arn}/${var.data_capture_prefix}*"]
  }

  statement {
    sid = "EndpointLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [
      "${local.log_group_arn_prefix}:/aws/sagemaker/Endpoints/${local.prefix}-*",
      "${local.log_group_arn_prefix}:/aws/sagemaker/Endpoints/${local.prefix}-*:log-stream:*",
    ]
  }
}

data "aws_iam_policy_document" "data_scientist" {
  statement {
    sid       = "ListDataZones"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketVersions"]
    resources = local.zone_bucket_arns
  }

  statement {
    sid       = "ReadDataZones"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = local.zone_object_arns
  }

  dynamic "statement" {
    for_each = length(var.data_scientist_write_zones) > 0 ? [1] : []

    content {
      sid = "WriteCuratedZones"
      actions = [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
      ]
      resources = [for zone in var.data_scientist_write_zones : "${var.bucket_arns[zone]}/*"]
    }
  }

  statement {
    sid = "UseEnvironmentKey"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
    ]
    resources = [var.kms_key_arn]
  }

  # Training jobs submitted with the CMK for volumes and output need the caller to allow the grant too.
  statement {
    sid       = "GrantKeyToAwsResources"
    actions   = ["kms:CreateGrant"]
    resources = [var.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  # Watching, tagging and stopping the project's training jobs.
  statement {
    sid = "ManageProjectTrainingJobs"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:DescribeTrainingJob",
      "sagemaker:StopTrainingJob",
    ]
    resources = [local.training_job_arns]
  }

  # Submitting one (mlgen train submit): only inside the environment's subnets and security groups, with
  # volumes and output encrypted by the environment key, on the instance types the spec chose. The Null
  # tests make the VPC keys mandatory (ForAllValues alone is true when a job leaves VpcConfig out).
  dynamic "statement" {
    for_each = var.training_jobs == null ? [] : [var.training_jobs]

    content {
      sid       = "CreateTrainingJobsInTheLandingZone"
      actions   = ["sagemaker:CreateTrainingJob"]
      resources = [local.training_job_arns]

      condition {
        test     = "Null"
        variable = "sagemaker:VpcSubnets"
        values   = ["false"]
      }

      condition {
        test     = "ForAllValues:StringEquals"
        variable = "sagemaker:VpcSubnets"
        values   = statement.value.subnet_ids
      }

      condition {
        test     = "Null"
        variable = "sagemaker:VpcSecurityGroupIds"
        values   = ["false"]
      }

      condition {
        test     = "ForAllValues:StringEquals"
        variable = "sagemaker:VpcSecurityGroupIds"
        values   = statement.value.security_group_ids
      }

      condition {
        test     = "StringEquals"
        variable = "sagemaker:VolumeKmsKey"
        values   = [var.kms_key_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "sagemaker:OutputKmsKey"
        values   = [var.kms_key_arn]
      }

      condition {
        test     = "ForAllValues:StringEquals"
        variable = "sagemaker:InstanceTypes"
        values   = statement.value.instance_types
      }
    }
  }

  # The job defaults `mlgen train submit` starts from (a SecureString under the environment key).
  dynamic "statement" {
    for_each = var.training_jobs == null ? [] : [var.training_jobs]

    content {
      sid       = "ReadTrainingJobDefaults"
      actions   = ["ssm:GetParameter"]
      resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${statement.value.job_defaults_parameter_name}"]
    }
  }

  # List actions are not resource-scoped by AWS.
  statement {
    sid       = "ListTrainingJobs"
    actions   = ["sagemaker:ListTrainingJobs"]
    resources = ["*"]
  }

  statement {
    sid       = "PassTrainingRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.training.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }

  statement {
    sid = "ReadTrainingLogs"
    actions = [
      "logs:DescribeLogStreams",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
    ]
    resources = [
      "${local.log_group_arn_prefix}:/aws/sagemaker/TrainingJobs",
      "${local.log_group_arn_prefix}:/aws/sagemaker/TrainingJobs:log-stream:*",
    ]
  }

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(local.repository_arns) > 0 ? [1] : []

    content {
      sid = "ReadImages"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:ListImages",
      ]
      resources = local.repository_arns
    }
  }

  dynamic "statement" {
    for_each = var.mlflow_tracking_server_arn == null ? [] : [var.mlflow_tracking_server_arn]

    content {
      sid = "UseTrackingServer"
      actions = [
        "sagemaker-mlflow:AccessUI",
        "sagemaker-mlflow:CreateExperiment",
        "sagemaker-mlflow:CreateRun",
        "sagemaker-mlflow:GetExperiment",
        "sagemaker-mlflow:GetExperimentByName",
        "sagemaker-mlflow:GetLatestModelVersions",
        "sagemaker-mlflow:GetMetricHistory",
        "sagemaker-mlflow:GetModelVersion",
        "sagemaker-mlflow:GetRegisteredModel",
        "sagemaker-mlflow:GetRun",
        "sagemaker-mlflow:ListArtifacts",
        "sagemaker-mlflow:LogBatch",
        "sagemaker-mlflow:LogMetric",
        "sagemaker-mlflow:LogParam",
        "sagemaker-mlflow:SearchExperiments",
        "sagemaker-mlflow:SearchModelVersions",
        "sagemaker-mlflow:SearchRegisteredModels",
        "sagemaker-mlflow:SearchRuns",
        "sagemaker-mlflow:SetTag",
        "sagemaker-mlflow:UpdateRun",
        "sagemaker:CreatePresignedMlflowTrackingServerUrl",
        "sagemaker:DescribeMlflowTrackingServer",
      ]
      resources = [statement.value]
    }
  }
}
