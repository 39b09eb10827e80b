"""Demo accounts for trying MediaShare: one per role, plus a reseller with two customers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session

from mediashare.models import Role, User, utc_now
from mediashare.services import passwords, users

# (username, display name, role, parent username)
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str | None], ...] = (
    ("demo-super", "Sam Superuser", Role.SUPERUSER, None),
    ("demo-admin", "Ada Admin", Role.ADMIN, "demo-super"),
    ("demo-reseller", "Rita Reseller", Role.RESELLER, "demo-admin"),
    ("demo-customer1", "Carl Customer", Role.USER, "demo-reseller"),
    ("demo-customer2", "Cleo Customer", Role.USER, "demo-reseller"),
    ("demo-user", "Uma User", Role.USER, "demo-admin"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    password: str | None  # None: the account already existed and keeps its password


def _new_password() -> str:
    return secrets.token_urlsafe(12)


def seed(session: Session, *, reset_passwords: bool = False) -> list[DemoAccount]:
    """Create the demo accounts that are missing (idempotent). Passwords are returned only for
    accounts created now, or for all of them with `reset_passwords`."""
    result: list[DemoAccount] = []
    for username, display_name, role, parent_name in DEMO_ACCOUNTS:
        existing = users.find_by_login(session, username)
        if existing is not None:
            password = None
            if reset_passwords:
                password = _new_password()
                existing.password_hash = passwords.hash_password(password)
                existing.password_changed_at = utc_now()
                existing.locked_until, existing.failed_login_count = None, 0
                session.commit()
            result.append(DemoAccount(username, existing.role, password))
            continue
        parent: User | None = users.find_by_login(session, parent_name) if parent_name else None
        password = _new_password()
        users.create_user(
            session,
            actor=None,
            username=username,
            email=f"{username}@example.com",
            password=password,
            role=role,
            parent_id=parent.id if parent else None,
            display_name=display_name,
            verified=True,
        )
        result.append(DemoAccount(username, role, password))
    return result
