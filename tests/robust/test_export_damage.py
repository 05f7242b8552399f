"""Item 9: one damaged stored file does not block a subject-access export."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date

from desktop.printing.export import VERIFY_IN_MEMORY_BYTES
from models.repo import files
from tests.factories import PASSPHRASE, make_store
from tests.printing.conftest import add_photos, make_person
from tests.printing.pdftext import all_text
from tests.robust.children import cli


def _flip(path, where: float = 0.5) -> None:
    raw = bytearray(path.read_bytes())
    raw[int(len(raw) * where)] ^= 0x01
    path.write_bytes(bytes(raw))


def test_a_damaged_and_a_missing_file_are_named_and_everything_else_exported(tmp_path):
    folder = tmp_path / "store"
    st = make_store(folder)
    person = make_person(st)
    good, damaged, missing = add_photos(person, 3)
    big = os.urandom(VERIFY_IN_MEMORY_BYTES + 1024 * 1024)  # streamed, damaged near the end
    info = st.blob_store().put_bytes(big)
    with st.session() as s:
        files.add_memory(s, person.id, kind="document", blob=info, filename="birthday.mp4",
                         caption="Birthday video", memory_date=date(2023, 5, 1),
                         media_type="video/mp4")
    blobs = st.blob_store()
    _flip(blobs.path_of(damaged))
    _flip(blobs.path_of(info.sha256), 0.9)
    blobs.delete(missing)
    st.close()

    out = tmp_path / "sar.zip"
    result = cli("export", "--store", str(folder), "--young-person", person.id, "--out",
                 str(out), passphrase=PASSPHRASE, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Exported" in result.stdout
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 3 and all("could not be read" in n for n in notes)

    zf = zipfile.ZipFile(out)
    manifest = json.loads(zf.read("manifest.json"))
    unreadable = {u["path"]: u for u in manifest["unreadable"]}
    assert len(unreadable) == 3
    reasons = sorted(u["reason"].split(":")[0] for u in unreadable.values())
    assert reasons == ["Incomplete", "Not included", "Not included"]
    names = set(zf.namelist())
    whole = [u for u in unreadable.values() if not u["partial"]]
    assert all(u["path"] not in names for u in whole)  # left out, not half there
    [partial] = [u for u in unreadable.values() if u["partial"]]
    assert 0 < len(zf.read(partial["path"])) < len(big)
    assert zf.read(partial["path"]) == big[: len(zf.read(partial["path"]))]
    # The good photo and every record are there, and check out against the manifest.
    for entry in manifest["files"]:
        import hashlib

        assert hashlib.sha256(zf.read(entry["path"])).hexdigest() == entry["sha256"]
    assert good in {e["sha256"] for e in manifest["files"]}
    index = all_text(zf.read("index.pdf")).replace("\n", " ")
    assert "could not be read" in index and "damaged" in index
    for path in unreadable:
        assert path.rsplit("/", 1)[-1][:20] in index.replace(" ", "")
