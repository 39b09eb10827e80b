"""Referrals: codes, signing up through one (referrer and placement), the bonuses paid once on
verification, and the stats a referrer sees."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, LedgerTransaction, Notification, Role, User
from mediashare.services import auth, ledger, referrals, registration, tokens, verification
from mediashare.services.tokens import Purpose
from tests.conftest import Mailbox
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def root(session: Session) -> User:
    return make_user(session, role=Role.SUPERUSER, username="root")


def _sign_up(session: Session, name: str, code: str = "") -> User:
    return registration.register(session, username=name, email=f"{name}@example.com",
                                 password="a long new password", referral_code=code, client=CLIENT).user


def _verify(session: Session, user: User) -> None:
    token = tokens.issue(purpose=Purpose.VERIFY_EMAIL, user=user, email=user.email)
    verification.verify_email(session, token=token, client=CLIENT)
    session.refresh(user)


def test_codes_are_made_once_unique_and_readable(session: Session, root: User) -> None:
    people = [make_user(session) for _ in range(30)]
    codes = [referrals.code_for(session, user=person) for person in people]
    assert len(set(codes)) == 30
    assert all(referrals.normalize(code) == code and len(code) == referrals.CODE_LENGTH for code in codes)
    assert referrals.code_for(session, user=people[0]) == codes[0]  # stable once made
    session.expire_all()
    assert session.get(User, people[0].id).referral_code == codes[0]
    assert referrals.referrer_for(session, codes[3].upper()).id == people[3].id  # typed in capitals


def test_a_code_already_taken_is_never_handed_out_twice(
    session: Session, root: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = make_user(session), make_user(session)
    taken = referrals.code_for(session, user=first)
    drawn = iter([taken, "bcdefghjkm"])
    monkeypatch.setattr(referrals, "_new_code", lambda: next(drawn))
    assert referrals.code_for(session, user=second) == "bcdefghjkm"
    assert referrals.code_for(session, user=first) == taken


def test_unknown_malformed_and_deactivated_codes_find_nobody(session: Session, root: User) -> None:
    someone = make_user(session)
    code = referrals.code_for(session, user=someone)
    assert referrals.referrer_for(session, "x" * referrals.CODE_LENGTH) is None
    assert referrals.referrer_for(session, "nope") is None
    assert referrals.referrer_for(session, "' OR 1=1 --") is None
    someone.is_active = False
    session.commit()
    assert referrals.referrer_for(session, code) is None


def test_signing_up_with_a_code_records_the_referrer_and_joins_its_reseller(
    session: Session, root: User, smtp_server: Mailbox
) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    sub_reseller = make_user(session, role=Role.RESELLER, parent=reseller)
    customer = make_user(session, parent=sub_reseller)
    plain = make_user(session)  # under root: no reseller above

    through_reseller = _sign_up(session, "viareseller", referrals.code_for(session, user=reseller))
    through_customer = _sign_up(session, "viacustomer", referrals.code_for(session, user=customer))
    through_plain = _sign_up(session, "viaplain", referrals.code_for(session, user=plain))

    assert (through_reseller.referred_by_id, through_reseller.parent_id) == (reseller.id, reseller.id)
    assert (through_customer.referred_by_id, through_customer.parent_id) == (customer.id, sub_reseller.id)
    assert (through_plain.referred_by_id, through_plain.parent_id) == (plain.id, root.id)
    assert through_customer.role is Role.USER
    details = session.exec(select(AuditEvent.details).where(
        AuditEvent.action == AuditAction.REGISTERED.value, AuditEvent.target_id == through_customer.id)).one()
    assert details["referred_by_id"] == customer.id


def test_an_unknown_code_signs_up_normally(session: Session, root: User, smtp_server: Mailbox) -> None:
    user = _sign_up(session, "stranger", "abcdefghjk")
    assert user.referred_by_id is None and user.parent_id == root.id
    _verify(session, user)
    assert ledger.balance(session, user=user) == 0
    assert session.exec(select(LedgerTransaction)).all() == []


def test_the_bonuses_are_paid_once_when_the_new_account_verifies(
    session: Session, root: User, smtp_server: Mailbox
) -> None:
    referrer = make_user(session, display_name="Ada Lovelace")
    newbie = _sign_up(session, "newbie", referrals.code_for(session, user=referrer))
    assert ledger.balance(session, user=newbie) == 0  # nothing before the address is confirmed

    _verify(session, newbie)
    assert ledger.balance(session, user=newbie) == 10
    assert ledger.balance(session, user=referrer) == 10
    notes = session.exec(select(Notification).where(Notification.user_id == referrer.id)).all()
    assert [note.title for note in notes] == ["newbie joined through your link; you got 10 credits"]

    _verify(session, newbie)  # a second link, already verified
    newbie.email_verified_at = None  # as after an admin changed the address: verifies again
    session.commit()
    _verify(session, newbie)
    referrals.reward(session, user=newbie)  # a replayed hook
    session.commit()

    assert ledger.balance(session, user=newbie) == 10
    assert ledger.balance(session, user=referrer) == 10
    keys = session.exec(select(LedgerTransaction.idempotency_key)).all()
    assert sorted(keys) == [f"referral:{newbie.id}:referee", f"referral:{newbie.id}:referrer"]
    assert len(session.exec(select(Notification).where(Notification.user_id == referrer.id)).all()) == 1
    assert ledger.verify(session).ok


def test_changed_amounts_apply_to_later_verifications_and_never_repay(
    session: Session, root: User, smtp_server: Mailbox
) -> None:
    referrer = make_user(session)
    code = referrals.code_for(session, user=referrer)
    first = _sign_up(session, "first", code)
    _verify(session, first)
    referrals.set_bonuses(session, actor=root, referrer=25, referee=5)
    first.email_verified_at = None
    session.commit()
    _verify(session, first)  # same keys, new amounts: skipped, not a conflict
    second = _sign_up(session, "second", code)
    _verify(session, second)
    assert ledger.balance(session, user=first) == 10
    assert ledger.balance(session, user=second) == 5
    assert ledger.balance(session, user=referrer) == 10 + 25


def test_a_zero_bonus_is_skipped(session: Session, root: User, smtp_server: Mailbox) -> None:
    admin = make_user(session, role=Role.ADMIN)
    referrals.set_bonuses(session, actor=admin, referrer=0, referee=7)
    referrer = make_user(session)
    newbie = _sign_up(session, "newbie", referrals.code_for(session, user=referrer))
    _verify(session, newbie)
    assert ledger.balance(session, user=newbie) == 7
    assert ledger.balance(session, user=referrer) == 0
    assert session.exec(select(LedgerTransaction.idempotency_key)).all() == [f"referral:{newbie.id}:referee"]
    assert session.exec(select(Notification).where(Notification.user_id == referrer.id)).all() == []
    assert ledger.verify(session).ok


def test_only_admins_change_the_bonuses_and_only_to_sane_amounts(session: Session, root: User) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    with pytest.raises(PermissionDenied):
        referrals.set_bonuses(session, actor=reseller, referrer=100, referee=100)
    for bad in (-1, referrals.MAX_BONUS + 1, True, 2.5, "5"):
        with pytest.raises(ValidationFailed):
            referrals.set_bonuses(session, actor=root, referrer=bad, referee=1)  # type: ignore[arg-type]
    assert referrals.bonuses(session) == referrals.Bonuses(referrer=10, referee=10)
    referrals.set_bonuses(session, actor=root, referrer=3, referee=4)
    assert referrals.bonuses(session) == referrals.Bonuses(referrer=3, referee=4)
    changes = session.exec(
        select(AuditEvent.details).where(AuditEvent.action == AuditAction.SETTING_CHANGED.value)).all()
    assert {"key": "referral_bonus_referrer", "from": 10, "to": 3} in changes


def test_stats_count_sign_ups_verifications_and_credits_earned(
    session: Session, root: User, smtp_server: Mailbox
) -> None:
    referrer = make_user(session)
    other = make_user(session)
    code = referrals.code_for(session, user=referrer)
    first, second, _third = (_sign_up(session, name, code) for name in ("first", "second", "third"))
    _sign_up(session, "elsewhere", referrals.code_for(session, user=other))
    _verify(session, first)
    _verify(session, second)
    ledger.grant(session, actor=root, to=referrer, amount=100)  # not from referrals

    found = referrals.stats(session, actor=referrer)
    assert (found.signed_up, found.verified, found.credits_earned) == (3, 2, 20)
    assert found.link.endswith(f"/referred?code={code}")
    assert referrals.stats(session, actor=first).signed_up == 0
