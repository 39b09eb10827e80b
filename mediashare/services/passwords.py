"""Password hashing: argon2id through the passlib API (the maintained `libpass` distribution)."""

from __future__ import annotations

from passlib.context import CryptContext

# OWASP's minimum for argon2id: m=19 MiB, t=2, p=1. Hashes made with weaker parameters are
# re-hashed at the next successful login (`needs_rehash`).
_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=19 * 1024,
    argon2__rounds=2,
    argon2__parallelism=1,
)

# Verified against when an account does not exist, so a login costs the same either way.
_DUMMY_HASH = _context.hash("not a real password: equalises login timing")

MIN_LENGTH = 8
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; with no hash, spends the same time and returns False."""
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):  # a malformed stored hash never signs anyone in
        return False


def needs_rehash(password_hash: str) -> bool:
    return _context.needs_update(password_hash)
