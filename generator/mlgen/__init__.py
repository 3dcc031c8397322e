"""mlgen: generate an ML landing zone, images, teardown and policy checks from one spec."""

__version__ = "0.1.0"

# The one name of the spec file: CLI defaults, `mlgen check`, the generated docs and scripts use it.
SPEC_FILENAME = "mlgen.yaml"
