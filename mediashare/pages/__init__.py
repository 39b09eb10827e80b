"""One module per route; importing this package registers every page."""

from mediashare.pages import (  # noqa: F401
    account,
    index,
    legal,
    login,
    login_two_factor,
    not_found,
    notifications,
    security,
    sessions,
    system,
)
