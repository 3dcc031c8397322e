"""The GCP ops adapter: google-cloud-aiplatform and google-cloud-storage calls behind mlgen's cloud-neutral
ops interface (mlgen.ops.base).

The SDKs are imported only inside these modules' functions, which only the ops commands call.
"""
