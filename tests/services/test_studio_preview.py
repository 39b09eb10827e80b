"""The studio's live preview: only the owner opens a photo, the working copy cache stays within its
byte budget, bad ops are refused with a reason, and each session gets back only its own previews."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from sqlmodel import Session

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import Role
from mediashare.services import studio_preview
from tests.factories import make_user
from tests.media_files import jpeg_bytes
from tests.services.test_media import stored

RESTORE = [{"op": "auto_levels", "low": 0.5, "high": 99.5}, {"op": "clahe", "clip_limit": 2.0, "tile_size": 8}]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """The cache is process-wide: every test starts and ends without working copies."""
    studio_preview.forget_all()
    yield
    studio_preview.forget_all()


def _jpeg_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


def test_the_owner_opens_an_upright_working_copy_and_gets_the_preview_of_each_render(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "turned.jpg", jpeg_bytes(2400, 1600, orientation=6))
    opened = studio_preview.open_photo(session, actor=owner, session_key="s1", media_id=item.id)
    assert opened.original_size == (1600, 2400)  # EXIF orientation 6: portrait
    assert opened.working_size == (800, 1200)
    before = studio_preview.preview_bytes(session, actor=owner, session_key="s1", media_id=item.id,
                                          seq=opened.before_seq)
    assert _jpeg_size(before) == (800, 1200)
    first = studio_preview.render(session, actor=owner, session_key="s1", media_id=item.id,
                                  raw_ops=[{"op": "brightness", "value": 40}])
    second = studio_preview.render(session, actor=owner, session_key="s1", media_id=item.id,
                                   raw_ops=[{"op": "rotate", "quarter_turns": 1}])
    assert second.seq > first.seq and second.size == (1200, 800)
    brighter = studio_preview.preview_bytes(session, actor=owner, session_key="s1", media_id=item.id, seq=first.seq)
    turned = studio_preview.preview_bytes(session, actor=owner, session_key="s1", media_id=item.id, seq=second.seq)
    assert brighter != before and _jpeg_size(turned) == (1200, 800)


def test_nobody_else_opens_renders_or_sees_previews(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    owner = make_user(session, parent=reseller)
    item = stored(session, owner)
    opened = studio_preview.open_photo(session, actor=owner, session_key="mine", media_id=item.id)
    for actor in (make_user(session), reseller):  # a stranger, and even the owner's manager
        with pytest.raises(NotFound, match="does not exist"):
            studio_preview.open_photo(session, actor=actor, session_key="theirs", media_id=item.id)
        with pytest.raises(NotFound, match="does not exist"):
            studio_preview.render(session, actor=actor, session_key="mine", media_id=item.id, raw_ops=[])
        with pytest.raises(NotFound):
            studio_preview.preview_bytes(session, actor=actor, session_key="mine", media_id=item.id,
                                         seq=opened.before_seq)
    with pytest.raises(NotFound):  # the owner, from another session, does not get this session's previews
        studio_preview.preview_bytes(session, actor=owner, session_key="other", media_id=item.id,
                                     seq=opened.before_seq)
    with pytest.raises(NotFound):
        studio_preview.preview_bytes(session, actor=owner, session_key="mine", media_id=item.id, seq=12345)


def test_bad_ops_are_refused_with_the_reason(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    for ops, reason in (([{"op": "melt"}], "unknown operation"),
                        ([{"op": "brightness", "value": 500}], "between -100 and 100"),
                        ({"op": "brightness"}, "must be a list"),
                        ([{"op": "gamma", "value": 1.0}] * 65, "Too many operations")):
        with pytest.raises(ValidationFailed, match=reason):
            studio_preview.render(session, actor=owner, session_key="s", media_id=item.id, raw_ops=ops)


def test_the_cache_stays_within_its_budget_and_reopens_what_it_dropped(session: Session,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(session)
    items = [stored(session, owner, f"p{n}.jpg", jpeg_bytes(1600, 1200, seed=n)) for n in range(3)]
    one = 1200 * 900 * 3 * (1 + studio_preview._STAGE_FACTOR)
    monkeypatch.setattr(studio_preview, "MAX_CACHE_BYTES", int(one * 2.5))
    opened = [studio_preview.open_photo(session, actor=owner, session_key="s", media_id=item.id) for item in items]
    assert studio_preview.cached_bytes() <= studio_preview.MAX_CACHE_BYTES
    with pytest.raises(NotFound):  # the least recently used photo was dropped with its previews
        studio_preview.preview_bytes(session, actor=owner, session_key="s", media_id=items[0].id,
                                     seq=opened[0].before_seq)
    again = studio_preview.render(session, actor=owner, session_key="s", media_id=items[0].id, raw_ops=RESTORE)
    assert _jpeg_size(studio_preview.preview_bytes(session, actor=owner, session_key="s", media_id=items[0].id,
                                                   seq=again.seq)) == (1200, 900)
    assert studio_preview.cached_bytes() <= studio_preview.MAX_CACHE_BYTES


def test_only_the_latest_renders_are_kept_besides_the_unedited_one(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    opened = studio_preview.open_photo(session, actor=owner, session_key="s", media_id=item.id)
    seqs = [studio_preview.render(session, actor=owner, session_key="s", media_id=item.id,
                                  raw_ops=[{"op": "brightness", "value": value}]).seq for value in range(1, 7)]
    for old in seqs[:-studio_preview.KEEP_RENDERS]:
        with pytest.raises(NotFound):
            studio_preview.preview_bytes(session, actor=owner, session_key="s", media_id=item.id, seq=old)
    for seq in [opened.before_seq, *seqs[-studio_preview.KEEP_RENDERS:]]:
        assert studio_preview.preview_bytes(session, actor=owner, session_key="s", media_id=item.id, seq=seq)


def test_with_redis_another_worker_serves_the_preview(session: Session, redis_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from mediashare.settings import get_settings

    monkeypatch.setenv("REDIS_URL", redis_url)
    get_settings.cache_clear()
    owner = make_user(session)
    item = stored(session, owner)
    rendered = studio_preview.render(session, actor=owner, session_key="s", media_id=item.id, raw_ops=RESTORE)
    here = studio_preview.preview_bytes(session, actor=owner, session_key="s", media_id=item.id, seq=rendered.seq)
    studio_preview.forget_all()  # as seen from a worker process that did not render it
    elsewhere = studio_preview.preview_bytes(session, actor=owner, session_key="s", media_id=item.id,
                                             seq=rendered.seq)
    assert elsewhere == here
    with pytest.raises(NotFound):
        studio_preview.preview_bytes(session, actor=make_user(session), session_key="s", media_id=item.id,
                                     seq=rendered.seq)


def test_a_crop_drawn_on_the_preview_becomes_full_resolution_pixels() -> None:
    op = studio_preview.original_box(original_size=(2400, 1600), raw_ops=[], shown_size=(1200, 800),
                                     box=(100, 50, 600, 400))
    assert op == {"op": "crop", "x": 200, "y": 100, "w": 1200, "h": 800}
    turned = studio_preview.original_box(original_size=(2400, 1600), raw_ops=[{"op": "rotate", "quarter_turns": 1}],
                                         shown_size=(800, 1200), box=(0, 0, 800, 1200))
    assert turned == {"op": "crop", "x": 0, "y": 0, "w": 1600, "h": 2400}
    for box in ((-1, 0, 10, 10), (0, 0, 1201, 10), (700, 0, 600, 10), (0, 0, 0, 10)):
        with pytest.raises(ValidationFailed, match="outside the picture"):
            studio_preview.original_box(original_size=(2400, 1600), raw_ops=[], shown_size=(1200, 800), box=box)
