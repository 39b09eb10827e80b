"""Ingest: streamed receiving with limits, dedupe, inspection, quota, storage, derivatives."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session, select

from mediashare.errors import NotFound, PermissionDenied
from mediashare.jobs import media as media_jobs
from mediashare.jobs import queue
from mediashare.models import AuditEvent, MediaItem, MediaKind, MediaStatus, MediaType, Role, User
from mediashare.services import auth, ingest, reconcile
from mediashare.services.inspection import InvalidUpload
from tests.factories import make_user
from tests.media_files import jpeg_bytes, mp4_file, png_bytes, wav_file

CLIENT = auth.Client(ip="198.51.100.9", user_agent="pytest")


def _receive(session: Session, filename: str, data: bytes, chunk: int = 64 * 1024) -> ingest.Received:
    with ingest.Receiver(ingest.storage(), filename=filename, limit=ingest.limit_for(session, filename)) as receiver:
        for start in range(0, len(data), chunk):
            receiver.write(data[start:start + chunk])
    assert receiver.result is not None
    return receiver.result


def _upload(session: Session, user: User, filename: str, data: bytes, owner: User | None = None) -> ingest.Outcome:
    received = _receive(session, filename, data)
    return ingest.store(session, actor=user, owner_id=(owner or user).id, received=received, client=CLIENT)


def _files(area: str) -> list[Path]:
    return [path for _, path in ingest.storage().keys(area)]


def test_a_photo_is_stored_with_its_metadata_and_gets_derivatives(session: Session) -> None:
    user = make_user(session)
    outcome = _upload(session, user, "IMG_0001.JPG", jpeg_bytes(1200, 900))
    assert outcome.status == "stored" and outcome.message == "IMG_0001.JPG was added."
    queue.drain_local()
    session.expire_all()
    item = session.get(MediaItem, outcome.media_id)
    assert item.status is MediaStatus.READY and item.kind is MediaKind.IMAGE
    assert (item.width, item.height, item.extension, item.mime) == (1200, 900, "jpg", "image/jpeg")
    assert item.taken_at.isoformat() == "2023-07-14T16:05:09+00:00" and item.taken_at_offset_minutes == 120
    assert item.sort_at == item.taken_at and item.exif["camera_model"] == "EOS R6"
    assert item.original_filename == "IMG_0001.JPG" and item.storage_key != "IMG_0001.JPG"
    store = ingest.storage()
    assert store.path(item.storage_key).read_bytes() == jpeg_bytes(1200, 900)  # the original, untouched
    with Image.open(store.path(item.preview_key, area="derived")) as preview:
        assert preview.format == "WEBP" and preview.size == (1200, 900)
    with Image.open(store.path(item.thumbnail_key, area="derived")) as thumb:
        assert thumb.size == (360, 360)
    assert item.preview_jpeg_key is None  # the JPEG fallback is made on its first request
    session.refresh(user)
    assert user.storage_used_bytes == item.size_bytes
    uploaded = session.exec(select(AuditEvent).where(AuditEvent.action == "media.uploaded")).one()
    assert uploaded.details["media_id"] == item.id


def test_the_same_content_again_is_a_duplicate_and_not_stored_twice(session: Session) -> None:
    user = make_user(session)
    first = _upload(session, user, "a.jpg", jpeg_bytes())
    again = _upload(session, user, "copy of a.jpg", jpeg_bytes())
    assert again.status == "duplicate" and again.media_id == first.media_id
    assert again.message == "copy of a.jpg is already in the library."
    assert len(_files("originals")) == 1 and not list(ingest.storage().incoming.iterdir())
    other = make_user(session)
    assert _upload(session, other, "a.jpg", jpeg_bytes()).status == "stored"  # dedupe is per owner


def test_video_and_audio_get_a_poster_and_a_cover(session: Session, tmp_path: Path) -> None:
    user = make_user(session)
    video = _upload(session, user, "clip.mp4", mp4_file(tmp_path / "clip.mp4").read_bytes())
    audio = _upload(session, user, "tone.wav", wav_file(tmp_path / "tone.wav").read_bytes())
    queue.drain_local()
    session.expire_all()
    for outcome, kind in ((video, MediaKind.VIDEO), (audio, MediaKind.AUDIO)):
        item = session.get(MediaItem, outcome.media_id)
        assert item.kind is kind and item.status is MediaStatus.READY and item.thumbnail_key
        assert item.duration_seconds and item.duration_seconds > 0.9


def test_a_file_over_its_type_limit_is_stopped_while_receiving(session: Session) -> None:
    session.get(MediaType, "png").max_bytes = 1000
    session.commit()
    with pytest.raises(InvalidUpload, match="larger than 1 KB"), \
            ingest.Receiver(ingest.storage(), filename="big.png", limit=ingest.limit_for(session, "big.png")) as r:
        r.write(png_bytes()[:800])
        r.write(b"\0" * 800)
    assert not list(ingest.storage().incoming.iterdir())  # the partial file is gone


def test_disabled_types_and_bad_files_are_refused_and_nothing_is_kept(session: Session) -> None:
    user = make_user(session)
    session.get(MediaType, "gif").enabled = False
    session.commit()
    with pytest.raises(InvalidUpload, match="not a supported type"):
        ingest.limit_for(session, "anim.gif")
    with pytest.raises(InvalidUpload, match="content is something else"):
        _upload(session, user, "fake.png", b"not a picture at all, just text")
    assert session.exec(select(MediaItem)).all() == []
    assert _files("originals") == [] and not list(ingest.storage().incoming.iterdir())
    session.refresh(user)
    assert user.storage_used_bytes == 0


def test_quota_is_enforced_and_nothing_is_half_stored(session: Session) -> None:
    user = make_user(session)
    first = jpeg_bytes(seed=1)
    user.storage_quota_bytes = len(first) + 100
    session.commit()
    assert _upload(session, user, "one.jpg", first).status == "stored"
    with pytest.raises(InvalidUpload, match="not enough storage left"):
        _upload(session, user, "two.jpg", jpeg_bytes(seed=2))
    assert len(session.exec(select(MediaItem)).all()) == 1 and len(_files("originals")) == 1


def test_uploading_for_someone_else_needs_the_right_to_manage_them(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    stranger = make_user(session)
    assert _upload(session, admin, "for-customer.jpg", jpeg_bytes(seed=3), owner=customer).status == "stored"
    assert session.exec(select(MediaItem)).one().owner_id == customer.id
    with pytest.raises(PermissionDenied):
        _upload(session, stranger, "nope.jpg", jpeg_bytes(seed=4), owner=customer)


def test_the_client_file_name_never_becomes_a_path(session: Session) -> None:
    user = make_user(session)
    outcome = _upload(session, user, "../../etc/passwd.jpg", jpeg_bytes(seed=5))
    item = session.get(MediaItem, outcome.media_id)
    assert item.original_filename == "passwd.jpg"
    assert ingest.storage().path(item.storage_key).is_relative_to(ingest.storage().root / "originals")


def test_derivatives_can_be_remade_and_replace_the_old_files(session: Session) -> None:
    user = make_user(session)
    outcome = _upload(session, user, "a.jpg", jpeg_bytes())
    queue.drain_local()
    session.expire_all()
    before = session.get(MediaItem, outcome.media_id).thumbnail_key
    assert media_jobs.make_derivatives(outcome.media_id) == "ready"
    session.expire_all()
    after = session.get(MediaItem, outcome.media_id).thumbnail_key
    assert after != before and len(_files("derived")) == 2


def test_reconcile_removes_unfinished_uploads_and_orphans_but_not_fresh_ones(session: Session) -> None:
    user = make_user(session)
    kept = _upload(session, user, "kept.jpg", jpeg_bytes(seed=6))
    queue.drain_local()
    # A crash after the first commit: a pending row whose file never arrived, quota reserved.
    stuck = MediaItem(owner_id=user.id, kind=MediaKind.IMAGE, original_filename="x.jpg", extension="jpg",
                      mime="image/jpeg", size_bytes=500, sha256="0" * 64, storage_key=ingest.storage().new_key(".jpg"))
    session.add(stuck)
    session.get(User, user.id).storage_used_bytes += 500
    session.commit()
    # A cut-off upload, and a file no row points at.
    partial = ingest.storage().receive_path()
    partial.write_bytes(b"half a file")
    orphan_key = ingest.storage().new_key(".jpg")
    ingest.storage().adopt(_orphan(orphan_key), key=orphan_key)

    assert reconcile.reconcile(session) == reconcile.Report(0, 0, 0)  # all fresh: left alone
    stuck.uploaded_at = stuck.uploaded_at - timedelta(hours=2)
    session.commit()
    report = reconcile.reconcile(session, grace=timedelta(seconds=-1))
    assert report == reconcile.Report(1, 1, 1)
    session.expire_all()
    assert [item.id for item in session.exec(select(MediaItem)).all()] == [kept.media_id]
    assert session.get(User, user.id).storage_used_bytes == session.get(MediaItem, kept.media_id).size_bytes
    assert len(_files("originals")) == 1 and len(_files("derived")) == 2


def test_reconcile_removes_a_derivative_whose_write_was_cut_off(session: Session, monkeypatch) -> None:
    """A process killed while writing a file leaves its temporary file; the reconciler removes it."""
    import io
    import os

    store = ingest.storage()

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt  # stands in for SIGKILL; the cleanup below is undone to leave the file

    monkeypatch.setattr(os, "unlink", lambda *_args, **_kwargs: None)  # a killed process cleans nothing
    monkeypatch.setattr(os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        store.put(io.BytesIO(b"half a thumbnail"), area="derived", suffix=".webp")
    monkeypatch.undo()
    left = list(store.leftovers("derived"))
    assert len(left) == 1 and list(store.keys("derived")) == []
    assert reconcile.reconcile(session) == reconcile.Report(0, 0, 0)  # fresh: maybe still being written
    assert reconcile.reconcile(session, grace=timedelta(seconds=-1)) == reconcile.Report(0, 0, 1)
    assert not left[0].exists()


def _orphan(key: str) -> Path:
    path = ingest.storage().receive_path().with_name(f"orphan-{key}")
    path.write_bytes(b"nobody points at me")
    return path


def test_the_owner_is_the_actor_or_an_account_the_actor_manages(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    stranger = make_user(session)
    assert ingest.require_owner(session, actor=stranger, owner_id=stranger.id) == stranger
    assert ingest.require_owner(session, actor=reseller, owner_id=customer.id) == customer
    with pytest.raises(PermissionDenied):
        ingest.require_owner(session, actor=reseller, owner_id=stranger.id)
    with pytest.raises(PermissionDenied):
        ingest.require_owner(session, actor=customer, owner_id=reseller.id)
    for nonsense in (999_999, "1", True, None):
        with pytest.raises(NotFound):
            ingest.require_owner(session, actor=reseller, owner_id=nonsense)  # type: ignore[arg-type]
