"""The account and audit pages' states: every handler declares who may call it, and arguments
from the browser are checked before use (any browser can send any JSON)."""

from __future__ import annotations

import pytest

from mediashare.errors import ValidationFailed
from mediashare.models import Role
from mediashare.state import arguments, guard
from mediashare.state.audit_log import AuditLogState
from mediashare.state.user_admin import UserAdminState

LOADERS = {"load", "load_everyone", "load_team"}  # signed in: the service refuses, and the page says why
ADMIN_ONLY = {"submit_grant"}  # minting credits


@pytest.mark.parametrize("state", [UserAdminState, AuditLogState], ids=lambda state: state.__name__)
def test_every_handler_declares_a_role(state: type) -> None:
    own = {name: handler for name, handler in state.event_handlers.items()
           if handler.fn.__qualname__.startswith(state.__name__ + ".")}
    assert own, "no handlers found"
    lowest = Role.ADMIN if state is AuditLogState else Role.RESELLER
    for name, handler in own.items():
        access = guard.declared_access(handler)
        assert isinstance(access, Role), name
        expected = Role.USER if name in LOADERS else Role.ADMIN if name in ADMIN_ONLY else lowest
        assert access is expected, name


def test_the_generated_setters_stay_undeclared() -> None:
    """Reflex's own setvar is refused by the gate for everyone (no auto-setters on our vars)."""
    handler = UserAdminState.event_handlers.get("setvar")
    assert handler is None or guard.declared_access(handler) is None


@pytest.mark.parametrize("value", [7, "7", "0000000007"])
def test_ids_accept_positive_integers_and_digit_strings(value: object) -> None:
    assert arguments.as_id(value) == 7


@pytest.mark.parametrize("value", [0, -3, "", "7a", "-7", " 7", "9" * 11, 2**31, True, 1.0, None, {"id": 1}, [1]])
def test_ids_refuse_everything_else(value: object) -> None:
    with pytest.raises(ValidationFailed):
        arguments.as_id(value)


def test_pages_are_clamped_and_junk_refused() -> None:
    assert arguments.as_page("3", last=10) == 3
    assert arguments.as_page(99, last=10) == 10 and arguments.as_page(-5, last=10) == 1
    for junk in ("x", None, 2.5, True, {"page": 1}):
        with pytest.raises(ValidationFailed):
            arguments.as_page(junk, last=10)


def test_text_choices_and_forms() -> None:
    assert arguments.as_text("abc", max_length=3, field="q") == "abc"
    with pytest.raises(ValidationFailed):
        arguments.as_text("abcd", max_length=3, field="q")
    with pytest.raises(ValidationFailed):
        arguments.as_text(["abc"], max_length=3, field="q")
    assert arguments.as_choice("yes", ("yes", "no"), field="f") == "yes"
    with pytest.raises(ValidationFailed):
        arguments.as_choice("YES", ("yes", "no"), field="f")
    assert arguments.form_text({"name": "x"}, "name", max_length=5) == "x"
    assert arguments.form_text({}, "name", max_length=5) == ""
    for form in (None, "name=x", ["x"], {"name": {"$gt": ""}}, {"name": "x" * 6}):
        with pytest.raises(ValidationFailed):
            arguments.form_text(form, "name", max_length=5)
    with pytest.raises(ValidationFailed):
        arguments.as_flag("true", field="flag")
