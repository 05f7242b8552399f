"""A schema-driven fuzzer (schemathesis) against the hub's own /openapi.json: no input, valid or
not, gets a 5xx. Requests are fuzzed twice over: as they come (unsigned), and signed as an
enrolled adviser's laptop, so the fuzzer reaches past authentication into every endpoint."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from sync.auth import signed_headers
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from tests.sync.hub.hubkit import Laptop, enrol, make_world


class SignAsLaptop:
    """ASGI wrapper that signs each request (as it will reach the hub) with a real laptop's key,
    unless the fuzzer sent a signature of its own."""

    def __init__(self, app: FastAPI, laptop: Laptop) -> None:
        self.app, self.laptop = app, laptop

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        messages, body = [], b""
        while True:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        headers = signed_headers(self.laptop.key, self.laptop.device_id, scope["method"],
                                 target, body)
        extra = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        scope = {**scope, "headers": [*scope["headers"], *extra]}

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        await self.app(scope, replay, send)


def _app(tmp: Path, signed: bool) -> Any:
    hub_settings = HubSettings(database=f"sqlite:///{tmp / 'hub.db'}",
                               enrol_attempts_per_client=1_000_000,
                               enrol_attempts_total=1_000_000)
    world = make_world(hub_settings)
    app = create_app(hub_settings)
    if not signed:
        return app
    with TestClient(app) as client:
        laptop = enrol(client, world.code_for("mo"))
    return SignAsLaptop(app, laptop)


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_no_input_gets_a_server_error(signed: bool, tmp_path: Path) -> None:
    # Schemathesis' own pytest plugin does not run on this pytest; its strategies do.
    hub_schema = schemathesis.openapi.from_asgi("/openapi.json", _app(tmp_path, signed))
    operations = [result.ok() for result in hub_schema.get_all_operations()]
    assert len(operations) >= 5
    statuses: Counter[int] = Counter()
    for operation, mode in itertools.product(operations, list(schemathesis.GenerationMode)):
        if mode is schemathesis.GenerationMode.NEGATIVE and operation.method == "get" and \
                not operation.path_parameters:
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call()
            statuses[response.status_code] += 1
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            case.validate_response(response, checks=[not_a_server_error])

        no_server_error()
    if signed:  # the fuzzer got past authentication into the endpoints
        assert 401 not in statuses and 200 in statuses and 404 in statuses
