"""Item 5: input a person or a file can give gets one sentence saying what to do, never
"Unexpected error"; item 6: passphrases compared as Unicode text."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import threading
import unicodedata

import pytest
from sqlalchemy import select

from models.crypto import keyfile
from models.crypto.keyfile import KEY_FILE_NAME, KdfParams, read_key_file
from models.errors import ImportFailed, KeyFileDamaged, PassphraseNotText, WrongPassphrase
from models.repo import files
from models.schema import Document
from models.store import Store
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.robust.children import ROOT, child_env

# -- passphrases that are not text ------------------------------------------------------------

BAD_BYTES = b"caf\xe9 latin-1 passphrase"


def _cli_with_bytes_passphrase(*args: str, home):
    import subprocess
    import sys

    env = {os.fsencode(k): os.fsencode(v) for k, v in child_env().items()}
    env[b"PATHWAY_DESK_PASSPHRASE"] = BAD_BYTES
    env[b"PATHWAY_DESK_HOME"] = os.fsencode(str(home))
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_a_passphrase_that_is_not_utf8_is_one_clear_line_and_makes_nothing(tmp_path):
    target = tmp_path / "new"
    made = _cli_with_bytes_passphrase("demo", "--store", str(target), home=tmp_path)
    assert made.returncode == 1
    [line] = made.stderr.strip().splitlines()
    assert "not text (not UTF-8)" in line and "Unexpected" not in line
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if ".creating-" in p.name]

    existing = tmp_path / "store"
    make_store(existing).close()
    opened = _cli_with_bytes_passphrase("list", "--store", str(existing), home=tmp_path)
    assert opened.returncode == 1
    [line] = opened.stderr.strip().splitlines()
    assert "not text (not UTF-8)" in line
    with pytest.raises(PassphraseNotText):
        Store.open(existing, os.fsdecode(BAD_BYTES))


# -- key files with absurd contents -------------------------------------------------------------


def _rewrite_key(folder, change) -> None:
    path = folder / KEY_FILE_NAME
    doc = json.loads(path.read_text())
    change(doc)
    doc["checksum"] = hashlib.sha256(keyfile._canonical(doc)).hexdigest()  # a careful forger
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize(
    "field, value",
    [("lanes", 0), ("memory_cost", 1), ("iterations", -1), ("memory_cost", 1 << 40),
     ("iterations", 10**9), ("lanes", "4"), ("iterations", True), ("memory_cost", 1.5)],
)
def test_absurd_kdf_parameters_are_a_damaged_key_file(store_folder, tmp_path, field, value):
    make_store(store_folder).close()
    _rewrite_key(store_folder, lambda doc: doc["kdf"].__setitem__(field, value))
    with pytest.raises(KeyFileDamaged, match="key-derivation settings"):
        Store.open(store_folder, PASSPHRASE)
    from tests.robust.children import cli

    result = cli("list", "--store", str(store_folder), passphrase=PASSPHRASE, home=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "key file is damaged" in line and "Unexpected" not in line


def test_deeply_nested_or_huge_key_files_are_damaged(store_folder):
    make_store(store_folder).close()
    path = store_folder / KEY_FILE_NAME
    path.write_text("[" * 30_000 + "]" * 30_000)
    with pytest.raises(KeyFileDamaged, match="not valid JSON"):
        read_key_file(store_folder)
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(KeyFileDamaged, match="too large"):
        read_key_file(store_folder)
    path.write_bytes(b" " * 10_000_000)
    with pytest.raises(KeyFileDamaged, match="too large"):
        read_key_file(store_folder)


# -- importing what is not an ordinary file, or has a name that is not text --------------------


def test_a_file_whose_name_is_not_utf8_imports_and_leaves_no_orphan(store):
    from desktop.documents.file_import import import_job
    from models.progress import NEVER_CANCELLED

    yp = add_young_person(store)
    folder = store.folder.parent / "incoming"
    folder.mkdir()
    raw_name = b"letter-caf\xe9.pdf"
    with open(os.path.join(os.fsencode(folder), raw_name), "wb") as fh:
        fh.write(b"%PDF-1.4 a letter")
    [path] = list(folder.iterdir())

    def add(imported):
        with store.session() as s:
            return [files.add_document(s, yp, blob=f.blob, filename=f.filename, title="")
                    for f in imported]

    [doc_id] = import_job(store.blob_store(), [path], add)(lambda d, t: None, NEVER_CANCELLED)
    with store.reader() as s:
        doc = s.get(Document, doc_id)
        assert doc.filename == "letter-caf\ufffd.pdf"
        shas = set(s.scalars(select(Document.sha256)))
    blob_files = [p for p in store.blob_store().folder.rglob("*") if p.is_file()]
    assert len(blob_files) == len(shas) == 1


def _import_in_thread(store, path):
    outcome: list[BaseException | None] = []

    def run():
        try:
            files.import_file(store.blob_store(), path)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout=60)
    return t, outcome


def test_a_fifo_is_refused_before_it_is_opened(store, tmp_path):
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    t, outcome = _import_in_thread(store, fifo)
    if t.is_alive():  # blocked in open(): unblock it so the suite goes on, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("importing a FIFO blocked")
    [exc] = outcome
    assert isinstance(exc, ImportFailed) and "not an ordinary file" in str(exc)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused(store):
    with pytest.raises(ImportFailed, match="not an ordinary file"):
        files.import_file(store.blob_store(), "/dev/zero")


# -- item 6: the same passphrase however its accents were typed ----------------------------------

NFC = unicodedata.normalize("NFC", "café au lait, s'il vous plaît")
NFD = unicodedata.normalize("NFD", NFC)


@pytest.mark.parametrize("made_with, typed", [(NFC, NFD), (NFD, NFC)])
def test_a_store_opens_however_the_accents_are_typed(tmp_path, made_with, typed):
    assert made_with != typed
    folder = tmp_path / "store"
    Store.create(folder, made_with, owner_name="A", kdf=KdfParams.fast_for_tests()).close()
    Store.open(folder, typed).close()
    Store.open(folder, made_with).close()
    with pytest.raises(WrongPassphrase):
        Store.open(folder, NFC.replace("café", "cafe"))


def _old_style_key_file(folder, secret: bytes) -> None:
    """Re-wrap the store's data key under raw bytes, as versions before NFC did."""
    doc = read_key_file(folder)
    data_key = keyfile.unwrap_data_key(doc, PASSPHRASE)
    params = KdfParams.fast_for_tests()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = keyfile._kek(secret, salt, params)
    doc["kdf"] = {"name": "argon2id", "salt": keyfile._b64(salt), "memory_cost": 64,
                  "iterations": 1, "lanes": 1}
    doc["wrap"] = {"alg": "AES-256-GCM", "nonce": keyfile._b64(nonce), "ciphertext":
                   keyfile._b64(AESGCM(kek).encrypt(nonce, data_key,
                                                    keyfile._aad(doc["store_id"], salt, params)))}
    doc.pop("checksum")
    doc["checksum"] = hashlib.sha256(keyfile._canonical(doc)).hexdigest()
    keyfile.write_key_file(folder, doc)


@pytest.mark.parametrize("typed_then", [NFD, NFC], ids=["typed-as-made", "typed-the-other-way"])
def test_a_store_made_before_still_opens_and_is_rewrapped_to_nfc(store_folder, typed_then):
    make_store(store_folder).close()
    _old_style_key_file(store_folder, NFD.encode("utf-8"))  # made with NFD bytes, as typed
    before = (store_folder / KEY_FILE_NAME).read_bytes()
    Store.open(store_folder, typed_then).close()
    after = (store_folder / KEY_FILE_NAME).read_bytes()
    assert after != before  # re-wrapped...
    doc = read_key_file(store_folder)
    data_key, rewrap = keyfile.unwrap_data_key_any_form(doc, NFC)
    assert not rewrap  # ...under the NFC form, which is now tried (and found) first
    Store.open(store_folder, NFD).close()
    assert (store_folder / KEY_FILE_NAME).read_bytes() == after  # no second re-wrap
