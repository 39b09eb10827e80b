"""A small platform with every kind of relation, for the hierarchy tests.

    root (superuser)
    ├── super2 (superuser)
    ├── super3 (superuser)
    ├── admin1 (admin)
    │   ├── admin1b (admin)
    │   ├── reseller1 (reseller)
    │   │   ├── cust1a, cust1b (users)
    │   │   └── subres (reseller)
    │   │       └── custsub (user)
    │   ├── reseller2 (reseller)
    │   │   └── cust2a (user)
    │   └── user1 (user)
    ├── admin2 (admin)
    └── walkin (user: signed up on their own, so it hangs below the root)
"""

from __future__ import annotations

import functools
from unittest import mock

from sqlmodel import Session

from mediashare.models import Role, User
from mediashare.services import passwords
from tests.factories import make_user

SHAPE: tuple[tuple[str, Role, str | None], ...] = (
    ("root", Role.SUPERUSER, None),
    ("super2", Role.SUPERUSER, "root"),
    ("super3", Role.SUPERUSER, "root"),
    ("admin1", Role.ADMIN, "root"),
    ("admin1b", Role.ADMIN, "admin1"),
    ("reseller1", Role.RESELLER, "admin1"),
    ("cust1a", Role.USER, "reseller1"),
    ("cust1b", Role.USER, "reseller1"),
    ("subres", Role.RESELLER, "reseller1"),
    ("custsub", Role.USER, "subres"),
    ("reseller2", Role.RESELLER, "admin1"),
    ("cust2a", Role.USER, "reseller2"),
    ("user1", Role.USER, "admin1"),
    ("admin2", Role.ADMIN, "root"),
    ("walkin", Role.USER, "root"),
)


_cached_hash = functools.cache(passwords.hash_password)


def build_tree(session: Session) -> dict[str, User]:
    """The accounts of SHAPE, by username (real argon2id hashes, computed once per password
    instead of once per account, to keep the tests quick)."""
    accounts: dict[str, User] = {}
    with mock.patch.object(passwords, "hash_password", _cached_hash):
        for username, role, parent in SHAPE:
            accounts[username] = make_user(session, role=role, username=username,
                                           parent=accounts[parent] if parent else None,
                                           display_name=username.capitalize())
    return accounts
