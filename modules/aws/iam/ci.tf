# CI authenticates with GitHub's OIDC tokens: no long-lived access keys exist anywhere.

locals {
  ci_subjects = local.create_ci ? concat(
    [for branch in var.ci.branches : "repo:${var.ci.repository}:ref:refs/heads/${branch}"],
    var.ci.pull_requests ? ["repo:${var.ci.repository}:pull_request"] : [],
    [for name in var.ci.environments : "repo:${var.ci.repository}:environment:${name}"],
  ) : []

  create_oidc_provider = local.create_ci && try(var.ci.oidc_provider_arn == null, false)
  oidc_provider_arn    = local.create_ci ? (local.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.ci.oidc_provider_arn) : null
}

# No thumbprint_list: IAM validates token.actions.githubusercontent.com against its library of trusted CAs.
resource "aws_iam_openid_connect_provider" "github" {
  count = local.create_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = local.tags
}

data "aws_iam_policy_document" "ci_assume" {
  count = local.create_ci ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Only the listed repository refs, pull requests and environments; never a bare repo:* wildcard.
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = local.ci_subjects
    }
  }
}

resource "aws_iam_role" "ci" {
  count = local.create_ci ? 1 : 0

  name                 = "${local.prefix}-ci"
  description          = "GitHub Actions of ${var.ci.repository} for ${local.prefix}"
  assume_role_policy   = data.aws_iam_policy_document.ci_assume[0].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "ci" {
  # An empty policy document is invalid; with neither repositories nor state there is nothing to grant.
  count = local.create_ci && (length(local.repository_arns) > 0 || var.state_bucket_arn != null) ? 1 : 0

  name   = "ci"
  role   = aws_iam_role.ci[0].id
  policy = data.aws_iam_policy_document.ci.json
}

resource "aws_iam_role_policy_attachment" "ci_managed" {
  for_each = local.create_ci ? var.ci_managed_policy_arns : {}

  role       = aws_iam_role.ci[0].name
  policy_arn = each.value
}
