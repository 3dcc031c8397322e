"""The AWS ops adapter: boto3 calls behind mlgen's cloud-neutral ops interface (mlgen.ops.base).

boto3 is imported only inside these modules' functions, which only the ops commands call.
"""
