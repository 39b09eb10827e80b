"""One module per route; importing this package registers every page."""

from mediashare.pages import (  # noqa: F401
    account,
    audit,
    forgot_password,
    index,
    legal,
    login,
    login_two_factor,
    not_found,
    notifications,
    register,
    reset_password,
    security,
    sessions,
    system,
    upload,
    users,
    verify_email,
)
