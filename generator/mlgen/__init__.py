"""mlgen: generate an ML landing zone, images, teardown and policy checks from one spec."""

__version__ = "0.1.0"
