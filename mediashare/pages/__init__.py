"""One module per route; importing this package registers every page."""

from mediashare.pages import account, index, legal, login, not_found, system  # noqa: F401
