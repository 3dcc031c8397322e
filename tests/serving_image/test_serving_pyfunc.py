"""Models that are not PyTorch run through mlflow.pyfunc, with the same validation and batching."""

from __future__ import annotations

import asyncio

import httpx
from serving_helpers import ModelStore, metric_value


def test_pyfunc_model_is_served_validated_and_batched(start_server, model_store: ModelStore) -> None:
    server = start_server(
        {"SERVING_MODEL_URI": str(model_store.pyfunc_dir), "SERVING_MAX_BATCH_WAIT_MS": "50"}
    )
    assert httpx.get(server.url + "/metadata").json()["backend"] == "pyfunc"

    response = httpx.post(
        server.url + "/predict",
        json={"dataframe_records": [{"name": "abc", "x": 1.5}, {"name": "", "x": -1}]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["predictions"] == [6.0, -2.0]
    csv = httpx.post(
        server.url + "/invocations", content="name,x\nhello,0.5\n", headers={"content-type": "text/csv"}
    )
    assert csv.json()["predictions"] == [6.0]

    bad = httpx.post(server.url + "/predict", json={"instances": [{"name": 5, "x": 1.0}]})
    assert bad.status_code == 400
    assert "column 'name' in row 0 must be a string, got integer 5" in bad.json()["message"]
    assert bad.json()["field"] == "name"

    async def many() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            return await asyncio.gather(
                *(
                    client.post("/predict", json={"instances": [{"name": "x" * i, "x": float(i)}]})
                    for i in range(16)
                )
            )

    responses = asyncio.run(many())
    assert [r.json()["predictions"] for r in responses] == [[3.0 * i] for i in range(16)]
    metrics = httpx.get(server.url + "/metrics").text
    calls = metric_value(metrics, "serving_batch_requests_count")
    assert calls < metric_value(metrics, "serving_batch_requests_sum")  # some calls carried several requests
