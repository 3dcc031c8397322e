"""Server-wide readiness: 200 only when every worker process has its model loaded.

A platform sends traffic as soon as its readiness probe passes, and with several uvicorn workers the
probe reaches one of them; if that worker answered for itself alone, requests landing on a worker still
loading (or on the replacement of one that died) would get 503. So each worker, once loaded, drops a
marker file named after its pid into a directory shared by the launch (``SERVING_READY_DIR``, made by
``python -m model_server``); any worker answers the probe by counting the markers of workers that are
really alive (a running, non-zombie process whose parent is the same uvicorn supervisor) against the
number of workers the server was started with.

Why files and not the supervisor: uvicorn's supervisor restarts dead workers but exposes no state to
them; a directory needs no extra process, survives any worker's death, and costs one ``listdir`` and a
few ``/proc`` reads per probe.
"""

from __future__ import annotations

import os
from pathlib import Path

READY_DIR_ENV = "SERVING_READY_DIR"


def _process_state(pid: int) -> tuple[str, int, str] | None:
    """(state letter, parent pid, start time) of a process, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:  # no /proc (not Linux): existence is all we can check
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "R", os.getppid(), ""
    # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), fields[19]  # fields 3, 4 and 22 of proc_pid_stat(5)


class WorkerReadiness:
    """Readiness markers of the workers of one launch."""

    def __init__(self, directory: Path | None, expected_workers: int) -> None:
        self.directory = directory
        self.expected_workers = expected_workers
        self._supervisor = os.getppid()

    @classmethod
    def from_env(cls, expected_workers: int) -> WorkerReadiness:
        raw = os.environ.get(READY_DIR_ENV)
        return cls(Path(raw) if raw else None, expected_workers)

    def _marker(self, pid: int) -> Path:
        assert self.directory is not None
        return self.directory / str(pid)

    def mark_ready(self) -> None:
        if self.directory is None:
            return
        marker = self._marker(os.getpid())
        partial = marker.with_suffix(".partial")
        # The start time tells a reused pid (a new worker still loading) from the worker that wrote it.
        state = _process_state(os.getpid())
        partial.write_text(state[2] if state else "")
        partial.replace(marker)  # atomic: a reader sees no marker or a whole one

    def mark_stopped(self) -> None:
        if self.directory is not None:
            self._marker(os.getpid()).unlink(missing_ok=True)

    def _alive_sibling(self, pid: int, started: str) -> bool:
        if pid == os.getpid():
            return True
        state = _process_state(pid)
        # A killed worker stays a zombie until the supervisor reaps it: that is not a worker.
        return (
            state is not None
            and state[0] not in ("Z", "X")
            and state[1] == self._supervisor
            and (not started or not state[2] or started == state[2])
        )

    def ready_workers(self) -> int:
        """How many workers of this server have loaded and are still alive (this one included)."""
        if self.directory is None:  # started without a launch directory (one process): only us
            return self.expected_workers
        count = 0
        for entry in os.listdir(self.directory):
            if not entry.isdigit():
                continue
            try:
                started = (self.directory / entry).read_text().strip()
            except FileNotFoundError:  # removed by a sibling meanwhile
                continue
            if self._alive_sibling(int(entry), started):
                count += 1
            else:
                # A dead worker's marker; its replacement writes its own. Best effort: a sibling may
                # be removing the same file.
                (self.directory / entry).unlink(missing_ok=True)
        return count
