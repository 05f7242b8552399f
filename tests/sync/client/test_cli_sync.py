"""``pathway-desk enrol`` and ``pathway-desk sync`` as a person runs them, against a real hub."""

from __future__ import annotations

import json
from pathlib import Path

from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.sync.hub.hubkit import run_admin
from tests.sync.hub.served import RunningHub
from tests.test_cli import run_cli


def _code(settings: HubSettings, username: str) -> str:
    code, _ = run_admin(settings, admin.issue_enrol_code, username)
    return str(code)


def test_a_store_made_before_enrolment_pushes_its_records_on_first_sync(
    tmp_path: Path, hub: RunningHub, hub_settings: HubSettings,
) -> None:
    store = tmp_path / "asha"
    made = run_cli("demo", "--store", str(store), "--young-people", "2", "--seed", "5")
    assert made.returncode == 0, made.stderr
    enrolled = run_cli("enrol", "--store", str(store), "--hub", hub.url,
                       "--code", _code(hub_settings, "asha"), "--fingerprint", hub.fingerprint)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Enrolled as asha (advisor, team North)" in enrolled.stdout
    synced = run_cli("sync", "--store", str(store), "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["pushed"] > 100 and report["refused"] == [] and report["waiting"] == 0
    # The hub met the two referrals and allocated them to asha.
    listed = run_cli("list", "--store", str(store), "--json")
    ids = {row["id"] for row in json.loads(listed.stdout)}
    scope = run_admin(hub_settings, lambda s: admin.list_users(s))
    assert any(u.username == "asha" and u.young_people == len(ids) == 2 for u in scope)
    again = run_cli("sync", "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Sent 0 changes, received 0;")


def test_enrol_makes_the_store_and_refuses_a_wrong_fingerprint_or_code(
    tmp_path: Path, hub: RunningHub, hub_settings: HubSettings,
) -> None:
    store = tmp_path / "new"
    wrong = "AA:" * 31 + "AA"
    refused = run_cli("enrol", "--store", str(store), "--hub", hub.url,
                      "--code", _code(hub_settings, "ben"), "--fingerprint", wrong)
    assert refused.returncode == 1
    assert "does not match the fingerprint" in refused.stderr
    assert not (store / "key.json").exists()  # nothing half-made is left behind
    bad_code = run_cli("enrol", "--store", str(store), "--hub", hub.url, "--code", "x" * 20)
    assert bad_code.returncode == 1 and "unknown, used or expired" in bad_code.stderr
    ok = run_cli("enrol", "--store", str(store), "--hub", hub.url,
                 "--code", _code(hub_settings, "ben"))
    assert ok.returncode == 0, ok.stderr
    assert hub.fingerprint in ok.stderr  # told to check it, since none was given
    assert (store / "key.json").exists()


def test_a_revoked_laptop_wipes_its_store_and_says_why(
    tmp_path: Path, hub: RunningHub, hub_settings: HubSettings,
) -> None:
    store = tmp_path / "lost"
    assert run_cli("enrol", "--store", str(store), "--hub", hub.url, "--code",
                   _code(hub_settings, "ben"), "--fingerprint", hub.fingerprint).returncode == 0
    devices = run_admin(hub_settings, admin.list_devices)
    run_admin(hub_settings, admin.revoke_device, devices[0].id)
    gone = run_cli("sync", "--store", str(store))
    assert gone.returncode == 1
    assert "revoked" in gone.stderr and "wiped" in gone.stderr
    assert not (store / "key.json").exists() and not (store / "store.db").exists()
    assert list(store.iterdir()) == []
