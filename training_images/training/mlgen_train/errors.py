"""User-facing errors: printed as one clear message, never as a traceback."""

from __future__ import annotations


class TrainingSetupError(Exception):
    """The environment, the arguments or the hyperparameters cannot describe a valid run.

    The message names what is missing or inconsistent and how to fix it.
    """
