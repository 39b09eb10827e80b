"""Test data builders."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from mediashare.models import Role, User
from mediashare.services import users

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(
    session: Session,
    *,
    role: Role = Role.USER,
    parent: User | None = None,
    username: str | None = None,
    password: str = PASSWORD,
    email: str | None = None,
    **fields: object,
) -> User:
    """An account with a unique name; the first superuser is created on demand as the root."""
    if parent is None and role is not Role.SUPERUSER and users.first_superuser(session) is None:
        make_user(session, role=Role.SUPERUSER, username="root")
    name = username or f"{role.value}{next(_numbers)}"
    return users.create_user(
        session,
        actor=None,
        username=name,
        email=email or f"{name}@example.com",
        password=password,
        role=role,
        parent_id=parent.id if parent else None,
        **fields,  # type: ignore[arg-type]
    )
