"""`--wait` and `mlgen train logs --follow`: status transitions, billable seconds and the job's log lines.

Ctrl-C detaches (the job keeps running in the cloud); the caller prints how to come back.
"""

from __future__ import annotations

import time

from mlgen.ops.base import CloudOps, Echo, JobStatus

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
