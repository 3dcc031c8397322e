"""Bad input gets a clear 4xx that names the problem, and the server keeps serving afterwards."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from serving_helpers import COLUMNS, ModelStore, ServerProcess

GOOD_ROW = [0.1 * i for i in range(8)]


def _record(**overrides: object) -> dict[str, object]:
    record: dict[str, object] = dict(zip(COLUMNS, GOOD_ROW, strict=True))
    record.update(overrides)
    return record


def _without(name: str) -> dict[str, object]:
    record = _record()
    del record[name]
    return record


BAD_JSON_BODIES = [
    pytest.param(
        {"dataframe_records": [_record(), _without("x3")]},
        "x3",
        "row 1 is missing required column 'x3'",
        id="missing-column",
    ),
    pytest.param(
        {"dataframe_split": {"columns": COLUMNS[:7], "data": [GOOD_ROW[:7]]}},
        "x7",
        "missing required column 'x7'",
        id="split-missing-column",
    ),
    pytest.param(
        {"instances": [_record(x2="high")]},
        "x2",
        "column 'x2' in row 0 must be a float, got string",
        id="string-for-float",
    ),
    pytest.param(
        {"instances": [_record(x5=True)]}, "x5", "must be a float, got boolean", id="bool-for-float"
    ),
    pytest.param({"instances": [_record(x4=None)]}, "x4", "column 'x4' in row 0 is null", id="null"),
    pytest.param(
        {"instances": [GOOD_ROW, GOOD_ROW[:7]]}, None, "row 1 has 7 values, expected 8", id="short-row"
    ),
    pytest.param({"inputs": [GOOD_ROW + [1.0]]}, None, "row 0 has 9 values, expected 8", id="long-row"),
    pytest.param(
        {"instances": [[GOOD_ROW] * 8]},
        "x0",
        "column 'x0' in row 0 must be a float, got array",
        id="nested-too-deep",
    ),
    pytest.param({"instances": []}, "instances", "instances is empty", id="empty"),
    pytest.param({"rows": [GOOD_ROW]}, None, "exactly one of the keys instances, inputs", id="no-format-key"),
    pytest.param(
        {"instances": [GOOD_ROW], "inputs": [GOOD_ROW]},
        None,
        "found: inputs, instances",
        id="two-format-keys",
    ),
    pytest.param([GOOD_ROW], None, "must be a JSON object", id="top-level-list"),
    pytest.param(
        {"instances": [GOOD_ROW], "params": [1]}, "params", "params must be an object", id="bad-params"
    ),
]


def _assert_still_serving(server: ServerProcess) -> None:
    assert httpx.get(server.url + "/health", timeout=5).status_code == 200
    response = httpx.post(server.url + "/predict", json={"instances": [GOOD_ROW]}, timeout=5)
    assert response.status_code == 200
    assert isinstance(response.json()["predictions"][0], float)


@pytest.mark.parametrize(("body", "field", "message"), BAD_JSON_BODIES)
def test_invalid_json_input_is_400_naming_the_field(
    local_server: ServerProcess, body: object, field: str | None, message: str
) -> None:
    response = httpx.post(local_server.url + "/predict", json=body, timeout=5)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["error_code"] == "invalid_input"
    assert message in answer["message"]
    assert answer.get("field") == field
    assert answer["request_id"] == response.headers["x-request-id"]
    _assert_still_serving(local_server)


def test_malformed_json_is_400(local_server: ServerProcess) -> None:
    response = httpx.post(
        local_server.url + "/invocations",
        content=b'{"instances": [[1, 2,',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("malformed JSON")
    _assert_still_serving(local_server)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3,4,5,6,7,eight\n", "column 'x7' in row 0 must be a float, got 'eight'"),
        ("1,2,3\n", "CSV row 0 has 3 values, expected 8"),
        (",".join(COLUMNS) + "\n", "CSV body has a header but no rows"),
        ("1,2,3,4,5,6,7,\n", "column 'x7' in row 0 is null"),
    ],
)
def test_invalid_csv_is_400(local_server: ServerProcess, text: str, message: str) -> None:
    response = httpx.post(
        local_server.url + "/invocations", content=text, headers={"content-type": "text/csv"}
    )
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    _assert_still_serving(local_server)


def test_payload_over_the_limit_is_413_with_or_without_content_length(local_server: ServerProcess) -> None:
    big = b'{"instances": [' + b",".join([b"[1,2,3,4,5,6,7,8]"] * 5000) + b"]}"  # ~90 kB > 64 kB limit
    response = httpx.post(
        local_server.url + "/predict", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "65536 byte limit" in response.json()["message"]

    def chunks():  # chunked transfer: no Content-Length to trust, the limit applies while reading
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    response = httpx.post(
        local_server.url + "/predict", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    _assert_still_serving(local_server)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"]
)
def test_unsupported_content_type_is_415(local_server: ServerProcess, content_type: str) -> None:
    response = httpx.post(
        local_server.url + "/predict",
        content=b'{"instances": [[1,2,3,4,5,6,7,8]]}',
        headers={"content-type": content_type},
    )
    assert response.status_code == 415
    assert "send application/json or text/csv" in response.json()["message"]
    _assert_still_serving(local_server)


def test_unknown_route_and_wrong_method_are_plain_4xx(local_server: ServerProcess) -> None:
    assert httpx.get(local_server.url + "/nope").status_code == 404
    assert httpx.get(local_server.url + "/predict").status_code == 405


def test_errors_are_counted_in_metrics(local_server: ServerProcess) -> None:
    httpx.post(local_server.url + "/predict", json={"instances": [[1]]})
    text = httpx.get(local_server.url + "/metrics").text
    assert 'kind="invalid_input"' in text
    assert 'route="predict",status="400"' in text


def test_model_exception_is_500_with_request_id_and_no_trace_in_body(
    start_server, model_store: ModelStore
) -> None:
    server = start_server({"SERVING_MODEL_URI": str(model_store.sentinel_dir)})
    failing = GOOD_ROW[:7] + [-999.0]
    response = httpx.post(
        server.url + "/predict", json={"instances": [failing]}, headers={"x-request-id": "req-abc-123"}
    )
    assert response.status_code == 500
    answer = response.json()
    assert answer["error_code"] == "model_error"
    assert answer["request_id"] == "req-abc-123"
    assert "req-abc-123" in answer["message"]
    assert "Traceback" not in response.text and "sentinel failure" not in response.text
    log = server.log_text()
    assert "sentinel failure: x7 == -999" in log  # the trace went to the log, with the request id
    assert '"request_id":"req-abc-123"' in log
    _assert_still_serving(server)


def test_a_failing_request_does_not_fail_the_requests_batched_with_it(
    start_server, model_store: ModelStore
) -> None:
    server = start_server(
        {"SERVING_MODEL_URI": str(model_store.sentinel_dir), "SERVING_MAX_BATCH_WAIT_MS": "50"}
    )
    failing = GOOD_ROW[:7] + [-999.0]
    bodies = [{"instances": [failing if i == 3 else GOOD_ROW]} for i in range(12)]

    async def send_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            return await asyncio.gather(*(client.post("/predict", json=b) for b in bodies))

    responses = asyncio.run(send_all())
    assert [r.status_code for r in responses] == [500 if i == 3 else 200 for i in range(12)]
    # They really shared a model call (then the batcher isolated the failing one).
    metrics = httpx.get(server.url + "/metrics").text
    single = next(
        line
        for line in metrics.splitlines()
        if line.startswith("serving_batch_requests_bucket") and 'le="1"' in line
    )
    total = next(line for line in metrics.splitlines() if line.startswith("serving_batch_requests_count"))
    assert int(single.split()[-1]) < int(total.split()[-1])
