"""`--wait` and `mlgen train logs --follow`: status transitions, billable seconds and the job's log lines.

Ctrl-C detaches (the job keeps running in the cloud); the caller prints how to come back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from mlgen.ops.base import CloudOps, Echo, JobStatus
from mlgen.ops.errors import OpsError

POLL_S = 20.0


def follow_job(
    ops: CloudOps, job_name: str, echo: Echo, poll_s: float = POLL_S, logs: bool = True
) -> JobStatus:
    last: tuple[str, str] | None = None
    tokens: dict = {}
    while True:
        status = ops.job_status(job_name)
        if (status.status, status.secondary_status) != last:
            billed = f", billable {status.billable_seconds} s" if status.billable_seconds is not None else ""
            echo(f"{job_name}: {status.status} / {status.secondary_status}{billed}")
            last = (status.status, status.secondary_status)
        if logs:
            for line in ops.job_log_lines(job_name, tokens):
                echo(line)
        if status.finished:
            if status.failure_reason:
                echo(f"{job_name}: failure reason: {status.failure_reason}")
            return status
        time.sleep(poll_s)


def wait_until_stopped(
    jobs: list[str],
    final_status: Callable[[str], str | None],
    echo: Echo,
    timeout_s: float,
    poll_s: float = POLL_S,
) -> None:
    """Poll stopped jobs until each has left its running states (teardown must not delete the network they
    hold). ``final_status(job)`` is the job's status once it has stopped, None while it still stops."""
    deadline = time.monotonic() + timeout_s
    waiting = set(jobs)
    while waiting:
        for job in sorted(waiting):
            status = final_status(job)
            if status is not None:
                echo(f"    {job}: {status}")
                waiting.discard(job)
        if not waiting:
            break
        if time.monotonic() > deadline:
            raise OpsError(
                f"training jobs still stopping after {timeout_s:.0f} s: {', '.join(sorted(waiting))}. "
                "Nothing else was deleted; run the teardown again once they have stopped"
            )
        echo(f"    waiting for {len(waiting)} job(s) to stop …")
        time.sleep(poll_s)
