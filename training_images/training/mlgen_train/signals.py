"""SIGTERM means "the machine is going away": finish the current step, checkpoint, exit.

SageMaker sends SIGTERM and kills 120 s later; Compute Engine spot gives about 30 s; torchrun forwards
SIGTERM to its workers and kills them 30 s later. The handler only sets a flag: the training loop
checks it after every optimizer step, so the checkpoint is always consistent.
"""

from __future__ import annotations

import logging
import signal
import time

log = logging.getLogger(__name__)

EXIT_INTERRUPTED = 143  # 128 + SIGTERM: "stopped early, checkpoint saved, restart to resume"


class StopFlag:
    def __init__(self) -> None:
        self.requested = False
        self.received_at: float | None = None

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: object) -> None:
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C on a laptop means "now"
        self.requested = True
        self.received_at = time.monotonic()
        log.warning("received %s: checkpointing after the current step", signal.Signals(signum).name)
