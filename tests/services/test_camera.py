"""Camera sessions: capture time written into the stored JPEG, the quad composed from four shots,
the session paid once per batch and nothing stored when the credits do not cover it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PIL import Image
from sqlmodel import Session, select

from mediashare.errors import InsufficientCredits, NotFound, ValidationFailed
from mediashare.imaging import photobooth
from mediashare.jobs import queue
from mediashare.models import ChargeStatus, CreditCharge, MediaItem, User
from mediashare.services import albums, camera, credits, ingest, ledger
from tests.factories import make_user
from tests.media_files import synthetic_photo
from tests.services.test_credit_prices import _balance, _set, _with_credits
from tests.services.test_ingest import CLIENT, _receive

TAKEN = datetime(2026, 11, 21, 14, 30, 5, tzinfo=UTC)


def _canvas_jpeg(seed: int, width: int = 640, height: int = 480) -> bytes:
    """A JPEG like a browser canvas makes: JFIF, no EXIF."""
    buffer = io.BytesIO()
    synthetic_photo(width, height, seed=seed).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _shots(session: Session, count: int, *, keep: bool = True, offset: int = 60) -> list[camera.Shot]:
    return [camera.Shot(received=_receive(session, f"camera-{i}.jpg", _canvas_jpeg(seed=30 + i)),
                        taken_at=TAKEN + timedelta(seconds=i), offset_minutes=offset, keep=keep)
            for i in range(count)]


def _items(session: Session, user: User) -> list[MediaItem]:
    session.expire_all()
    return list(session.exec(select(MediaItem).where(MediaItem.owner_id == user.id).order_by(MediaItem.id)))


def test_stamping_adds_the_capture_time_and_keeps_the_picture_data() -> None:
    original = _canvas_jpeg(seed=3)
    stamped = camera.stamp_jpeg(original, camera.exif_block(TAKEN, -300))
    with Image.open(io.BytesIO(stamped)) as image:
        details = image.getexif().get_ifd(0x8769)
        assert details[0x9003] == "2026:11:21 09:30:05" and details[0x9011] == "-05:00"
        assert np.array_equal(np.asarray(image), np.asarray(Image.open(io.BytesIO(original))))
    again = camera.stamp_jpeg(stamped, camera.exif_block(TAKEN, 0))  # an earlier EXIF is replaced
    assert Image.open(io.BytesIO(again)).getexif().get_ifd(0x8769)[0x9003] == "2026:11:21 14:30:05"
    with pytest.raises(ValueError):
        camera.stamp_jpeg(b"GIF89a....", camera.exif_block(TAKEN, 0))


def test_kept_shots_are_stored_with_their_capture_time_and_discarded_ones_are_not(session: Session) -> None:
    user = make_user(session)
    shots = _shots(session, 3)
    shots[1] = camera.Shot(shots[1].received, shots[1].taken_at, 60, keep=False)
    batch = camera.keep_session(session, actor=user, shots=shots, client=CLIENT)
    assert [r.status for r in batch.results] == ["stored", "stored"]
    items = _items(session, user)
    assert [item.original_filename for item in items] == ["camera-20261121-153005-1.jpg",
                                                          "camera-20261121-153007-3.jpg"]
    assert items[0].taken_at == TAKEN and items[0].taken_at_offset_minutes == 60
    assert items[1].taken_at == TAKEN + timedelta(seconds=2)
    with Image.open(ingest.storage().path(items[0].storage_key)) as stored:
        assert stored.getexif().get_ifd(0x8769)[0x9003] == "2026:11:21 15:30:05"
    assert not list(ingest.storage().incoming.iterdir())  # every received shot is gone
    queue.drain_local()


def test_a_quad_is_one_picture_twice_the_frame_with_the_four_shots_as_quadrants(session: Session) -> None:
    user = make_user(session)
    shots = _shots(session, 4, keep=False)
    frames = [np.asarray(Image.open(shot.received.path).convert("RGB")) for shot in shots]
    style = camera.QuadStyle(border=8, color=(0, 0, 0))
    batch = camera.keep_session(session, actor=user, shots=shots, quad=style, client=CLIENT)
    assert [r.status for r in batch.results] == ["stored"]
    (item,) = _items(session, user)
    assert item.original_filename.startswith("photobooth-")
    assert (item.width, item.height) == (2 * 640 + 24, 2 * 480 + 24)
    assert item.taken_at == TAKEN
    with Image.open(ingest.storage().path(item.storage_key)) as stored:
        picture = np.asarray(stored.convert("RGB")).astype(int)
    for index, frame in enumerate(frames):  # re-encoded once: close to each frame, far from the others
        cell = photobooth.quadrant(picture, index, frame_size=(640, 480), border=8)
        assert np.abs(cell - frame).mean() < 4
        assert np.abs(cell - frames[(index + 1) % 4]).mean() > 10


def test_a_quad_with_its_singles_stores_five_pictures(session: Session) -> None:
    user = make_user(session)
    batch = camera.keep_session(session, actor=user, shots=_shots(session, 4),
                                quad=camera.QuadStyle(caption="Party", date=True), client=CLIENT)
    assert batch.stored == 5
    assert _items(session, user)[0].height == 2 * 480 + photobooth.strip_height(480)


def test_a_quad_needs_four_shots(session: Session) -> None:
    user = make_user(session)
    with pytest.raises(ValidationFailed, match="four"):
        camera.keep_session(session, actor=user, shots=_shots(session, 3), quad=camera.QuadStyle(), client=CLIENT)
    assert not _items(session, user) and not list(ingest.storage().incoming.iterdir())


def test_the_session_is_paid_once_per_batch_on_top_of_each_photo(session: Session) -> None:
    _set(session, camera_session=5, upload_photo=1)
    user = _with_credits(session, 20)
    batch = camera.keep_session(session, actor=user, shots=_shots(session, 3), client=CLIENT)
    assert batch.stored == 3 and batch.session_price == 5
    assert _balance(session, user) == 20 - 5 - 3
    charge = session.exec(select(CreditCharge).where(CreditCharge.action == credits.Action.CAMERA_SESSION.value)).one()
    assert charge.status is ChargeStatus.CAPTURED and charge.amount == 5


def test_not_enough_credits_stores_nothing_and_says_so(session: Session) -> None:
    _set(session, camera_session=5, upload_photo=1)
    user = _with_credits(session, 7)
    with pytest.raises(InsufficientCredits, match=r"needs 8 credits, you have 7.*Nothing was stored"):
        camera.keep_session(session, actor=user, shots=_shots(session, 3), client=CLIENT)
    assert not _items(session, user) and _balance(session, user) == 7
    assert not session.exec(select(CreditCharge)).all()
    assert not list(ingest.storage().incoming.iterdir())


def test_a_batch_that_stores_nothing_gives_the_session_price_back(session: Session) -> None:
    _set(session, camera_session=5)
    user = _with_credits(session, 10)
    first = camera.keep_session(session, actor=user, shots=_shots(session, 1), client=CLIENT)
    assert first.stored == 1 and _balance(session, user) == 5
    again = camera.keep_session(session, actor=user, shots=_shots(session, 1), client=CLIENT)  # same bytes
    assert [r.status for r in again.results] == ["duplicate"] and again.session_price == 0
    assert _balance(session, user) == 5
    assert ledger.balance(session, user=user) == 5


def test_a_shot_that_is_not_a_jpeg_is_refused(session: Session) -> None:
    user = make_user(session)
    png = io.BytesIO()
    synthetic_photo(640, 480, seed=1).save(png, "PNG")
    received = _receive(session, "camera-1.jpg", png.getvalue())
    with pytest.raises(ValidationFailed, match="JPEG"):
        camera.keep_session(session, actor=user, shots=[camera.Shot(received, TAKEN)], client=CLIENT)
    assert not _items(session, user)


def test_border_colors_are_read_from_hex() -> None:
    assert camera.parse_color("#ff8000") == (255, 128, 0)
    with pytest.raises(ValidationFailed):
        camera.parse_color("orange")


def test_kept_shots_go_into_a_new_album_or_one_of_the_actors_own(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    batch = camera.keep_session(session, actor=user, shots=_shots(session, 2), client=CLIENT,
                                album=camera.AlbumChoice(new_title="  Photo booth   21 Nov 2026 "))
    assert batch.stored == 2 and batch.album_title == "Photo booth 21 Nov 2026"
    assert [card.id for card in albums.list_items(session, actor=user, album_id=batch.album_id).cards] == \
        [result.media_id for result in batch.results]
    third = camera.Shot(received=_receive(session, "camera-9.jpg", _canvas_jpeg(seed=99)), taken_at=TAKEN)
    again = camera.keep_session(session, actor=user, shots=[third], client=CLIENT,
                                album=camera.AlbumChoice(album_id=batch.album_id))
    assert again.album_id == batch.album_id
    assert albums.info(session, actor=user, album_id=batch.album_id).count == 3
    theirs = albums.create(session, actor=other, title="Not yours")
    for choice in (camera.AlbumChoice(album_id=theirs.id), camera.AlbumChoice(new_title="   ")):
        with pytest.raises((NotFound, ValidationFailed)):
            camera.keep_session(session, actor=user, shots=_shots(session, 1), client=CLIENT, album=choice)
    assert len(_items(session, user)) == 3  # a refused album stores nothing
    assert albums.info(session, actor=other, album_id=theirs.id).count == 0
    assert not list(ingest.storage().incoming.iterdir())
    queue.drain_local()


def test_album_paths_list_only_the_actors_albums_with_their_parents(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    parties = albums.create(session, actor=user, title="Parties")
    inner = albums.create(session, actor=user, title="Anna 30", parent_id=parties.id)
    zoo = albums.create(session, actor=user, title="zoo")
    albums.create(session, actor=other, title="Theirs")
    assert albums.album_paths(session, actor=user) == [(parties.id, "Parties"), (inner.id, "Parties / Anna 30"),
                                                        (zoo.id, "zoo")]
