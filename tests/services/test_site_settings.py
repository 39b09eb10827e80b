"""The superuser settings page's rules: checked values, audit without secrets, and each setting
taking effect on the next use (lockout, sign-up role and credits, two-factor, email, uploads)."""

from __future__ import annotations

import socket

import pytest
from sqlmodel import Session, select

from mediashare.errors import AccountLocked, InvalidCredentials, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, LedgerTransaction, Role, User
from mediashare.services import auth, branding, ingest, ledger, platform, registration, site_settings, two_factor
from mediashare.settings import get_settings
from tests.conftest import Mailbox
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.9", user_agent="pytest")


@pytest.fixture
def root(session: Session) -> User:
    return make_user(session, role=Role.SUPERUSER, username="root", email="root@example.com")


def _changes(session: Session, key: str) -> list[dict]:
    rows = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.SETTING_CHANGED.value)).all()
    return [row.details for row in rows if row.details.get("key") == key]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_section_is_checked_whole_and_saved_audited_only_when_every_value_is_right(
    session: Session, root: User
) -> None:
    with pytest.raises(site_settings.SettingsInvalid) as refused:
        site_settings.save_section(session, actor=root, section="accounts",
                                   form={"signup_credits": "25", "lockout_threshold": "three", "lockout_minutes": "0"})
    assert set(refused.value.errors) == {"lockout_threshold", "lockout_minutes"}
    assert "whole number" in refused.value.errors["lockout_threshold"]
    assert "from 1 to 10,080" in refused.value.errors["lockout_minutes"]
    assert platform.get(session, "signup_credits") == 0  # nothing stored while one value is wrong

    changed = site_settings.save_section(session, actor=root, section="accounts",
                                         form={"signup_credits": "25", "lockout_threshold": "", "lockout_minutes": ""})
    assert changed == ["signup_credits"]
    assert _changes(session, "signup_credits") == [{"key": "signup_credits", "from": 0, "to": 25}]

    admin = make_user(session, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        site_settings.save_section(session, actor=admin, section="general", form={"site_name": "Mine"})
    with pytest.raises(site_settings.SettingsInvalid, match="Site name"):
        site_settings.save_section(session, actor=root, section="general", form={"site_name": "  "})


def test_the_lockout_threshold_from_the_page_wins_over_the_environment_at_the_next_attempt(
    session: Session, root: User
) -> None:
    member = make_user(session)
    assert auth.lockout_policy(session).threshold == get_settings().lockout_threshold == 5
    site_settings.save_section(session, actor=root, section="accounts",
                               form={"lockout_threshold": "3", "lockout_minutes": "2"})
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            auth.login(session, identifier=member.username, password="wrong", client=CLIENT)
    with pytest.raises(AccountLocked) as locked:
        auth.login(session, identifier=member.username, password="wrong", client=CLIENT)
    assert locked.value.minutes == 2

    site_settings.save_section(session, actor=root, section="accounts",
                               form={"lockout_threshold": "", "lockout_minutes": ""})  # empty: the environment again
    assert auth.lockout_policy(session) == auth.LockoutPolicy(threshold=5, minutes=get_settings().lockout_minutes)
    assert site_settings.snapshot(session, actor=root).texts["lockout_threshold"] == ""


def test_the_smtp_password_is_never_shown_back_nor_written_to_the_audit_log(session: Session, root: User) -> None:
    site_settings.save_section(session, actor=root, section="email", form={
        "smtp_host": "smtp.example.com", "smtp_port": "2525", "smtp_username": "ops",
        "smtp_password": "hunter2 secret", "smtp_from": "Ops <ops@example.com>"})
    shown = site_settings.snapshot(session, actor=root)
    assert shown.texts["smtp_password"] == "" and shown.secrets_set["smtp_password"]
    assert shown.texts["smtp_host"] == "smtp.example.com" and shown.texts["smtp_port"] == "2525"
    events = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.SETTING_CHANGED.value)).all()
    assert events and not any("hunter2" in str(event.details) for event in events)
    assert _changes(session, "smtp_password") == [{"key": "smtp_password", "from": "empty", "to": "set"}]

    # An empty password field keeps the stored one; Remove forgets it.
    site_settings.save_section(session, actor=root, section="email", form={"smtp_password": "", "smtp_port": "25"})
    assert platform.get(session, "smtp_password") == "hunter2 secret"
    site_settings.clear_secret(session, actor=root, key="smtp_password")
    assert platform.get(session, "smtp_password") == ""

    with pytest.raises(site_settings.SettingsInvalid) as refused:
        site_settings.save_section(session, actor=root, section="email",
                                   form={"smtp_host": "smtp example", "smtp_from": "nobody", "smtp_port": "70000"})
    assert set(refused.value.errors) == {"smtp_host", "smtp_from", "smtp_port"}


def test_the_test_email_goes_through_the_smtp_server_saved_on_the_page(
    session: Session, root: User, smtp_server: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = get_settings().smtp_port
    monkeypatch.setenv("SMTP_PORT", str(_closed_port()))  # the environment now points nowhere
    get_settings.cache_clear()
    site_settings.save_section(session, actor=root, section="general", form={"site_name": "Acme Photos"})
    site_settings.save_section(session, actor=root, section="email", form={
        "smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_from": "ops@acme.test"})
    site_settings.set_choice(session, actor=root, key="smtp_security", value="none")

    said = site_settings.send_test_email(session, actor=root)
    assert "root@example.com" in said
    message = smtp_server.wait_for(to="root@example.com", subject="Acme Photos test message")
    assert message["From"] == "Acme Photos <ops@acme.test>"

    site_settings.save_section(session, actor=root, section="email", form={"smtp_port": str(_closed_port())})
    with pytest.raises(site_settings.TestEmailFailed) as failed:
        site_settings.send_test_email(session, actor=root)
    assert "was not sent" in str(failed.value) and "refused" in str(failed.value).lower()


def test_sign_ups_get_the_chosen_role_and_starting_credits_once(session: Session, root: User) -> None:
    site_settings.save_section(session, actor=root, section="accounts", form={"signup_credits": "25"})
    site_settings.set_choice(session, actor=root, key="signup_role", value="reseller")
    made = registration.register(session, username="newshop", email="shop@example.com",
                                 password="a long new password", client=CLIENT).user
    assert made.role is Role.RESELLER and ledger.balance(session, user=made) == 25
    registration._grant_starting_credits(session, user=made)  # a second try changes nothing
    session.commit()
    assert ledger.balance(session, user=made) == 25
    assert len(session.exec(select(LedgerTransaction).where(LedgerTransaction.idempotency_key
                                                            == f"signup:{made.id}")).all()) == 1
    # Under a reseller (its link or a referral) a sign-up is always a user.
    assert registration.signup_role(session, parent_id=made.id) is Role.USER
    with pytest.raises(site_settings.SettingsInvalid, match="whole number"):
        site_settings.save_section(session, actor=root, section="accounts", form={"signup_credits": "-1"})
    with pytest.raises(site_settings.SettingsInvalid, match="from 0 to 1,000,000"):
        site_settings.save_section(session, actor=root, section="accounts", form={"signup_credits": "2000000"})


def test_two_factor_per_role_verified_uploads_site_name_and_media_limits_apply_at_once(
    session: Session, root: User
) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER)
    site_settings.set_switch(session, actor=root, key="require_2fa_for_admins", on=True)
    assert two_factor.setup_required(session, user=admin)
    assert not two_factor.setup_required(session, user=reseller) and not two_factor.setup_required(session, user=root)

    member = make_user(session)
    assert ingest.require_owner(session, actor=member, owner_id=member.id) is member
    site_settings.set_switch(session, actor=root, key="require_verified_email", on=True)
    with pytest.raises(PermissionDenied, match="Verify your email"):
        ingest.require_owner(session, actor=member, owner_id=member.id)

    site_settings.save_section(session, actor=root, section="general",
                               form={"site_name": " Acme Photos ", "maintenance_banner": "Down at\n 22:00 UTC."})
    assert branding.effective(session, member).name == "Acme Photos"
    assert site_settings.banner(session) == "Down at 22:00 UTC."

    with pytest.raises(site_settings.SettingsInvalid) as refused:
        site_settings.save_section(session, actor=root, section="media", form={
            "transcode_max_duration_seconds": "0", "map_tile_url": "http://tiles.example/{z}/{x}/{y}.png"})
    assert "from 1 to 1,440" in refused.value.errors["transcode_max_duration_seconds"]
    assert "https://" in refused.value.errors["map_tile_url"]
    site_settings.save_section(session, actor=root, section="media", form={
        "transcode_max_duration_seconds": "90", "transcode_max_output_bytes": "2048"})
    assert platform.get(session, "transcode_max_duration_seconds") == 90 * 60
    assert platform.get(session, "transcode_max_output_bytes") == 2048 * 1024**2
    assert site_settings.set_quality(session, actor=root, label="480p", on=True) == ["480p"]


def test_a_video_profile_is_saved_checked_by_the_transcode_service(session: Session, root: User) -> None:
    form = {"max_height": "720", "crf": "28", "audio_kbps": "96", "preset": "fast"}
    site_settings.save_profile(session, actor=root, label="playable", form=form)
    playable = next(row for row in site_settings.profiles(session, actor=root) if row.label == "playable")
    assert (playable.max_height, playable.crf, playable.preset, playable.audio_kbps) == ("720", "28", "fast", "96")
    with pytest.raises(ValidationFailed, match="from 0 to 51"):
        site_settings.save_profile(session, actor=root, label="480p", form={**form, "crf": "60"})
    with pytest.raises(ValidationFailed, match="Audio bitrate of 480p: enter a whole number"):
        site_settings.save_profile(session, actor=root, label="480p", form={**form, "audio_kbps": "lots"})
    assert len(_changes(session, "transcode_profiles")) == 1
