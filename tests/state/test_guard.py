"""Every event handler we write says who may call it (the middleware refuses the others)."""

from __future__ import annotations

import reflex as rx

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare.state import guard


def _states(root: type[rx.State]) -> list[type[rx.State]]:
    found = [root]
    for child in root.get_substates():
        found.extend(_states(child))
    return found


def test_every_event_handler_of_ours_declares_its_access() -> None:
    ours = [cls for cls in _states(rx.State) if guard.is_ours(cls)]
    handlers = [
        (cls.__name__, name, handler)
        for cls in ours
        for name, handler in cls.event_handlers.items()
        if getattr(handler.fn, "__module__", "").startswith("mediashare.")
    ]
    assert len(handlers) >= 10
    undeclared = [f"{cls}.{name}" for cls, name, handler in handlers if guard.declared_access(handler) is None]
    assert undeclared == []
