"""Micro-batching: requests that arrive together share one model call.

The model runs on a single dedicated thread, so while it works the event loop keeps reading and
validating requests; when it is free, everything queued (up to ``max_batch_size`` rows) goes in the next
call. A lone request is never held back: the batcher waits up to ``max_wait`` for company only while
other requests are known to be arriving (read but not yet queued).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from model_server.inputs import InputError, Payload

log = logging.getLogger("model_server.batching")


@dataclass
class _Item:
    payload: Payload
    future: asyncio.Future


class MicroBatcher:
    def __init__(
        self,
        predict: Callable[[list[Payload]], list[list[Any]]],
        max_batch_size: int,
        max_wait_s: float,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> None:
        self._predict = predict
        self._max_rows = max_batch_size
        self._max_wait_s = max_wait_s
        self._on_batch = on_batch or (lambda rows, requests: None)
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._carry: _Item | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model")
        self._task: asyncio.Task | None = None
        self.arriving = 0  # requests being read/validated; the handler keeps this count

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="micro-batcher")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=True)

    async def submit(self, payload: Payload) -> list[Any]:
        future = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Item(payload, future))
        return await future

    async def _next_item(self, deadline: float) -> _Item | None:
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            pass
        loop = asyncio.get_running_loop()
        remaining = deadline - loop.time()
        if self.arriving <= 0 or remaining <= 0:
            return None
        try:
            return await asyncio.wait_for(self._queue.get(), timeout=remaining)
        except TimeoutError:
            return None

    async def _collect(self) -> list[_Item]:
        first = self._carry or await self._queue.get()
        self._carry = None
        batch, rows = [first], first.payload.n_rows
        deadline = asyncio.get_running_loop().time() + self._max_wait_s
        while rows < self._max_rows:
            item = await self._next_item(deadline)
            if item is None:
                break
            if rows + item.payload.n_rows > self._max_rows:
                self._carry = item  # would overflow: it opens the next batch
                break
            batch.append(item)
            rows += item.payload.n_rows
        return batch

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._collect()
            live = [item for item in batch if not item.future.cancelled()]
            if not live:
                continue
            # Requests with their own params cannot share a call with others.
            groups = [[i] for i in live if i.payload.params] + [[i for i in live if not i.payload.params]]
            for group in groups:
                if group:
                    await self._run_group(loop, group)

    async def _run_group(self, loop: asyncio.AbstractEventLoop, group: list[_Item]) -> None:
        self._on_batch(sum(i.payload.n_rows for i in group), len(group))
        try:
            results = await loop.run_in_executor(self._executor, self._predict, [i.payload for i in group])
        except Exception as exc:  # noqa: BLE001 - delivered to the waiting request(s)
            if len(group) == 1:
                _settle(group[0].future, exc=exc)
                return
            # One bad request must not fail its neighbours: retry each alone to isolate it.
            for item in group:
                await self._run_group(loop, [item])
            return
        for item, result in zip(group, results, strict=True):
            _settle(item.future, result=result)


def _settle(future: asyncio.Future, result: Any = None, exc: BaseException | None = None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


__all__ = ["InputError", "MicroBatcher"]
