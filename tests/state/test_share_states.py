"""Share states past the gate: the dialog keeps the service's sentence under the form until a link is
made, and revoking from /shares shows the link as revoked at once."""

from __future__ import annotations

from sqlmodel import Session, select

from mediashare.models import MediaItem, Role, ShareLink, User, utc_now
from mediashare.services import shares
from mediashare.state.shares import ShareDialogState, SharesState
from tests.state.test_foreign_ids import SUCCESS, make_caller, refusals


def _verified(session: Session, user_id: int) -> User:
    """The caller with a confirmed address: sharing needs one."""
    user = session.get(User, user_id)
    user.email_verified_at = utc_now()
    session.add(user)
    session.commit()
    return user


def _own_photo(session: Session, user: User) -> int:
    return session.exec(select(MediaItem.id).where(MediaItem.owner_id == user.id)).first()


def test_the_share_dialog_shows_what_was_wrong_then_creates_the_link(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    state = caller.page(ShareDialogState, "/gallery")
    caller.call(state, "open_for_item", _own_photo(session, _verified(session, caller.user.id)))
    assert state.share_open and state.share_title
    caller.call(state, "set_share_expiry", "custom")
    sent = caller.call(state, "create_share", {"custom_date": "31/12/2030", "password": ""})
    assert set(refusals(sent)) == {"That date is not valid; use the date picker."}, sent[:300]
    assert state.share_error == "That date is not valid; use the date picker." and state.share_url == ""
    caller.call(state, "set_share_expiry", "7d")
    sent = caller.call(state, "create_share", {"password": "abc", "custom_date": ""})
    assert state.share_error == "A link password needs at least 4 characters." and state.share_url == ""
    assert not session.exec(select(ShareLink)).all()
    sent = caller.call(state, "create_share", {"password": "", "custom_date": "", "allow_download": "on"})
    assert SUCCESS.search(sent) and not refusals(sent), sent[:300]
    assert state.share_error == "" and state.share_url.startswith("http")
    session.expire_all()
    assert [link.allow_download for link in session.exec(select(ShareLink))] == [True]


def test_revoking_a_link_on_the_shares_page_shows_it_revoked(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    user = _verified(session, caller.user.id)
    created = shares.create(session, actor=user, media_id=_own_photo(session, user))
    state = caller.page(SharesState, "/shares")
    assert state.loaded and [row.status for row in state.rows] == ["active"]
    for made_up in (2**31 - 2, "x", True):
        assert set(refusals(caller.call(state, "revoke", made_up))) == {"That link does not exist."}
    assert [row.status for row in state.rows] == ["active"]
    sent = caller.call(state, "revoke", created.share.id)
    assert SUCCESS.search(sent) and not refusals(sent), sent[:300]
    assert [row.status for row in state.rows] == ["revoked"]
