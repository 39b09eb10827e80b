"""Creating accounts: validation, case-insensitive uniqueness, argon2id hashes, the hierarchy root."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, Role, User
from mediashare.services import users
from tests.factories import PASSWORD, make_user


def test_password_is_stored_as_argon2id_with_at_least_owasp_parameters(session: Session) -> None:
    user = make_user(session)
    assert user.password_hash.startswith("$argon2id$")
    params = user.password_hash.split("$")[3]
    values = dict(item.split("=") for item in params.split(","))
    assert int(values["m"]) >= 19 * 1024 and int(values["t"]) >= 2 and int(values["p"]) >= 1
    assert PASSWORD not in user.password_hash


def test_usernames_and_emails_are_unique_ignoring_case(session: Session) -> None:
    make_user(session, username="Alice")
    with pytest.raises(Conflict, match="username"):
        users.create_user(session, actor=None, username="alice", email="other@example.com", password=PASSWORD)
    with pytest.raises(Conflict, match="email"):
        users.create_user(session, actor=None, username="alice2", email="ALICE@example.com", password=PASSWORD)
    assert session.exec(select(User).where(User.username_key == "alice")).one().username == "Alice"


@pytest.mark.parametrize(
    ("username", "email", "password", "field"),
    [
        ("ab", "a@example.com", PASSWORD, "username"),
        ("has space", "a@example.com", PASSWORD, "username"),
        ("<img src=x>", "a@example.com", PASSWORD, "username"),
        ("valid_name", "not-an-email", PASSWORD, "email"),
        ("valid_name", "a@example.com", "short", "password"),
        ("valid_name", "a@example.com", "x" * 129, "password"),
    ],
)
def test_invalid_input_is_refused_with_the_field_named_and_nothing_created(
    session: Session, username: str, email: str, password: str, field: str
) -> None:
    make_user(session, role=Role.SUPERUSER)
    before = session.exec(select(User)).all()
    with pytest.raises(ValidationFailed) as caught:
        users.create_user(session, actor=None, username=username, email=email, password=password)
    assert caught.value.field == field
    assert str(caught.value)
    assert len(session.exec(select(User)).all()) == len(before)


def test_long_unicode_passwords_are_accepted_whole(session: Session) -> None:
    password = "pässwörd-🙂-" * 10  # 120 characters, no truncation
    user = make_user(session, password=password)
    from mediashare.services import passwords

    assert passwords.verify_password(password, user.password_hash)
    assert not passwords.verify_password(password[:-1], user.password_hash)


def test_first_superuser_is_the_root_and_later_accounts_hang_below_it(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="superuser first"):
        users.create_user(session, actor=None, username="early", email="early@example.com", password=PASSWORD)
    root = make_user(session, role=Role.SUPERUSER, username="root")
    second = make_user(session, role=Role.SUPERUSER, username="root2")
    admin = make_user(session, role=Role.ADMIN)
    assert root.parent_id is None
    assert second.parent_id == root.id
    assert admin.parent_id == root.id


def test_creation_is_audited_with_actor_and_target(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    created = users.create_user(session, actor=admin, username="newbie", email="newbie@example.com",
                                password=PASSWORD, ip="203.0.113.5")
    event = session.exec(select(AuditEvent).where(AuditEvent.target_id == created.id)).one()
    assert event.action == "user.created"
    assert event.actor_id == admin.id and event.ip == "203.0.113.5"
    assert created.parent_id == admin.id


def test_nobody_grants_a_role_equal_to_or_above_their_own(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    for actor, role in ((admin, Role.ADMIN), (admin, Role.SUPERUSER), (reseller, Role.RESELLER)):
        with pytest.raises(PermissionDenied):
            users.create_user(session, actor=actor, username=f"x{role.value}", email=f"x{role.value}@example.com",
                              password=PASSWORD, role=role)
    customer = users.create_user(session, actor=reseller, username="customer", email="c@example.com",
                                 password=PASSWORD)
    assert customer.parent_id == reseller.id and customer.role is Role.USER


def test_find_by_login_matches_username_or_email_ignoring_case(session: Session) -> None:
    user = make_user(session, username="Bob")
    assert users.find_by_login(session, "BOB").id == user.id
    assert users.find_by_login(session, " bob@EXAMPLE.com ").id == user.id
    assert users.find_by_login(session, "nobody") is None
    assert users.find_by_login(session, "") is None


@pytest.mark.parametrize("password", ["password1", "PassWord1", "iloveyou", "QWERTYUIOP", "trustno1"])
def test_common_passwords_are_refused_whatever_their_case(session: Session, password: str) -> None:
    make_user(session, role=Role.SUPERUSER)
    with pytest.raises(ValidationFailed, match="one of the most common passwords") as caught:
        users.create_user(session, actor=None, username="carol", email="carol@example.com", password=password)
    assert caught.value.field == "password"
    assert users.find_by_login(session, "carol") is None


def test_the_password_rules_have_no_composition_requirements() -> None:
    for password in ("all lowercase words here", "12345678901234567", "ÄÖÜäöüßẞ", "🙂🙃🙂🙃🙂🙃🙂🙃"):
        users.check_password(password)
