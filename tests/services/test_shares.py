"""Share links: who may share what, expiry, revocation, passwords (and their throttle), view counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from mediashare.errors import Gone, NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from mediashare.models import AuditEvent, Notification, Role, ShareLink, utc_now
from mediashare.services import albums, auth, shares
from tests.factories import make_user
from tests.services.test_media import stored

VISITOR = auth.Client(ip="198.51.100.9", user_agent="pytest")


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_only_owners_and_their_managers_share_and_the_link_is_not_in_the_database(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER, verified=True)
    owner = make_user(session, parent=reseller, verified=True)
    stranger = make_user(session, verified=True)
    item = stored(session, owner)
    created = shares.create(session, actor=owner, media_id=item.id)
    token = _token(created.url)
    assert created.url.endswith(f"/s/{token}") and len(token) >= 40
    row = session.get(ShareLink, created.share.id)
    assert token not in (row.token_hash, row.nonce) and shares.link_url(row) == created.url
    by_manager = shares.create(session, actor=reseller, media_id=item.id)
    assert by_manager.share.owner_id == owner.id
    with pytest.raises(NotFound):
        shares.create(session, actor=stranger, media_id=item.id)
    album = albums.create(session, actor=owner, title="Trip")
    with pytest.raises(NotFound):
        shares.create(session, actor=stranger, album_id=album.id)
    with pytest.raises(PermissionDenied, match="Verify your email"):
        shares.create(session, actor=make_user(session), media_id=item.id)
    with pytest.raises(ValidationFailed):
        shares.create(session, actor=owner, media_id=item.id, album_id=album.id)
    assert {r.id for r in shares.list_mine(session, actor=owner)} == {created.share.id, by_manager.share.id}
    assert shares.list_mine(session, actor=stranger) == []
    with pytest.raises(NotFound):
        shares.revoke(session, actor=stranger, share_id=created.share.id)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "share.created")).all()


def test_an_album_link_shows_its_visible_items_and_serves_nothing_else(session: Session) -> None:
    owner = make_user(session, verified=True)
    inside, trashed, outside = (stored(session, owner, name) for name in ("a.jpg", "bb.jpg", "ccc.jpg"))
    album = albums.create(session, actor=owner, title="Wedding")
    albums.add_items(session, actor=owner, album_id=album.id, ids=[inside.id, trashed.id])
    trashed.trashed_at = utc_now()
    session.commit()
    token = _token(shares.create(session, actor=owner, album_id=album.id).url)
    opened = shares.open_share(session, token=token, unlock_token=None)
    assert opened.kind == "album" and opened.title == "Wedding" and not opened.needs_password
    assert [i.id for i in opened.items] == [inside.id]
    assert shares.serve(session, token=token, unlock_token=None, media_id=inside.id, variant="preview").path.is_file()
    for media_id in (trashed.id, outside.id):
        with pytest.raises(NotFound):
            shares.serve(session, token=token, unlock_token=None, media_id=media_id, variant="preview")
    with pytest.raises(PermissionDenied, match="did not allow downloads"):
        shares.serve(session, token=token, unlock_token=None, media_id=inside.id, variant="download")


def test_expired_and_revoked_links_are_gone_with_a_clear_sentence(session: Session) -> None:
    owner = make_user(session, verified=True)
    item = stored(session, owner)
    week = shares.create(session, actor=owner, media_id=item.id, expires="7d")
    assert timedelta(days=6, hours=23) < week.share.expires_at - utc_now() <= timedelta(days=7)
    token = _token(week.url)
    shares.open_share(session, token=token, unlock_token=None)
    row = session.get(ShareLink, week.share.id)
    row.expires_at = utc_now() - timedelta(seconds=1)
    session.commit()
    with pytest.raises(Gone, match="expired"):
        shares.open_share(session, token=token, unlock_token=None)
    with pytest.raises(Gone, match="expired"):
        shares.serve(session, token=token, unlock_token=None, media_id=item.id, variant="thumbnail")
    assert shares.list_mine(session, actor=owner)[0].status == "expired"

    live = shares.create(session, actor=owner, media_id=item.id, expires="custom",
                         custom_date=(utc_now() + timedelta(days=3)).date().isoformat())
    shares.revoke(session, actor=owner, share_id=live.share.id)
    with pytest.raises(Gone, match="turned off"):
        shares.open_share(session, token=_token(live.url), unlock_token=None)
    with pytest.raises(Gone):
        shares.serve(session, token=_token(live.url), unlock_token=None, media_id=item.id, variant="preview")
    with pytest.raises(NotFound, match="does not exist"):
        shares.open_share(session, token=_token(live.url)[:-2] + "xx", unlock_token=None)
    for bad in ({"expires": "forever"}, {"expires": "custom", "custom_date": "2001-01-01"},
                {"expires": "custom", "custom_date": "tomorrow"}):
        with pytest.raises(ValidationFailed):
            shares.create(session, actor=owner, media_id=item.id, **bad)


def test_a_password_unlocks_only_its_own_link_and_guessing_is_throttled(session: Session) -> None:
    owner = make_user(session, verified=True)
    item = stored(session, owner)
    token = _token(shares.create(session, actor=owner, media_id=item.id, password="open sesame",
                                 allow_download=True).url)
    other = _token(shares.create(session, actor=owner, media_id=item.id, password="open sesame").url)
    opened = shares.open_share(session, token=token, unlock_token=None)
    assert opened.needs_password and opened.items == []
    with pytest.raises(PermissionDenied):
        shares.serve(session, token=token, unlock_token=None, media_id=item.id, variant="preview")
    with pytest.raises(ValidationFailed, match="not right"):
        shares.unlock(session, token=token, password="wrong", client=VISITOR)
    unlocked = shares.unlock(session, token=token, password="open sesame", client=VISITOR)
    assert not shares.open_share(session, token=token, unlock_token=unlocked).needs_password
    assert shares.serve(session, token=token, unlock_token=unlocked, media_id=item.id, variant="download").download_name
    assert shares.open_share(session, token=other, unlock_token=unlocked).needs_password
    assert shares.open_share(session, token=token, unlock_token=unlocked + "x").needs_password
    for _ in range(shares.UNLOCK_FAILURES - 1):
        with pytest.raises(ValidationFailed):
            shares.unlock(session, token=token, password="guess", client=VISITOR)
    with pytest.raises(TooManyRequests, match="Too many wrong passwords"):
        shares.unlock(session, token=token, password="open sesame", client=VISITOR)
    elsewhere = auth.Client(ip="192.0.2.1", user_agent="pytest")
    assert shares.unlock(session, token=token, password="open sesame", client=elsewhere)
    assert shares.unlock(session, token=other, password="open sesame", client=VISITOR)


def test_views_are_counted_and_the_owner_is_told_once_an_hour(session: Session) -> None:
    owner = make_user(session, verified=True)
    item = stored(session, owner)
    created = shares.create(session, actor=owner, media_id=item.id, password="secret words")
    token = _token(created.url)
    shares.record_view(session, token=token, unlock_token=None, client=VISITOR)  # locked: not a view
    unlocked = shares.unlock(session, token=token, password="secret words", client=VISITOR)
    for _ in range(3):
        shares.record_view(session, token=token, unlock_token=unlocked, client=VISITOR)
    row = shares.list_mine(session, actor=owner)[0]
    assert row.view_count == 3 and row.last_viewed_at is not None
    notes = session.exec(select(Notification).where(Notification.user_id == owner.id,
                                                    Notification.kind == "share_viewed")).all()
    assert len(notes) == 1 and "opened your link" in notes[0].title
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "share.viewed")).all()) == 3
