"""Many concurrent clients: every answer right, none failed, and requests really shared model calls."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from serving_helpers import ModelStore, ServerProcess, metric_value

CLIENTS = 64
DURATION_S = 3.0


async def _client(
    url: str, rows: list[list[float]], expected: list[float], stop_at: float, index: int
) -> dict:
    outcome = {"ok": 0, "wrong": 0, "failed": []}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        i = index
        # At least one request each, however late this client starts: on a loaded machine, making 64
        # clients can take longer than the whole window, and a client that never sent proves nothing.
        first = True
        while first or time.monotonic() < stop_at:
            first = False
            row = i % len(rows)
            response = await client.post("/predict", json={"instances": [rows[row]]})
            if response.status_code != 200:
                outcome["failed"].append((response.status_code, response.text[:200]))
            elif response.json()["predictions"][0] != pytest.approx(expected[row], rel=1e-5, abs=1e-6):
                outcome["wrong"] += 1
            else:
                outcome["ok"] += 1
            i += 1
    return outcome


def test_64_concurrent_clients_get_correct_answers_and_are_micro_batched(
    local_server: ServerProcess, model_store: ModelStore
) -> None:
    before = httpx.get(local_server.url + "/metrics").text

    async def run() -> list[dict]:
        stop_at = time.monotonic() + DURATION_S
        return await asyncio.gather(
            *(
                _client(local_server.url, model_store.rows, model_store.expected, stop_at, i)
                for i in range(CLIENTS)
            )
        )

    outcomes = asyncio.run(run())
    failures = [f for o in outcomes for f in o["failed"]]
    assert not failures, failures[:5]
    assert sum(o["wrong"] for o in outcomes) == 0
    answered = sum(o["ok"] for o in outcomes)
    assert all(o["ok"] >= 1 for o in outcomes), [o["ok"] for o in outcomes]  # every client was answered

    after = httpx.get(local_server.url + "/metrics").text
    calls = metric_value(after, "serving_batch_requests_count") - metric_value(
        before, "serving_batch_requests_count"
    )
    requests = metric_value(after, "serving_batch_requests_sum") - metric_value(
        before, "serving_batch_requests_sum"
    )
    assert requests == answered
    # Micro-batching: fewer model calls than requests, and some calls carried several requests.
    assert calls < requests
    multi = calls - (
        metric_value(after, "serving_batch_requests_bucket", le="1")
        - metric_value(before, "serving_batch_requests_bucket", le="1")
    )
    assert multi > 0
    # No call exceeded SERVING_MAX_BATCH_SIZE=64 rows.
    assert metric_value(after, "serving_batch_rows_bucket", le="64") == metric_value(
        after, "serving_batch_rows_count"
    )
    assert httpx.get(local_server.url + "/health").status_code == 200
