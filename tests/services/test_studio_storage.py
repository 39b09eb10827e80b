"""Studio versions count in the owner's storage quota: reserved at save (refused when it does not
fit, before anything is rendered or charged), settled to the real file size when the render
commits, given back when it fails, when the version or its item is deleted, and moved with the
item to a new owner (both databases)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from sqlmodel import Session, func, select

from mediashare.errors import ValidationFailed
from mediashare.jobs import queue
from mediashare.jobs import studio as studio_jobs
from mediashare.models import CreditCharge, MediaItem, MediaVersion, Role, User, VersionStatus
from mediashare.services import gallery, ingest, media_admin, studio_versions
from tests.factories import make_user
from tests.services.test_media import stored
from tests.services.test_studio_versions import CROP, RESTORE, saved


def used(session: Session, user: User) -> int:
    session.expire_all()
    return session.get(User, user.id).storage_used_bytes


def render_later(version_id: int) -> None:
    """A render job that has not run yet (the queue holds it)."""


def hold_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves queue a job that does nothing, so versions stay pending until a test renders them."""
    monkeypatch.setattr(studio_versions, "RENDER_JOB", f"{__name__}.render_later")


def noisy_jpeg(width: int, height: int, quality: int) -> bytes:
    pixels = np.random.default_rng(5).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def test_a_ready_version_counts_its_file_and_a_pending_one_its_reservation(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    assert used(session, owner) == item.size_bytes
    version = saved(session, owner, item, CROP)
    assert version.status is VersionStatus.READY and version.size_bytes > 0
    assert used(session, owner) == item.size_bytes + version.size_bytes

    hold_renders(monkeypatch)
    info = studio_versions.save_version(session, owner, item.id, json.dumps(RESTORE))
    queue.drain_local()
    reserved = studio_versions.reserved_bytes(item, "jpg")
    assert reserved >= 640 * 480
    assert used(session, owner) == item.size_bytes + version.size_bytes + reserved
    assert studio_jobs.render_version(info.id) == "ready"
    second = session.get(MediaVersion, info.id)
    assert used(session, owner) == item.size_bytes + version.size_bytes + second.size_bytes


def test_a_save_that_does_not_fit_is_refused_with_the_free_space_and_nothing_is_kept(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    free = studio_versions.reserved_bytes(item, "jpg") - 1
    owner = session.get(User, owner.id)
    owner.storage_quota_bytes = item.size_bytes + free
    session.commit()
    charges = session.exec(select(func.count()).select_from(CreditCharge)).one()
    with pytest.raises(ValidationFailed, match=r"not enough storage left to save this edit: it needs up to .* "
                                               r"and 300 KB of your .* is free"):
        studio_versions.save_version(session, owner, item.id, json.dumps(CROP))
    queue.drain_local()
    assert used(session, owner) == item.size_bytes
    assert session.exec(select(func.count()).select_from(MediaVersion)).one() == 0
    assert session.exec(select(func.count()).select_from(CreditCharge)).one() == charges

    owner = session.get(User, owner.id)
    owner.storage_quota_bytes += 1  # exactly enough room: it saves
    session.commit()
    version = saved(session, owner, item, CROP)
    assert version.status is VersionStatus.READY
    assert used(session, owner) == item.size_bytes + version.size_bytes


def test_a_failed_render_gives_the_reservation_back_and_releases_the_hold(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    ingest.storage().path(item.storage_key).unlink()  # the render cannot read the original
    version = saved(session, owner, item, CROP)
    assert version.status is VersionStatus.FAILED and version.storage_key is None
    assert used(session, owner) == item.size_bytes
    assert session.get(CreditCharge, version.charge_id).status.value == "released"


def test_an_edit_bigger_than_its_reservation_that_no_longer_fits_fails_and_keeps_nothing(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(session)
    item = stored(session, owner, "grain.jpg", noisy_jpeg(400, 300, quality=60))
    reserved = studio_versions.reserved_bytes(item, "jpg")
    assert reserved == 400 * 300  # sharpened grain saved at quality 92 is well over one byte a pixel
    owner = session.get(User, owner.id)
    owner.storage_quota_bytes = item.size_bytes + reserved + 1000
    session.commit()
    before = {key for key, _ in ingest.storage().keys("derived")}
    sharpen = [{"op": "sharpen", "amount": 2.0, "radius": 1.0}]
    version = saved(session, owner, item, sharpen)
    assert version.status is VersionStatus.FAILED
    assert "more than was set aside" in version.error and "free" in version.error
    assert used(session, owner) == item.size_bytes
    assert {key for key, _ in ingest.storage().keys("derived")} == before
    assert session.get(CreditCharge, version.charge_id).status.value == "released"

    owner = session.get(User, owner.id)
    owner.storage_quota_bytes = None  # the platform default has room: the same edit settles its real size
    session.commit()
    version = saved(session, owner, item, sharpen)
    assert version.status is VersionStatus.READY and version.size_bytes > reserved
    assert used(session, owner) == item.size_bytes + version.size_bytes


def test_deleting_a_version_gives_its_bytes_back_ready_or_pending(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    ready = saved(session, owner, item, CROP)
    hold_renders(monkeypatch)
    pending = studio_versions.save_version(session, owner, item.id, json.dumps(RESTORE))
    queue.drain_local()
    assert used(session, owner) == item.size_bytes + ready.size_bytes + studio_versions.reserved_bytes(item, "jpg")
    studio_versions.delete_version(session, owner, item.id, pending.id)
    assert used(session, owner) == item.size_bytes + ready.size_bytes
    assert studio_jobs.render_version(pending.id) == "missing"  # a late job keeps and charges nothing
    assert used(session, owner) == item.size_bytes + ready.size_bytes
    studio_versions.delete_version(session, owner, item.id, ready.id)
    assert used(session, owner) == item.size_bytes


def test_purging_an_item_gives_back_its_versions_bytes_too(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(session)
    kept, gone = stored(session, owner, "kept.jpg"), stored(session, owner, "gone-away.jpg")
    kept_version = saved(session, owner, kept, CROP)
    saved(session, owner, gone, CROP)
    saved(session, owner, gone, RESTORE)
    hold_renders(monkeypatch)
    studio_versions.save_version(session, owner, gone.id, json.dumps(CROP))  # still pending at the purge
    queue.drain_local()
    assert used(session, owner) > kept.size_bytes + kept_version.size_bytes + gone.size_bytes
    gallery.trash(session, actor=owner, ids=[gone.id])
    assert gallery.empty_trash(session, actor=owner) == 1
    assert used(session, owner) == kept.size_bytes + kept_version.size_bytes


def test_moving_an_item_moves_its_versions_bytes_and_needs_room_for_them(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = make_user(session, role=Role.ADMIN)
    alice, bob = make_user(session), make_user(session)
    item = stored(session, alice)
    version = saved(session, alice, item, CROP)
    hold_renders(monkeypatch)
    pending = studio_versions.save_version(session, alice, item.id, json.dumps(RESTORE))
    queue.drain_local()
    reserved = studio_versions.reserved_bytes(item, "jpg")
    total = item.size_bytes + version.size_bytes + reserved
    assert used(session, alice) == total

    bob = session.get(User, bob.id)
    bob.storage_quota_bytes = total - 1  # room for the original, not for its versions
    session.commit()
    with pytest.raises(ValidationFailed, match=r"does not have enough storage left for this item .*is free"):
        media_admin.move(session, actor=admin, media_id=item.id, new_owner=bob.username)
    assert (used(session, alice), used(session, bob)) == (total, 0)

    bob = session.get(User, bob.id)
    bob.storage_quota_bytes = None
    session.commit()
    media_admin.move(session, actor=admin, media_id=item.id, new_owner=bob.username)
    assert (used(session, alice), used(session, bob)) == (0, total)
    assert studio_jobs.render_version(pending.id) == "ready"  # settles on the new owner
    rendered = session.get(MediaVersion, pending.id)
    assert (used(session, alice), used(session, bob)) == (
        0, item.size_bytes + version.size_bytes + rendered.size_bytes)
    assert session.get(MediaItem, item.id).owner_id == bob.id
