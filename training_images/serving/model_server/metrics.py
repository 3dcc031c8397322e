"""Prometheus text exposition for requests, latency, errors and batch sizes.

Hand-rolled (a few counters and histograms) to keep the image free of another dependency and the hot
path free of locks: everything is updated from the event loop thread or under the GIL in one call.
Each worker process keeps its own numbers, labelled with ``worker`` (its pid).
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections import defaultdict

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


class Histogram:
    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)
        self.total = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.buckets, value)] += 1
        self.total += value
        self.count += 1

    def lines(self, name: str, labels: str) -> list[str]:
        out, cumulative = [], 0
        sep = "," if labels else ""
        for bound, count in zip(self.buckets, self.counts, strict=False):
            cumulative += count
            out.append(f'{name}_bucket{{{labels}{sep}le="{bound:g}"}} {cumulative}')
        out.append(f'{name}_bucket{{{labels}{sep}le="+Inf"}} {self.count}')
        out.append(f"{name}_sum{{{labels}}} {self.total:.6f}")
        out.append(f"{name}_count{{{labels}}} {self.count}")
        return out


class Metrics:
    def __init__(self) -> None:
        self.worker = str(os.getpid())
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.latency: dict[str, Histogram] = {}
        self.errors: dict[str, int] = defaultdict(int)
        self.batch_rows = Histogram(SIZE_BUCKETS)
        self.batch_requests = Histogram(SIZE_BUCKETS)
        self.in_flight = 0
        self.ready = 0

    def observe_request(self, route: str, status: int, seconds: float) -> None:
        self.requests[(route, status)] += 1
        histogram = self.latency.get(route)
        if histogram is None:
            histogram = self.latency[route] = Histogram(LATENCY_BUCKETS)
        histogram.observe(seconds)

    def observe_error(self, kind: str) -> None:
        self.errors[kind] += 1

    def observe_batch(self, rows: int, requests: int) -> None:
        self.batch_rows.observe(rows)
        self.batch_requests.observe(requests)

    def render(self) -> str:
        w = f'worker="{self.worker}"'
        lines = [
            "# HELP serving_requests_total HTTP requests answered, by route and status code.",
            "# TYPE serving_requests_total counter",
        ]
        for (route, status), count in sorted(self.requests.items()):
            lines.append(f'serving_requests_total{{{w},route="{route}",status="{status}"}} {count}')
        lines += [
            "# HELP serving_request_duration_seconds Time from request start to response, by route.",
            "# TYPE serving_request_duration_seconds histogram",
        ]
        for route, histogram in sorted(self.latency.items()):
            lines += histogram.lines("serving_request_duration_seconds", f'{w},route="{route}"')
        lines += [
            "# HELP serving_errors_total Failed requests by kind (invalid_input, payload_too_large, ...).",
            "# TYPE serving_errors_total counter",
        ]
        for kind, count in sorted(self.errors.items()):
            lines.append(f'serving_errors_total{{{w},kind="{kind}"}} {count}')
        lines += [
            "# HELP serving_batch_rows Rows per model call.",
            "# TYPE serving_batch_rows histogram",
            *self.batch_rows.lines("serving_batch_rows", w),
            "# HELP serving_batch_requests Requests per model call (above 1 means micro-batching worked).",
            "# TYPE serving_batch_requests histogram",
            *self.batch_requests.lines("serving_batch_requests", w),
            "# HELP serving_in_flight_requests Prediction requests being served now.",
            "# TYPE serving_in_flight_requests gauge",
            f"serving_in_flight_requests{{{w}}} {self.in_flight}",
            "# HELP serving_model_ready 1 once the model is loaded.",
            "# TYPE serving_model_ready gauge",
            f"serving_model_ready{{{w}}} {self.ready}",
        ]
        return "\n".join(lines) + "\n"
