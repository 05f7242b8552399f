"""Files end to end through a real hub: a document added on an adviser's laptop is pushed as a
record, its file sent after it, and the manager's laptop fetches small files at once and large
ones only once the young person is pinned (or the file is opened)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from models.repo import files as files_repo
from models.repo import young_people as yp_repo
from models.schema import BlobEntry
from models.store import Store
from sync.client import SyncClient
from sync.client.connection import Hub
from sync.client.files import EAGER_MAX_BYTES, download, download_eager, pin, pinned, upload_missing


def test_a_document_and_a_video_reach_the_manager(laptop: Callable[[str], Store]) -> None:
    asha, mo = laptop("asha"), laptop("mo")
    with asha.session() as s:
        yp = yp_repo.create_young_person(s, legal_name="Amira Haile",
                                         date_of_birth=date(2006, 3, 1),
                                         allocated_pa=asha.owner_name)
    letter_bytes, video_bytes = os.urandom(3000), os.urandom(EAGER_MAX_BYTES + 1)
    letter = asha.blob_store().put_bytes(letter_bytes)
    video = asha.blob_store().put_bytes(video_bytes)
    with asha.session() as s:
        files_repo.add_document(s, yp, blob=letter, filename="letter.pdf", title="Letter")
        files_repo.add_document(s, yp, blob=video, filename="video.mp4", title="Video")
    sent = SyncClient(asha).run()  # the records first, then their files
    assert sent.files_uploaded == 2 and sent.bytes_sent >= 3000 + EAGER_MAX_BYTES + 1
    assert SyncClient(asha).run().files_uploaded == 0  # the hub has them: nothing is sent

    with asha.reader() as s:
        named = files_repo.named_files(s)
    assert {(f.sha256, f.young_person_id, f.size) for f in named} == {
        (letter.sha256, yp, 3000), (video.sha256, yp, EAGER_MAX_BYTES + 1)}
    with Hub.of(asha) as hub:
        again = upload_missing(hub.http, asha.blob_store(), [f.sha256 for f in named],
                               auth=hub.auth)
    assert again.uploaded == [] and again.already_there == 2

    first = SyncClient(mo).run()
    blobs = mo.blob_store()
    # The small letter comes at once, the large video only on demand or once pinned.
    assert first.files_downloaded == 1 and blobs.exists(letter.sha256)
    assert not blobs.exists(video.sha256)
    pin(mo, yp)  # before an offline visit
    assert pinned(mo) == {yp}
    assert SyncClient(mo).run().files_downloaded == 1
    with Hub.of(mo) as hub:
        assert download(hub.http, blobs, video.sha256, auth=hub.auth) == 0  # already here
        assert download_eager(hub.http, blobs, [], pinned(mo), auth=hub.auth).downloaded == []
    assert blobs.read_bytes(letter.sha256) == letter_bytes
    assert blobs.read_bytes(video.sha256) == video_bytes
    with mo.reader() as s:  # the manager's laptop knows the files it now holds
        held = {sha: (size, media) for sha, size, media in s.execute(
            select(BlobEntry.sha256, BlobEntry.size, BlobEntry.media_type))}
    assert held[video.sha256][0] == EAGER_MAX_BYTES + 1
    assert held[letter.sha256] == (3000, "application/pdf")


def test_a_large_file_is_fetched_when_opened_and_offline_says_what_to_do(
    laptop: Callable[[str], Store], hub: object,
) -> None:
    from sync.client import HubUnreachable, connection, fetch_file

    asha, mo = laptop("asha"), laptop("mo")
    with asha.session() as s:
        yp = yp_repo.create_young_person(s, legal_name="Tesfay Gebre",
                                         date_of_birth=date(2005, 7, 9))
    video = asha.blob_store().put_bytes(os.urandom(EAGER_MAX_BYTES + 10))
    with asha.session() as s:
        files_repo.add_document(s, yp, blob=video, filename="video.mp4", title="Video")
    SyncClient(asha).run()
    SyncClient(mo).run()
    assert not mo.blob_store().exists(video.sha256)
    assert fetch_file(mo, video.sha256) is True
    assert mo.blob_store().exists(video.sha256) and fetch_file(mo, video.sha256) is False

    other = asha.blob_store().put_bytes(os.urandom(EAGER_MAX_BYTES + 20))
    with asha.session() as s:
        files_repo.add_document(s, yp, blob=other, filename="more.mp4", title="More")
    SyncClient(asha).run()
    SyncClient(mo).run()
    creds = connection.load(mo)
    assert creds is not None
    connection.save(mo, connection.Credentials(**{**creds.__dict__,
                                                  "hub_url": "https://127.0.0.1:9"}))
    with pytest.raises(HubUnreachable, match="pin them"):
        fetch_file(mo, other.sha256)
