variable "name" {
  description = "Name of the group (its Name tag; the AWS name is this plus a unique suffix, so a replacement can exist beside it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,200}$", var.name))
    error_message = "name must be lower-case letters, digits and hyphens (at most 201 characters: AWS adds a 26-character suffix to the 255 allowed)."
  }
}

variable "description" {
  description = "What the group is for (shown in the EC2 console; changing it replaces the group)."
  type        = string

  validation {
    condition     = length(var.description) > 0 && length(var.description) <= 255 && can(regex("^[a-zA-Z0-9. _:/()#,@\\[\\]+=&;{}!$*-]+$", var.description))
    error_message = "description must be 1-255 characters of the set EC2 allows (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)."
  }
}

variable "vpc_id" {
  description = "VPC the group is created in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "https_egress_description" {
  description = "Description of the HTTPS egress rule: which AWS APIs the workload reaches, through VPC endpoints or NAT."
  type        = string
  default     = "HTTPS to AWS APIs via VPC endpoints or NAT"

  validation {
    condition     = length(var.https_egress_description) > 0 && length(var.https_egress_description) <= 255
    error_message = "https_egress_description must be 1-255 characters."
  }
}

variable "allow_intra_group" {
  description = "Allow all traffic between members of the group, in and out (multi-node training: NCCL/DDP). Off, the group has HTTPS egress only."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the group and its rules (the project's required tags)."
  type        = map(string)
  default     = {}
}
