# S3 is reached through a free gateway endpoint on every private route table, so training data never
# crosses a NAT gateway. Its policy lets the VPC reach only buckets of this account (aws:ResourceAccount),
# plus the AWS-owned bucket ECR serves image layers from: a stolen credential cannot copy data out to a
# bucket elsewhere through the endpoint. Without NAT the endpoint is S3's only route.
data "aws_iam_policy_document" "s3_endpoint" {
  #checkov:skip=CKV_AWS_283:A VPC endpoint policy filters what callers inside the VPC may reach; who the caller is stays with IAM, so the principal is "*" and the restriction is aws:ResourceAccount.
  statement {
    # Object work only (what training, serving and the fleet do); bucket configuration is changed from
    # outside the VPC by Terraform, never through the endpoint.
    sid = "BucketsOfThisAccount"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
      "s3:ListBucketVersions",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }

  # ECR keeps image layers in an AWS-owned bucket per region; pulls of the training and serving images
  # read from it through this endpoint ("Amazon ECR interface VPC endpoints": minimum S3 permissions).
  statement {
    sid       = "AwsOwnedReadOnlyBuckets"
    actions   = ["s3:GetObject"]
    resources = concat(["arn:${local.partition}:s3:::prod-${local.region}-starport-layer-bucket/*"], [for arn in var.s3_endpoint_aws_owned_bucket_arns : "${arn}/*"])

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for az in local.azs : aws_route_table.private[az].id]
  policy            = data.aws_iam_policy_document.s3_endpoint.json
  tags              = merge(local.tags, { Name = "${local.prefix}-s3" })
}

locals {
  # Keyed by what the caller wrote (a suffix or a full name), so outputs stay readable and stable.
  interface_endpoint_services = var.private_endpoints ? merge(
    { for suffix in var.interface_endpoints : suffix => "com.amazonaws.${local.region}.${suffix}" },
    { for name in var.extra_interface_endpoint_service_names : name => name },
  ) : {}
  # The first zones (in the order the subnets were made) carry the endpoints; see interface_endpoint_az_count.
  endpoint_azs = slice(local.azs, 0, coalesce(var.interface_endpoint_az_count, length(local.azs)))
}

resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface_endpoint_services

  vpc_id              = aws_vpc.this.id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for az in local.endpoint_azs : aws_subnet.private[az].id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
  tags                = merge(local.tags, { Name = "${local.prefix}-${each.key}" })
}
