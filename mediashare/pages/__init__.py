"""One module per route; importing this package registers every page."""

from mediashare.pages import account, audit, index, legal, login, not_found, system, users  # noqa: F401
