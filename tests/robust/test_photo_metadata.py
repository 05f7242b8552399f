"""Item 3: photos in printed plans and keepsake books carry no EXIF, GPS or camera details."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from desktop.printing.images import strip_jpeg_metadata
from models.repo import files
from models.repo import young_people as yp
from tests.factories import PASSPHRASE, make_store
from tests.printing.conftest import make_person
from tests.robust.children import cli

CAMERA = "SecretCam Z9"


def photo_with_gps(orientation: int = 1, size=(400, 300)) -> bytes:
    img = Image.new("RGB", size, (30, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "SecretMaker"  # Make
    exif[0x0110] = CAMERA  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (53.0, 48.0, 1.5)  # Leeds
    gps[3] = "W"
    gps[4] = (1.0, 32.0, 58.2)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif, comment=b"taken at the young person's flat")
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the GPS really is there
    return data


def assert_no_metadata(pdf: bytes) -> int:
    raw_pdf = pdf
    assert CAMERA.encode() not in raw_pdf and b"SecretMaker" not in raw_pdf
    found = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            found += 1
            data = image.data
            assert b"Exif" not in data and CAMERA.encode() not in data
            assert b"young person's flat" not in data
            opened = Image.open(io.BytesIO(data))
            assert not opened.getexif(), dict(opened.getexif())
            assert "exif" not in opened.info and "comment" not in opened.info
    return found


@pytest.mark.parametrize("orientation", [1, 6], ids=["embedded-as-is", "re-encoded"])
def test_printed_plan_and_keepsake_carry_no_photo_metadata(tmp_path, orientation):
    folder = tmp_path / "store"
    st = make_store(folder)
    person = make_person(st)
    info = st.blob_store().put_bytes(photo_with_gps(orientation))
    with st.session() as s:
        files.add_memory(s, person.id, kind="photo", blob=info, filename="flat.jpg",
                         caption="At the flat", memory_date=date(2024, 6, 1))
        yp.update_young_person(s, person.id, cover_photo_sha256=info.sha256)
    st.close()
    for command in ("print-plan", "print-keepsake"):
        out = tmp_path / f"{command}.pdf"
        result = cli(command, "--store", str(folder), "--young-person", person.id,
                     "--out", str(out), passphrase=PASSPHRASE, home=tmp_path)
        assert result.returncode == 0, result.stderr
        assert assert_no_metadata(out.read_bytes()) >= 1


def test_stripping_keeps_the_picture_and_drops_trailing_data():
    data = photo_with_gps() + b"trailer: a hidden video or maker data"
    clean = strip_jpeg_metadata(data)
    assert clean is not None and b"trailer" not in clean and b"Exif" not in clean
    before = Image.open(io.BytesIO(data)).convert("RGB").tobytes()
    assert Image.open(io.BytesIO(clean)).convert("RGB").tobytes() == before
    assert strip_jpeg_metadata(b"not a jpeg") is None
    assert strip_jpeg_metadata(data[:40]) is None
