"""The hub's own certificate: made once, kept, and never mismatched with its key."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from sync.hub.errors import BadValue
from sync.hub.tls import ensure_self_signed, fingerprint_of


def _pair_matches(cert: Path, key: Path) -> bool:
    public = x509.load_pem_x509_certificate(cert.read_bytes()).public_key()
    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    return public.public_numbers() == private.public_key().public_numbers()  # type: ignore[union-attr]


def test_made_once_and_kept(tmp_path: Path) -> None:
    cert, key = ensure_self_signed(tmp_path / "tls", "127.0.0.1")
    first = fingerprint_of(cert)
    assert ensure_self_signed(tmp_path / "tls", "127.0.0.1") == (cert, key)
    assert fingerprint_of(cert) == first
    assert _pair_matches(cert, key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["tls"]


def test_hubs_starting_together_agree_on_one_pair(tmp_path: Path) -> None:
    results: list[tuple[Path, Path]] = []
    threads = [threading.Thread(target=lambda: results.append(
        ensure_self_signed(tmp_path / "tls", "hub.example"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    cert, key = results[0]
    assert _pair_matches(cert, key)
    assert [p.name for p in tmp_path.iterdir()] == ["tls"]


def test_a_file_that_is_not_a_certificate(tmp_path: Path) -> None:
    bad = tmp_path / "cert.pem"
    bad.write_text("not a certificate")
    with pytest.raises(BadValue, match="not a PEM certificate"):
        fingerprint_of(bad)
