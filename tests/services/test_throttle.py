"""Per-address throttling: one address cannot try (and lock) many accounts."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import AccountLocked, InvalidCredentials, TooManyRequests
from mediashare.models import AuditAction, AuditEvent, AuthSession, LoginAttempt, Role, User, utc_now
from mediashare.services import auth, credentials, registration, throttle
from tests.conftest import Mailbox
from tests.factories import PASSWORD, make_user

ATTACKER = auth.Client(ip="203.0.113.66", user_agent="curl/8.0")
NEIGHBOUR = auth.Client(ip="198.51.100.20", user_agent="Mozilla/5.0 Firefox/128.0")


def _fail(session: Session, identifier: str, client: auth.Client = ATTACKER) -> None:
    with pytest.raises((InvalidCredentials, AccountLocked)):
        auth.login(session, identifier=identifier, password="wrong guess 123", client=client)


def test_an_address_is_refused_after_too_many_failures_across_many_accounts(session: Session) -> None:
    victims = [make_user(session) for _ in range(throttle.FAILURE_LIMIT + 5)]
    for victim in victims[: throttle.FAILURE_LIMIT]:
        _fail(session, victim.username)

    # The next attempt is refused before any account is looked at, even with the right password.
    untouched = victims[throttle.FAILURE_LIMIT]
    with pytest.raises(TooManyRequests, match="Too many failed sign-ins from your network") as refused:
        auth.login(session, identifier=untouched.username, password=PASSWORD, client=ATTACKER)
    assert refused.value.minutes == 10
    session.expire_all()
    assert session.get(User, untouched.id).failed_login_count == 0
    assert session.exec(select(AuthSession)).first() is None

    # None of the accounts it tried is locked: each saw one failure, far below the lockout.
    assert all(session.get(User, v.id).locked_until is None for v in victims)
    # Someone else, from another address, signs in as usual.
    assert auth.login(session, identifier=untouched.username, password=PASSWORD, client=NEIGHBOUR).token


def test_one_address_can_lock_only_a_few_accounts(session: Session) -> None:
    victims = [make_user(session) for _ in range(10)]
    for victim in victims:
        for _ in range(5):  # the lockout threshold
            with contextlib.suppress(TooManyRequests):  # once the address is refused
                _fail(session, victim.username)
    session.expire_all()
    locked = [v for v in victims if session.get(User, v.id).locked_until is not None]
    assert len(locked) == throttle.FAILURE_LIMIT // 5  # 4 of 10; the other six were never reached


def test_unknown_usernames_count_too_and_throttling_is_audited_once(session: Session) -> None:
    for number in range(throttle.FAILURE_LIMIT):
        _fail(session, f"nobody-{number}")
    for _ in range(3):
        with pytest.raises(TooManyRequests):
            auth.login(session, identifier="nobody-else", password="whatever12", client=ATTACKER)
    throttled = session.exec(select(AuditEvent).where(AuditEvent.action == "auth.login_throttled")).all()
    assert len(throttled) == 1 and throttled[0].ip == ATTACKER.ip


def test_the_refusal_ends_once_the_failures_are_older_than_the_window(session: Session) -> None:
    user = make_user(session)
    for number in range(throttle.FAILURE_LIMIT):
        _fail(session, f"nobody-{number}")
    with pytest.raises(TooManyRequests):
        auth.login(session, identifier=user.username, password=PASSWORD, client=ATTACKER)
    session.execute(sa.update(LoginAttempt).values(created_at=utc_now() - throttle.WINDOW - timedelta(seconds=1)))
    session.commit()
    assert auth.login(session, identifier=user.username, password=PASSWORD, client=ATTACKER).token


def test_successful_sign_ins_do_not_count_and_old_attempts_are_pruned(session: Session) -> None:
    user = make_user(session)
    for _ in range(throttle.FAILURE_LIMIT + 2):
        auth.login(session, identifier=user.username, password=PASSWORD, client=ATTACKER)
    session.execute(sa.update(LoginAttempt).values(created_at=utc_now() - throttle.KEEP - timedelta(minutes=1)))
    session.commit()
    _fail(session, "nobody")
    remaining = session.exec(select(LoginAttempt)).all()
    assert [(a.ip, a.succeeded) for a in remaining] == [(ATTACKER.ip, False)]


# --- Public forms: sign-ups and reset requests per address -------------------------------------


def _sign_up(session: Session, number: int, client: auth.Client = ATTACKER) -> registration.Registered:
    return registration.register(session, username=f"visitor{number}", email=f"visitor{number}@example.com",
                                 password="correct horse 42", client=client)


def test_one_address_can_create_only_so_many_accounts_an_hour(
    session: Session, smtp_server: Mailbox  # the verification emails go somewhere real
) -> None:
    make_user(session, role=Role.SUPERUSER)
    limit = throttle.ACTION_LIMITS[AuditAction.REGISTERED].limit
    for number in range(limit):
        _sign_up(session, number)
    with pytest.raises(TooManyRequests, match=r"Too many accounts .* try again in 60 minutes"):
        _sign_up(session, limit)
    assert session.exec(select(User).where(User.username == f"visitor{limit}")).first() is None
    assert _sign_up(session, limit, client=NEIGHBOUR).user.username == f"visitor{limit}"  # others are not affected


def test_sign_ups_older_than_the_window_no_longer_count(session: Session, smtp_server: Mailbox) -> None:
    make_user(session, role=Role.SUPERUSER)
    rule = throttle.ACTION_LIMITS[AuditAction.REGISTERED]
    # The audit log is append-only, so old sign-ups are written as old rather than aged.
    expired, counted = utc_now() - rule.window - timedelta(minutes=1), utc_now() - rule.window + timedelta(minutes=5)
    session.add_all([AuditEvent(action=AuditAction.REGISTERED.value, ip=ATTACKER.ip, created_at=expired)
                     for _ in range(rule.limit)])
    session.add_all([AuditEvent(action=AuditAction.REGISTERED.value, ip=ATTACKER.ip, created_at=counted)
                     for _ in range(rule.limit - 1)])
    session.commit()
    assert _sign_up(session, 1).user.id  # the last one still free
    with pytest.raises(TooManyRequests, match=r"try again in 5 minutes"):  # when the oldest counted one expires
        _sign_up(session, 2)


def test_reset_requests_are_limited_per_address_whether_or_not_the_account_exists(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    limit = throttle.ACTION_LIMITS[AuditAction.PASSWORD_RESET_REQUESTED].limit
    for number in range(limit):
        credentials.request_password_reset(session, email_address=f"nobody{number}@example.com", client=ATTACKER)
    refusals = set()
    for address in (user.email, "nobody-at-all@example.com"):
        with pytest.raises(TooManyRequests) as refused:
            credentials.request_password_reset(session, email_address=address, client=ATTACKER)
        refusals.add(str(refused.value))
    assert len(refusals) == 1  # the same answer: it says nothing about which addresses have accounts
    assert credentials.request_password_reset(session, email_address=user.email, client=NEIGHBOUR)
    smtp_server.wait_for(to=user.email)  # another address is not affected …
    assert [message["To"] for message in smtp_server.messages] == [user.email]  # … and the refused one sent none
