"""The settings page's state past the gate: a change shows at once, a refused form keeps the other
values and names each field, and a refused profile keeps its sentence next to that profile."""

from __future__ import annotations

from sqlmodel import Session

from mediashare.models import Role
from mediashare.services import transcode
from mediashare.state.site_settings import SiteSettingsState
from tests.state.test_foreign_ids import SUCCESS, make_caller, refusals


def test_a_superuser_changes_settings_and_sees_each_refusal_where_it_belongs(session: Session) -> None:
    caller = make_caller(session, Role.SUPERUSER)
    state = caller.page(SiteSettingsState, "/admin/settings")
    assert state.allowed and state.loaded and state.flags["registration_open"] in (True, False)
    was_open = state.flags["registration_open"]
    sent = caller.call(state, "set_switch", "registration_open", not was_open)
    assert SUCCESS.search(sent) and state.flags["registration_open"] is (not was_open)
    assert set(refusals(caller.call(state, "set_switch", "no_such_key", True))) == {"That is not a valid key."}

    sent = caller.call(state, "save_section", {"section": "general", "site_name": "Our Photos"})
    assert SUCCESS.search(sent) and "Saved 1 change." in sent
    assert state.texts["site_name"] == "Our Photos" and state.brand_name == "Our Photos"
    sent = caller.call(state, "save_section", {"section": "general", "site_name": "Our Photos"})
    assert "Nothing changed." in sent

    sent = caller.call(state, "save_section",
                       {"section": "accounts", "lockout_threshold": "many", "signup_credits": "5"})
    assert set(refusals(sent)) == {"Some values need fixing: see the messages under the fields."}
    assert state.errors["lockout_threshold"] and not state.errors["signup_credits"]
    assert state.texts["signup_credits"] != "5"  # all or nothing
    sent = caller.call(state, "save_section", {"section": "accounts", "lockout_threshold": "7"})
    assert SUCCESS.search(sent) and not any(state.errors.values()) and state.texts["lockout_threshold"] == "7"

    label = transcode.LABELS[0]
    sent = caller.call(state, "save_profile", {"label": label, "max_height": "tall", "crf": "23",
                                                "audio_kbps": "128", "preset": "medium"})
    assert refusals(sent) and state.profile_error == refusals(sent)[0] and state.profile_error_label == label
    sent = caller.call(state, "clear_secret", "smtp_password")
    assert SUCCESS.search(sent) and "Password removed." in sent
