"""The price list (admins edit it, checked and audited) and the upload paying for itself: charged to
the library's owner in the row's own transaction; a duplicate or a refused file costs nothing; a
file the balance cannot pay for is refused alone, and nothing of it is kept (both databases)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, ChargeStatus, CreditCharge, MediaItem, MediaStatus, Role, User
from mediashare.services import credits, ingest, ledger, reconcile
from mediashare.services.inspection import InvalidUpload
from tests.factories import make_user
from tests.media_files import jpeg_bytes, mp4_file
from tests.services.test_ingest import _files, _upload


def _fresh(session: Session, user: User) -> User:
    session.expire_all()
    return session.get(User, user.id)


def _balance(session: Session, user: User) -> int:
    return ledger.balance(session, user=_fresh(session, user))


def _with_credits(session: Session, amount: int, **fields: object) -> User:
    user = make_user(session, **fields)
    ledger.grant(session, actor=None, to=user, amount=amount)
    return user


def _set(session: Session, **values: object) -> None:
    admin = make_user(session, role=Role.ADMIN)
    credits.set_prices(session, actor=admin, values={key.replace("_", ".", 1): v for key, v in values.items()})


# The price list -------------------------------------------------------------------------------


def test_prices_default_to_zero_and_admins_change_them_with_an_audit_trail(session: Session) -> None:
    assert credits.prices(session) == {action: 0 for action in credits.Action}
    admin = make_user(session, role=Role.ADMIN)
    saved = credits.set_prices(session, actor=admin, values={"upload.photo": "2", "studio.save": 5})
    assert saved[credits.Action.UPLOAD_PHOTO] == 2 and saved[credits.Action.STUDIO_SAVE] == 5
    session.expire_all()
    assert credits.price(session, "upload.photo") == 2 and credits.price(session, credits.Action.STUDIO_SAVE) == 5
    assert credits.price(session, credits.Action.SHARE_LINK) == 0
    credits.set_prices(session, actor=admin, values={"upload.photo": 3})
    events = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.SETTING_CHANGED)
                          .order_by(AuditEvent.id)).all()
    assert [(event.actor_id, event.details["from"].get("upload.photo"), event.details["to"]["upload.photo"])
            for event in events] == [(admin.id, None, 2), (admin.id, 2, 3)]
    assert events[1].details["to"]["studio.save"] == 5  # the other prices are kept


def test_only_admins_and_superusers_change_prices(session: Session) -> None:
    for role in (Role.USER, Role.RESELLER):
        with pytest.raises(PermissionDenied):
            credits.set_prices(session, actor=make_user(session, role=role), values={"upload.photo": 1})
    credits.set_prices(session, actor=make_user(session, role=Role.SUPERUSER, username="super2"),
                       values={"upload.photo": 1})
    assert credits.price(session, credits.Action.UPLOAD_PHOTO) == 1


@pytest.mark.parametrize("value", [-1, "-1", "1.5", 1.5, "two", "", True, None, [1], 1_000_001])
def test_a_price_must_be_a_whole_number_of_credits(session: Session, value: object) -> None:
    admin = make_user(session, role=Role.ADMIN)
    with pytest.raises(ValidationFailed, match="Credits per uploaded photo must be a whole number from 0") as raised:
        credits.set_prices(session, actor=admin, values={"share.link": 4, "upload.photo": value})
    assert raised.value.field == "upload.photo"
    assert credits.prices(session)[credits.Action.SHARE_LINK] == 0  # nothing of the form was saved
    with pytest.raises(ValidationFailed, match=r"no priced action called 'free\.lunch'"):
        credits.set_prices(session, actor=admin, values={"free.lunch": 1})
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.SETTING_CHANGED)).all() == []


def test_a_video_pays_per_started_gigabyte() -> None:
    assert [credits.video_gigabytes(size) for size in (1, credits.GB, credits.GB + 1, 5 * credits.GB)] == [1, 1, 2, 5]


# Uploads pay ----------------------------------------------------------------------------------


def test_an_upload_is_charged_with_its_row_and_a_duplicate_or_refused_file_costs_nothing(session: Session) -> None:
    _set(session, upload_photo=2)
    user = _with_credits(session, 5)
    first = _upload(session, user, "one.jpg", jpeg_bytes(seed=1))
    assert first.status == "stored" and _balance(session, user) == 3
    charge = session.exec(select(CreditCharge).where(CreditCharge.media_id == first.media_id)).one()
    assert (charge.account_id, charge.action, charge.amount, charge.status) == (
        user.id, "upload.photo", 2, ChargeStatus.CAPTURED)
    assert _upload(session, user, "again.jpg", jpeg_bytes(seed=1)).status == "duplicate"
    with pytest.raises(InvalidUpload):
        _upload(session, user, "fake.jpg", b"not a picture at all" * 100)
    assert _balance(session, user) == 3
    assert [item.kind for item in ledger.history(session, actor=user, user=_fresh(session, user)).items] == [
        "spend", "grant"]
    assert ledger.verify(session).ok


def test_a_file_the_balance_cannot_pay_for_is_refused_alone_and_nothing_of_it_is_kept(session: Session) -> None:
    _set(session, upload_photo=2)
    user = _with_credits(session, 3)
    assert _upload(session, user, "one.jpg", jpeg_bytes(seed=1)).status == "stored"
    used = _fresh(session, user).storage_used_bytes
    with pytest.raises(InvalidUpload) as raised:
        _upload(session, user, "two.jpg", jpeg_bytes(seed=2))
    assert str(raised.value) == "two.jpg: needs 2 credits, you have 1 — top up at /top-up."
    assert [item.original_filename for item in session.exec(select(MediaItem))] == ["one.jpg"]
    assert _fresh(session, user).storage_used_bytes == used and len(_files("originals")) == 1
    assert ingest.storage().incoming.is_dir() is False or list(ingest.storage().incoming.iterdir()) == []
    assert len(session.exec(select(CreditCharge)).all()) == 1 and _balance(session, user) == 1
    _set(session, upload_photo=1)  # a cheaper price: the same file now goes through
    assert _upload(session, user, "two.jpg", jpeg_bytes(seed=2)).status == "stored"
    assert _balance(session, user) == 0 and ledger.verify(session).ok


def test_a_video_is_charged_per_started_gigabyte(session: Session, tmp_path: Path) -> None:
    _set(session, upload_video_gb=4, upload_photo=1)
    user = _with_credits(session, 4)
    outcome = _upload(session, user, "clip.mp4", mp4_file(tmp_path / "clip.mp4").read_bytes())
    assert outcome.status == "stored" and _balance(session, user) == 0
    assert session.exec(select(CreditCharge)).one().action == "upload.video_gb"


def test_the_owner_pays_when_someone_uploads_for_them(session: Session) -> None:
    _set(session, upload_photo=2)
    reseller = _with_credits(session, 10, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    ledger.grant(session, actor=None, to=customer, amount=2)
    assert _upload(session, reseller, "for-you.jpg", jpeg_bytes(seed=5), owner=customer).status == "stored"
    assert (_balance(session, customer), _balance(session, reseller)) == (0, 10)
    with pytest.raises(InvalidUpload, match="needs 2 credits, you have 0"):
        _upload(session, reseller, "more.jpg", jpeg_bytes(seed=6), owner=customer)
    assert ledger.verify(session).ok


def test_an_upload_that_died_before_its_file_was_kept_gives_the_credits_back(session: Session) -> None:
    _set(session, upload_photo=2)
    user = _with_credits(session, 5)
    outcome = _upload(session, user, "lost.jpg", jpeg_bytes(seed=7))
    item = session.get(MediaItem, outcome.media_id)
    # As if the process died between the row's commit and keeping the file, two hours ago.
    item.status, item.uploaded_at = MediaStatus.PENDING, item.uploaded_at - timedelta(hours=2)
    session.commit()
    assert _balance(session, user) == 3
    assert reconcile.reconcile(session).pending_rows_removed == 1
    assert _balance(session, user) == 5 and session.exec(select(MediaItem)).all() == []
    assert session.exec(select(CreditCharge)).one().status is ChargeStatus.RELEASED
    assert [row.kind for row in ledger.history(session, actor=user, user=_fresh(session, user)).items] == [
        "refund", "spend", "grant"]
    assert ledger.verify(session).ok
