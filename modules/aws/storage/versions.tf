terraform {
  # 1.10 is the first release with native S3 state locking (use_lockfile), which the generated roots use.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.69, < 7.0"
    }
  }
}
