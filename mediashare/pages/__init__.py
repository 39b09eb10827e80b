"""One module per route; importing this package registers every page."""

from mediashare.pages import (  # noqa: F401
    account,
    forgot_password,
    index,
    legal,
    login,
    not_found,
    register,
    reset_password,
    system,
    verify_email,
)
