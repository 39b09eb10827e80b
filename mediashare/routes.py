"""Route constants and URL builders: every path the app links to is named here."""

from __future__ import annotations

HOME = "/"
LOGIN = "/login"
ACCOUNT = "/account"
SYSTEM = "/admin/system"
PRIVACY = "/privacy"
TERMS = "/terms"

API_HEALTH = "/api/health"
API_LOGIN = "/api/auth/login"
API_LOGOUT = "/api/auth/logout"

SESSION_COOKIE = "ms_session"
DEVICE_COOKIE = "ms_device"


def safe_next(path: str) -> str:
    """A local path to return to after login; anything else (other hosts, schemes) becomes HOME."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or any(ord(c) < 32 for c in path):
        return HOME
    if path.startswith(("/api/", "/_")):
        return HOME
    return path[:512]
