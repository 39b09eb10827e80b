"""One module per route; importing this package registers every page."""

from mediashare.pages import (  # noqa: F401
    account,
    admin_media,
    audit,
    forgot_password,
    gallery,
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
    trash,
    users,
    verify_email,
)
