"""End to end: ``pathway-hub serve`` over HTTPS on loopback, with a laptop enrolling, pinning
the printed fingerprint, signing its requests, and being revoked."""

from __future__ import annotations

import ssl
from pathlib import Path

from typer.testing import CliRunner

from sync.auth import DeviceAuth, certificate_fingerprint, new_device_key, public_key_text
from sync.hub.cli import app
from tests.sync.hub.served import serving

YP = "6f0c3c1e-2b1a-4f55-9c0e-1d2e3f4a5b6c"


def hub(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_serve_with_no_options_just_works(hub_home: Path) -> None:
    """No --database: SQLite in the data folder; a certificate made on first start and the
    same one (same fingerprint) on the next."""
    hub("team", "add", "North")
    hub("user", "add", "asha", "--team", "North", "--role", "advisor")
    hub("allocate", YP, "asha")
    code = hub("enrol-code", "asha").strip().splitlines()[-1]
    with serving(hub_home) as served:
        assert (hub_home / "hub.db").exists()
        # The certificate the server presents is the one whose fingerprint it printed.
        der = ssl.get_server_certificate(("127.0.0.1", int(served.url.rsplit(":", 1)[1])))
        assert certificate_fingerprint(ssl.PEM_cert_to_DER_cert(der)) == served.fingerprint
        with served.client() as client:
            assert client.get("/health").json()["status"] == "ok"
            assert "/v1/scope" in client.get("/openapi.json").json()["paths"]
            key = new_device_key()
            enrolled = client.post("/v1/enrol", json={"code": code,
                                                      "public_key": public_key_text(key)})
            assert enrolled.status_code == 201, enrolled.text
            device_id = enrolled.json()["device_id"]
            auth = DeviceAuth(key, device_id)
            assert client.get("/v1/scope", auth=auth).json()["young_people"] == [YP]
            assert client.get(f"/v1/young-people/{YP}/allocation", auth=auth).status_code == 200
            assert device_id in hub("device", "list")
            hub("device", "revoke", device_id)
            gone = client.get("/v1/scope", auth=auth)
            assert gone.status_code == 410 and gone.json()["action"] == "wipe"
        first = served.fingerprint
    with serving(hub_home) as again:
        assert again.fingerprint == first
    assert "revoked" in hub("device", "list")
    assert "read allocation\tallowed" in hub("audit", "--user", "asha")


def test_serve_with_the_councils_own_certificate(hub_home: Path, tmp_path: Path) -> None:
    from sync.hub.tls import ensure_self_signed, fingerprint_of

    cert, key = ensure_self_signed(tmp_path / "council", "127.0.0.1")
    with serving(hub_home, "--cert", str(cert), "--key", str(key),
                 "--database", f"sqlite:///{tmp_path / 'other.db'}") as served:
        assert served.fingerprint == fingerprint_of(cert)
        assert not (hub_home / "tls").exists()


def test_more_laptops_at_once_than_worker_threads(hub_home: Path) -> None:
    """60 signed requests at once (more than the server's 40 worker threads), on SQLite, where
    each request takes the write lock: every one is answered. (A transaction left open across
    worker threads once stalled exactly this.)"""
    import threading

    hub("team", "add", "North")
    laptops = 60
    codes = []
    for i in range(laptops):
        hub("user", "add", f"a{i}", "--team", "North", "--role", "advisor")
        codes.append(hub("enrol-code", f"a{i}").strip().splitlines()[-1])
    env = {"PATHWAY_HUB_ENROL_ATTEMPTS_PER_CLIENT": "1000"}
    with serving(hub_home, env=env) as served, served.client() as client:
        auths = []
        for code in codes:
            key = new_device_key()
            answer = client.post("/v1/enrol", json={"code": code,
                                                    "public_key": public_key_text(key)})
            auths.append(DeviceAuth(key, answer.json()["device_id"]))
        statuses: list[int] = []
        go = threading.Barrier(laptops)

        def laptop(auth: DeviceAuth) -> None:
            with served.client() as own:
                own.get("/health")
                go.wait()
                statuses.append(own.get("/v1/scope", auth=auth).status_code)

        threads = [threading.Thread(target=laptop, args=(a,)) for a in auths]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert statuses == [200] * laptops
