"""Files through the hub in process: who may reach a file, uploads in chunks at the hub's length,
a spoilt upload never becoming visible, downloads with Range, stale partial uploads removed."""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from models.blobs import BlobStore
from sync.auth import DeviceAuth
from sync.client.errors import HubRefused
from sync.client.files import download, upload_missing
from sync.hub.app import create_app
from sync.hub.filestore import FileStore
from sync.hub.settings import HubSettings
from sync.hub.tables import AuditEvent, FileRef
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION
from tests.sync.hub.hubkit import World, enrol, make_world, run_admin

CHUNK = 64 * 1024


def refer(settings: HubSettings, sha: str, young_person_id: str) -> None:
    """As a pushed document naming ``sha`` does (``exchange._store``)."""
    run_admin(settings, lambda s: s.add(FileRef(sha256=sha, young_person_id=young_person_id)))


def blob_store(folder: Path) -> BlobStore:
    return BlobStore(folder, secrets.token_bytes(32), chunk_size=CHUNK)


class Device:
    def __init__(self, client: TestClient, world: World, username: str) -> None:
        laptop = enrol(client, world.code_for(username))
        self.http = client
        self.auth = DeviceAuth(laptop.key, laptop.device_id)

    def call(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        return self.http.request(method, path, auth=self.auth,  # type: ignore[arg-type]
                                 headers={HEADER_PROTOCOL: str(PROTOCOL_VERSION)}, **kwargs)


@pytest.fixture
def small_chunks(settings: HubSettings) -> HubSettings:
    """Chunks of 64 KiB (the hub advertises its body limit), so small files make many."""
    return settings.model_copy(update={"max_body_bytes": CHUNK})


@pytest.fixture
def hub(small_chunks: HubSettings) -> Iterator[tuple[TestClient, World]]:
    world = make_world(small_chunks)
    with TestClient(create_app(small_chunks)) as client:
        yield client, world


def test_a_file_reaches_exactly_the_scope_of_the_young_people_it_belongs_to(
    hub: tuple[TestClient, World], small_chunks: HubSettings, tmp_path: Path
) -> None:
    client, world = hub
    asha, mo, ben = (Device(client, world, u) for u in ("asha", "mo", "ben"))
    mine = blob_store(tmp_path / "asha")
    data = os.urandom(5 * CHUNK + 123)
    sha = mine.put_bytes(data).sha256
    stray = mine.put_bytes(b"named by no record").sha256
    refer(small_chunks, sha, world.young_people["asha"][0])

    report = upload_missing(client, mine, [sha, stray, "0" * 64], auth=asha.auth)
    assert report.uploaded == [sha] and report.unknown == [stray] and report.not_here == ["0" * 64]
    assert report.bytes_sent == len(data)
    again = upload_missing(client, mine, [sha], auth=asha.auth)
    assert again.already_there == 1 and again.bytes_sent == 0

    # The manager of the team downloads it; another adviser of the team cannot even see it.
    theirs = blob_store(tmp_path / "mo")
    assert download(client, theirs, sha, auth=mo.auth) == len(data)
    assert theirs.read_bytes(sha) == data
    for method, path in [("GET", f"/v1/files/{sha}"), ("GET", f"/v1/files/{sha}/content"),
                         ("PUT", f"/v1/files/{sha}?offset=0&total=5")]:
        refused = ben.call(method, path, content=b"x" * 5 if method == "PUT" else None)
        assert refused.status_code == 404 and refused.json()["error"] == "not_found"
        unknown = ben.call(method, path.replace(sha, "f" * 64),
                           content=b"x" * 5 if method == "PUT" else None)
        assert unknown.json() == refused.json()  # the same answer as for no file at all
    with pytest.raises(HubRefused) as exc:
        download(client, blob_store(tmp_path / "ben"), sha, auth=ben.auth)
    assert exc.value.status == 404

    def audit(s: object) -> set[tuple[str, str]]:
        rows = s.execute(select(AuditEvent.action, AuditEvent.outcome))  # type: ignore[attr-defined]
        return {(a, o) for a, o in rows if "file" in a}

    assert {("upload file", "allowed"), ("download file", "allowed"), ("file status", "refused"),
            ("download file", "refused"), ("upload file", "refused")} <= run_admin(
        small_chunks, audit)


def test_chunks_only_at_the_hubs_length_and_a_spoilt_file_never_becomes_visible(
    hub: tuple[TestClient, World], small_chunks: HubSettings
) -> None:
    client, world = hub
    asha = Device(client, world, "asha")
    data = os.urandom(3 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    refer(small_chunks, sha, world.young_people["asha"][1])
    put = lambda offset, body, total=len(data): asha.call(  # noqa: E731
        "PUT", f"/v1/files/{sha}?offset={offset}&total={total}", content=body)

    assert put(0, data[:CHUNK]).json() == {"received": CHUNK, "present": False}
    assert put(0, data[:CHUNK]).json()["received"] == CHUNK  # a resend is harmless
    skipped = put(2 * CHUNK, data[2 * CHUNK:])
    assert skipped.status_code == 409 and skipped.json()["error"] == "wrong_offset"
    assert put(CHUNK, data[CHUNK:CHUNK + CHUNK + 1]).status_code == 413  # over the chunk size
    # One flipped byte in the last chunk: the whole upload is refused and thrown away.
    spoilt = bytearray(data[CHUNK:2 * CHUNK])
    spoilt[7] ^= 1
    assert put(CHUNK, bytes(spoilt)).json()["received"] == 2 * CHUNK
    refused = put(2 * CHUNK, data[2 * CHUNK:])
    assert refused.status_code == 422 and refused.json()["error"] == "file_corrupt"
    status = asha.call("GET", f"/v1/files/{sha}").json()
    assert status["present"] is False and status["received"] == 0
    assert asha.call("GET", f"/v1/files/{sha}/content").status_code == 404
    assert not FileStore(small_chunks.files_root(), max_file_bytes=1, stale_seconds=1) \
        .path_of(sha).exists()

    # Sent properly, it arrives whole; overlapping resends only add what is new.
    assert put(0, data[:CHUNK]).json()["received"] == CHUNK
    assert put(CHUNK // 2, data[CHUNK // 2:CHUNK // 2 + CHUNK]).json()["received"] == \
        CHUNK + CHUNK // 2
    assert put(CHUNK + CHUNK // 2, data[CHUNK + CHUNK // 2:2 * CHUNK + CHUNK // 2]).json() == {
        "received": 2 * CHUNK + CHUNK // 2, "present": False}
    assert put(2 * CHUNK + CHUNK // 2, data[2 * CHUNK + CHUNK // 2:]).json() == {
        "received": len(data), "present": True}
    assert put(0, data[:CHUNK]).json() == {"received": len(data), "present": True}

    whole = asha.call("GET", f"/v1/files/{sha}/content")
    assert whole.status_code == 200 and whole.content == data
    tail = asha.http.request("GET", f"/v1/files/{sha}/content", auth=asha.auth, headers={
        HEADER_PROTOCOL: str(PROTOCOL_VERSION), "Range": "bytes=1000-1999"})
    assert tail.status_code == 206 and tail.content == data[1000:2000]
    assert tail.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
    past = asha.http.request("GET", f"/v1/files/{sha}/content", auth=asha.auth, headers={
        HEADER_PROTOCOL: str(PROTOCOL_VERSION), "Range": f"bytes={len(data)}-"})
    assert past.status_code == 416


def test_stale_partial_uploads_are_removed(tmp_path: Path) -> None:
    store = FileStore(tmp_path, max_file_bytes=1 << 20, stale_seconds=3600)
    fresh, stale = "a" * 64, "b" * 64
    store.write_chunk(fresh, 0, 10, b"12345")
    store.write_chunk(stale, 0, 10, b"12345")
    old = time.time() - 7200
    os.utime(store.partial_of(stale), (old, old))
    assert store.cleanup() == 1
    assert store.status(fresh).received == 5 and store.status(stale).received == 0
    # A new upload starting tidies up on its own.
    os.utime(store.partial_of(fresh), (old, old))
    store.write_chunk("c" * 64, 0, 10, b"1")
    assert store.status(fresh).received == 0


class LoseAnswers(httpx.BaseTransport):
    """Delivers every request but loses the answer to each chunk the first time it is sent."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.seen = inner, set()  # type: set[str]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "PUT" and str(request.url) not in self.seen:
            self.seen.add(str(request.url))
            response.read()
            raise httpx.ReadError("the answer was lost on the way back")
        return response


def test_answers_lost_after_the_hub_wrote_a_chunk_cost_nothing(
    hub: tuple[TestClient, World], small_chunks: HubSettings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sync.client import files as client_files

    monkeypatch.setattr(client_files, "_BACKOFF", (0.0,) * 5)
    client, world = hub
    asha = Device(client, world, "asha")
    mine = blob_store(tmp_path / "asha")
    data = os.urandom(4 * CHUNK + 9)
    sha = mine.put_bytes(data).sha256
    refer(small_chunks, sha, world.young_people["asha"][0])
    lossy = httpx.Client(base_url=str(client.base_url),
                         transport=LoseAnswers(client._transport))  # type: ignore[attr-defined]
    report = upload_missing(lossy, mine, [sha], auth=asha.auth)
    assert report.uploaded == [sha] and report.retries == 5
    assert report.bytes_sent == len(data)  # nothing sent twice, the last chunk included
    assert asha.call("GET", f"/v1/files/{sha}/content").content == data
