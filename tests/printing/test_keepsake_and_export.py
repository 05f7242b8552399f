"""The keepsake book and the subject-access export."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest

from desktop.printing import export_young_person, render_keepsake
from desktop.printing.export import RECORD_KINDS
from models.errors import BlobMissing, Cancelled, RecordNotFound
from models.progress import CancelToken
from models.repo import care_leaver_facts
from tests.factories import add_note
from tests.printing.conftest import ARABIC_NAME, add_photos
from tests.printing.pdftext import all_text, flat, reader


def test_keepsake_has_photos_captions_dates_and_memories(person):
    add_photos(person, 3)
    out = io.BytesIO()
    render_keepsake(person.record(), person.store.blob_store().read_bytes, out)
    pdf = out.getvalue()
    text = all_text(pdf)
    assert ARABIC_NAME in text and "My memory box" in text
    for i in range(3):
        assert f"Photo caption {i}" in text
    assert "5 January 2021" in text
    assert "We made a snowman outside the flat." in text
    assert sum(len(p.images) for p in reader(pdf).pages) == 3


def test_keepsake_survives_a_missing_photo(person):
    add_photos(person, 1)

    def missing(sha):
        raise BlobMissing(sha)

    out = io.BytesIO()
    render_keepsake(person.record(), missing, out)
    assert "not on this laptop yet" in all_text(out.getvalue())


def test_export_holds_index_records_and_every_file(person, tmp_path):
    shas = add_photos(person, 3)
    add_note(person.store, person.id, summary="Visit at the flat")
    with person.store.session() as s:
        care_leaver_facts.record_facts(
            s, person.id, recorded_on=date(2026, 5, 2), in_touch="YES", activity="P4",
            accommodation="Z", accommodation_suitable=True,
        )
    target = tmp_path / "export.zip"
    seen = []
    summary = export_young_person(person.store, person.id, target, lambda d, t: seen.append(d))
    assert summary.files == 3 and seen[-1] == seen[-1]
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert "index.pdf" in names and "manifest.json" in names
        for kind in RECORD_KINDS:
            doc = json.loads(zf.read(f"records/{kind}.json"))
            assert doc["kind"] == kind and doc["young_person_id"] == person.id
            assert reader(zf.read(f"records/{kind}.pdf")).pages
        stored = [n for n in names if n.startswith("files/")]
        digests = sorted(hashlib.sha256(zf.read(n)).hexdigest() for n in stored)
        assert digests == sorted(shas)
        manifest = json.loads(zf.read("manifest.json"))["files"]
        for entry in manifest:
            assert hashlib.sha256(zf.read(entry["path"])).hexdigest() == entry["sha256"]
        assert "Visit at the flat" in all_text(zf.read("records/contact-notes.pdf"))
        facts = flat(all_text(zf.read("records/care-leaver-return.pdf")))
        assert "Apprenticeship,parttime(P4)" in facts and "(StayingPut)(Z)" in facts
        (fact,) = json.loads(zf.read("records/care-leaver-return.json"))["records"]
        assert (fact["activity"], fact["accommodation"]) == ("P4", "Z")
        index = flat(all_text(zf.read("index.pdf")))
        assert "Yourrecords" in index and "records/contact-notes.pdf" in index
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "store") == ["export.zip"]


def test_a_missing_file_does_not_stop_the_export(person, tmp_path):
    shas = add_photos(person, 2)
    person.store.blob_store().delete(shas[1])
    target = tmp_path / "out" / "export.zip"
    target.parent.mkdir()
    summary = export_young_person(person.store, person.id, target)
    assert list(target.parent.iterdir()) == [target]
    [unreadable] = json.loads(zipfile.ZipFile(target).read("manifest.json"))["unreadable"]
    assert "not been copied" in unreadable["reason"] and not unreadable["partial"]
    assert any("could not be read" in n for n in summary.notices)


def test_cancelled_export_leaves_no_file(person, tmp_path):
    add_photos(person, 2)
    token = CancelToken()
    token.cancel()
    target = tmp_path / "out" / "export.zip"
    target.parent.mkdir()
    with pytest.raises(Cancelled):
        export_young_person(person.store, person.id, target, cancel=token)
    assert list(target.parent.iterdir()) == []


def test_export_of_unknown_young_person_is_refused(store, tmp_path):
    with pytest.raises(RecordNotFound):
        export_young_person(store, "no-such-id", tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
