# CI authenticates with GitHub's OIDC tokens: no long-lived access keys exist anywhere. Two roles keep
# pull requests away from write credentials: the plan role (read-only, state read, lock-file write) trusts
# pull requests and branches; the apply role trusts only GitHub environments (required reviewers approve
# every run) and explicitly listed protected branches, never a pull request.

resource "aws_iam_openid_connect_provider" "github" {
  count = local.create_oidc_provider ? 1 : 0

  # No thumbprint_list: IAM validates token.actions.githubusercontent.com against its trusted CAs.
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = local.tags
}

locals {
  oidc_provider_arn = local.create_ci ? (local.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.ci.oidc_provider_arn) : null

  ci_roles = merge(
    local.create_ci ? { plan = local.ci_plan_subjects } : {},
    local.create_ci_apply ? { apply = local.ci_apply_subjects } : {},
  )
}

data "aws_iam_policy_document" "ci_assume" {
  for_each = local.ci_roles

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
      values   = each.value
    }
  }
}

resource "aws_iam_role" "ci" {
  for_each = local.ci_roles

  name                 = "${local.prefix}-ci-${each.key}"
  description          = "GitHub Actions of ${var.ci.repository}: terraform ${each.key} of ${local.prefix}"
  assume_role_policy   = data.aws_iam_policy_document.ci_assume[each.key].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "ci_plan" {
  count = local.create_ci ? 1 : 0

  name   = "ci-plan"
  role   = aws_iam_role.ci["plan"].id
  policy = data.aws_iam_policy_document.ci_plan.json
}

resource "aws_iam_role_policy" "ci_apply" {
  count = local.create_ci_apply ? 1 : 0

  name   = "ci-apply"
  role   = aws_iam_role.ci["apply"].id
  policy = data.aws_iam_policy_document.ci_apply.json
}

# What creating and changing the landing zone needs is the platform team's decision (AdministratorAccess,
# or a scoped policy with permissions_boundary_arn); it goes to the apply role only.
resource "aws_iam_role_policy_attachment" "ci_apply_managed" {
  for_each = local.create_ci_apply ? var.ci_managed_policy_arns : {}

  role       = aws_iam_role.ci["apply"].name
  policy_arn = each.value
}
