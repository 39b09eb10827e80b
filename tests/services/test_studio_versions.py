"""Studio versions: save → render → ready files, the original untouched, choosing what the gallery
shows, deleting, and nobody but the owner getting anywhere (both databases)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import Session, func, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.jobs import queue
from mediashare.models import AuditEvent, CreditCharge, MediaItem, MediaVersion, Role, User
from mediashare.services import gallery, ingest, media, reconcile, studio_versions
from tests.factories import make_user
from tests.media_files import jpeg_bytes, png_bytes
from tests.services.test_media import stored

CROP = [{"op": "crop", "x": 100, "y": 50, "w": 400, "h": 300}]
RESTORE = [{"op": "auto_levels", "low": 1, "high": 99}, {"op": "clahe", "clip_limit": 2.0, "tile_size": 8},
           {"op": "sharpen", "amount": 0.5, "radius": 1.5}]


def saved(session: Session, owner: User, item: MediaItem, ops: list[dict]) -> MediaVersion:
    """Save `ops` as a version of `item`, run its render job, and return the row as it ends up."""
    info = studio_versions.save_version(session, owner, item.id, json.dumps(ops))
    queue.drain_local()
    session.expire_all()
    return session.get(MediaVersion, info.id)


def derived_files() -> set[str]:
    return {key for key, _ in ingest.storage().keys("derived")}


def original_sha(item: MediaItem) -> str:
    return hashlib.sha256(ingest.storage().path(item.storage_key).read_bytes()).hexdigest()


def test_saving_renders_a_ready_version_with_its_files_and_charges_it_once(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    before = derived_files()
    info = studio_versions.save_version(session, owner, item.id, json.dumps(CROP))
    assert (info.number, info.label, info.status, info.download_url) == (1, "Edit 1", "pending", "")
    queue.drain_local()
    session.expire_all()
    version = session.get(MediaVersion, info.id)
    assert version.status.value == "ready" and version.progress == 100 and version.error == ""
    keys = studio_versions.version_keys(version)
    assert len(keys) == 4 and derived_files() == before | set(keys)
    full = ingest.storage().path(version.storage_key, area="derived")
    with Image.open(full) as picture:
        assert (picture.format, picture.size) == ("JPEG", (400, 300))
    assert (version.width, version.height, version.size_bytes) == (400, 300, full.stat().st_size)
    assert version.sha256 == hashlib.sha256(full.read_bytes()).hexdigest()
    assert version.ops == CROP and version.created_by_id == owner.id
    charge = session.get(CreditCharge, version.charge_id)
    assert (charge.account_id, charge.action, charge.status.value, charge.amount) == (
        owner.id, "studio.save", "captured", 0)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "media.version_saved")).one().details[
        "version_id"] == version.id


def test_the_original_never_changes_whatever_is_saved(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, data=jpeg_bytes(800, 600, orientation=6))
    assert original_sha(item) == item.sha256
    for ops in (CROP, RESTORE, [{"op": "rotate", "quarter_turns": 1}, {"op": "tone", "mode": "sepia"}]):
        assert saved(session, owner, item, ops).status.value == "ready"
    studio_versions.set_current(session, owner, item.id, studio_versions.list_versions(session, owner, item.id)[0].id)
    session.refresh(item)
    assert original_sha(item) == item.sha256 and item.size_bytes == len(
        ingest.storage().path(item.storage_key).read_bytes())
    numbers = [info.number for info in studio_versions.list_versions(session, owner, item.id)]
    assert numbers == [3, 2, 1]


def test_crop_is_in_upright_pixels_of_an_exif_rotated_photo(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, data=jpeg_bytes(800, 600, orientation=6))  # upright it is 600 × 800
    version = saved(session, owner, item, [{"op": "crop", "x": 0, "y": 0, "w": 600, "h": 700}])
    assert (version.width, version.height) == (600, 700)


def test_a_lossless_original_gets_a_png_version(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "scan.png", data=png_bytes(300, 200))
    version = saved(session, owner, item, [{"op": "tone", "mode": "grayscale"}])
    assert version.extension == "png"
    with Image.open(ingest.storage().path(version.storage_key, area="derived")) as picture:
        assert picture.format == "PNG" and picture.size == (300, 200)
    assert studio_versions.download_name(item, version) == "scan (edit 1).png"


def test_set_current_changes_what_the_gallery_serves_and_none_reverts(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    version = saved(session, owner, item, CROP)
    shown = {variant: media.serve(session, actor=owner, media_id=item.id, variant=variant).path.name
             for variant in ("thumbnail", "preview", "preview_jpeg", "download")}
    assert shown == {"thumbnail": item.thumbnail_key, "preview": item.preview_key,
                     "preview_jpeg": item.preview_jpeg_key, "download": item.storage_key}
    studio_versions.set_current(session, owner, item.id, version.id)
    session.refresh(item)
    assert item.current_version_id == version.id
    assert media.serve(session, actor=owner, media_id=item.id, variant="thumbnail").path.name == version.thumbnail_key
    assert media.serve(session, actor=owner, media_id=item.id, variant="preview").path.name == version.preview_key
    # the original stays what "original" and "download" give
    assert media.serve(session, actor=owner, media_id=item.id, variant="download").path.name == item.storage_key
    assert [info.current for info in studio_versions.list_versions(session, owner, item.id)] == [True]
    studio_versions.set_current(session, owner, item.id, None)
    session.refresh(item)
    assert item.current_version_id is None
    assert media.serve(session, actor=owner, media_id=item.id, variant="thumbnail").path.name == item.thumbnail_key
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.action == "media.version_selected")).all()
    assert len(actions) == 2


def test_a_version_still_rendering_cannot_be_shown(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    version = MediaVersion(media_id=item.id, number=1, ops=CROP)
    session.add(version)
    session.commit()
    with pytest.raises(ValidationFailed, match="not ready"):
        studio_versions.set_current(session, owner, item.id, version.id)


def test_deleting_a_version_removes_its_files_and_the_current_one_falls_back_to_the_original(
        session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    first, second = saved(session, owner, item, CROP), saved(session, owner, item, RESTORE)
    studio_versions.set_current(session, owner, item.id, second.id)
    keys = studio_versions.version_keys(second)
    studio_versions.delete_version(session, owner, item.id, second.id)
    assert not derived_files() & set(keys)
    assert set(studio_versions.version_keys(first)) <= derived_files()
    session.refresh(item)
    assert item.current_version_id is None
    assert media.serve(session, actor=owner, media_id=item.id, variant="thumbnail").path.name == item.thumbnail_key
    assert [info.id for info in studio_versions.list_versions(session, owner, item.id)] == [first.id]
    with pytest.raises(NotFound):
        studio_versions.delete_version(session, owner, item.id, second.id)
    assert saved(session, owner, item, CROP).number == 2  # numbers follow the highest kept one


def test_version_detail_gives_the_ops_to_keep_editing(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    version = saved(session, owner, item, RESTORE)
    detail = studio_versions.version_detail(session, owner, item.id, version.id)
    assert detail.ops == RESTORE and detail.status == "ready" and detail.width == item.width
    assert f"/api/media/{item.id}/versions/{version.id}/download?t=" in detail.download_url


def test_only_the_owner_reaches_versions_managers_and_strangers_get_not_found(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    owner = make_user(session, parent=reseller)
    item = stored(session, owner)
    version = saved(session, owner, item, CROP)
    for other in (make_user(session), reseller):
        calls = (
            lambda other=other: studio_versions.save_version(session, other, item.id, json.dumps(CROP)),
            lambda other=other: studio_versions.list_versions(session, other, item.id),
            lambda other=other: studio_versions.version_detail(session, other, item.id, version.id),
            lambda other=other: studio_versions.set_current(session, other, item.id, version.id),
            lambda other=other: studio_versions.set_current(session, other, item.id, None),
            lambda other=other: studio_versions.delete_version(session, other, item.id, version.id),
            lambda other=other: studio_versions.serve_version(session, actor=other, media_id=item.id,
                                                              version_id=version.id, variant="full"),
        )
        for call in calls:
            with pytest.raises(NotFound, match="That item does not exist"):
                call()
    # a version of another item is not reachable through one's own item either
    mine = stored(session, reseller, "mine.jpg")
    with pytest.raises(NotFound, match="That version does not exist"):
        studio_versions.version_detail(session, reseller, mine.id, version.id)
    session.expire_all()
    assert session.exec(select(func.count()).select_from(MediaVersion)).one() == 1
    assert session.get(MediaItem, item.id).current_version_id is None


@pytest.mark.parametrize(("ops", "message"), [
    ("[{\"op\": \"melt\"}]", "melt"),
    (json.dumps([{"op": "brightness", "value": 500}]), "brightness"),
    (json.dumps([{"op": "crop", "x": 0, "y": 0}]), "crop"),
    ("not json", "could not be read"),
    (json.dumps({"op": "crop"}), "list"),
    (json.dumps([]), "no edits"),
    (json.dumps([{"op": "tone", "mode": "sepia"}] * 65), "Too many"),
])
def test_invalid_ops_are_refused_with_a_reason_and_nothing_is_stored_or_charged(
        session: Session, ops: str, message: str) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    files = derived_files()
    with pytest.raises(ValidationFailed, match=message) as refused:
        studio_versions.save_version(session, owner, item.id, ops)
    assert refused.value.field == "ops"
    queue.drain_local()
    assert session.exec(select(func.count()).select_from(MediaVersion)).one() == 0
    saves = select(func.count()).select_from(CreditCharge).where(CreditCharge.action == "studio.save")
    assert session.exec(saves).one() == 0  # (the test photo's upload has its own, free, charge)
    assert derived_files() == files


def test_videos_cannot_be_edited(session: Session, tmp_path) -> None:
    from tests.media_files import mp4_file

    owner = make_user(session)
    item = stored(session, owner, "clip.mp4", data=mp4_file(tmp_path / "clip.mp4").read_bytes())
    with pytest.raises(ValidationFailed, match="Only photos"):
        studio_versions.save_version(session, owner, item.id, json.dumps(CROP))


def test_emptying_the_trash_removes_version_files_and_reconcile_keeps_live_ones(session: Session) -> None:
    owner = make_user(session)
    kept_item, gone_item = stored(session, owner, "kept.jpg"), stored(session, owner, "gone-away.jpg")
    kept = saved(session, owner, kept_item, CROP)
    gone = saved(session, owner, gone_item, CROP)
    studio_versions.set_current(session, owner, gone_item.id, gone.id)
    reconcile.reconcile(session, grace=timedelta(0))
    assert set(studio_versions.version_keys(kept)) | set(studio_versions.version_keys(gone)) <= derived_files()
    gallery.trash(session, actor=owner, ids=[gone_item.id])
    assert gallery.empty_trash(session, actor=owner) == 1
    assert not derived_files() & set(studio_versions.version_keys(gone))
    assert set(studio_versions.version_keys(kept)) <= derived_files()
    assert session.exec(select(func.count()).select_from(MediaVersion)).one() == 1


def test_concurrent_saves_of_one_item_get_distinct_numbers(session: Session, database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from mediashare import db

    owner = make_user(session)
    item = stored(session, owner)

    def save_twice(_: int) -> list[int]:
        numbers = []
        for _ in range(2):
            with db.session_scope(database_url) as own:
                numbers.append(studio_versions.save_version(own, own.get(User, owner.id), item.id,
                                                            json.dumps(CROP)).number)
        return numbers

    with ThreadPoolExecutor(4) as pool:
        numbers = sorted(number for batch in pool.map(save_twice, range(4)) for number in batch)
    queue.drain_local()
    assert numbers == list(range(1, 9))
