"""Reseller branding: link names, contrast rules, logo checks, audit, and which branding a person sees."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session, select

from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Role
from mediashare.services import auth, branding
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")
GOOD = {"slug": "acme-photos", "display_name": "Acme Photos", "primary_color": "#1d4ed8",
        "accent_color": "#b91c1c", "welcome_text": "Welcome to Acme!", "support_email": "help@acme.example"}


def picture(fmt: str = "PNG", size: tuple[int, int] = (800, 400), mode: str = "RGBA", **save: object) -> bytes:
    out = io.BytesIO()
    colour = (200, 80, 40, 128) if mode == "RGBA" else (200, 80, 40)
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def save(session: Session, actor, **changes: object):
    return branding.save(session, actor=actor, client=CLIENT, **{**GOOD, **changes})


# --- contrast ----------------------------------------------------------------------------------------

def test_contrast_ratios_match_wcag() -> None:
    assert branding.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert branding.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert branding.text_on("#ffff00") == branding.DARK_TEXT
    assert branding.text_on("#1d4ed8") == branding.LIGHT_TEXT


def test_a_primary_color_no_text_reads_well_on_is_refused_with_the_ratio() -> None:
    errors = branding.color_errors("#808080", "#b91c1c")  # mid grey: neither white nor black reaches 4.5:1
    assert set(errors) == {"primary_color"}
    assert "at least 4.5:1" in errors["primary_color"]
    ratio = max(branding.contrast("#ffffff", "#808080"), branding.contrast(branding.DARK_TEXT, "#808080"))
    assert f"{ratio:.2f}:1" in errors["primary_color"]


def test_a_pale_accent_is_refused_and_a_dark_one_passes() -> None:
    errors = branding.color_errors("#1d4ed8", "#fde68a")
    assert set(errors) == {"accent_color"}
    assert f"{branding.contrast('#fde68a', '#ffffff'):.2f}:1" in errors["accent_color"]
    assert branding.color_errors("#1d4ed8", "#b91c1c") == {}


def test_malformed_colors_are_refused() -> None:
    errors = branding.color_errors("blue", "#12345")
    assert set(errors) == {"primary_color", "accent_color"}
    assert "#rrggbb" in errors["primary_color"]


# --- fields --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("slug", "problem"), [
    ("ab", "3 to 40"), ("a" * 41, "3 to 40"), ("acme_photos", "a–z"), ("-acme", "start or end"),
    ("acme photos", "a–z"), ("admin", "reserved"), ("api", "reserved"), ("login", "reserved"),
])
def test_bad_link_names_are_refused_with_a_reason(session: Session, slug: str, problem: str) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    with pytest.raises(branding.BrandingInvalid) as refused:
        save(session, reseller, slug=slug)
    assert problem in refused.value.errors["slug"]


def test_every_refused_field_is_named_at_once(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    with pytest.raises(branding.BrandingInvalid) as refused:
        save(session, reseller, slug="x", display_name=" ", primary_color="#808080", accent_color="#ffffff",
             welcome_text="w" * 501, support_email="not-an-address")
    assert set(refused.value.errors) == {"slug", "display_name", "primary_color", "accent_color",
                                         "welcome_text", "support_email"}


def test_a_link_name_is_lowercased_and_unique(session: Session) -> None:
    first, second = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    row = save(session, first, slug="  Acme-Photos ")
    assert row.slug == "acme-photos"
    with pytest.raises(branding.BrandingInvalid) as refused:
        save(session, second, slug="acme-photos")
    assert "taken" in refused.value.errors["slug"]
    save(session, first, display_name="Acme 2")  # saving your own again is fine


def test_welcome_text_is_kept_as_typed_never_interpreted(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    row = save(session, reseller, welcome_text="<b>hi</b> & welcome")
    assert row.welcome_text == "<b>hi</b> & welcome"
    assert branding.effective(session, reseller).welcome == "<b>hi</b> & welcome"


def test_create_and_update_are_audited(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    save(session, reseller, display_name="Acme Pictures")
    events = session.exec(select(AuditEvent).where(AuditEvent.target_id == reseller.id)
                          .order_by(AuditEvent.id)).all()
    actions = [event.action for event in events if event.action.startswith("branding.")]
    assert actions == [AuditAction.BRANDING_CREATED.value, AuditAction.BRANDING_UPDATED.value]
    assert events[-1].details["changed"] == ["display_name"]


# --- who may edit --------------------------------------------------------------------------------------

def test_users_and_admins_without_a_reseller_have_no_branding_of_their_own(session: Session) -> None:
    for role in (Role.USER, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            save(session, make_user(session, role=role))


def test_a_reseller_cannot_edit_another_resellers_branding(session: Session) -> None:
    first, second = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    save(session, second, slug="second-one")
    with pytest.raises(PermissionDenied):
        save(session, first, reseller_id=second.id, slug="stolen")
    assert branding.effective(session, second).slug == "second-one"


def test_an_admin_edits_any_resellers_branding(session: Session) -> None:
    admin, reseller = make_user(session, role=Role.ADMIN), make_user(session, role=Role.RESELLER)
    save(session, admin, reseller_id=reseller.id)
    assert branding.branding_of(session, actor=reseller).slug == GOOD["slug"]
    with pytest.raises(NotFound):
        save(session, admin, reseller_id=make_user(session).id)  # not a reseller


# --- the logo ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "mode", "name"), [("PNG", "RGBA", "logo.png"), ("JPEG", "RGB", "logo.jpg"),
                                                   ("WEBP", "RGB", "logo.webp")])
def test_a_logo_becomes_a_small_png_without_metadata(
    session: Session, isolated_settings: Path, fmt: str, mode: str, name: str
) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    upload = picture(fmt, size=(2000, 1000), mode=mode, exif=exif.tobytes())
    row = branding.set_logo(session, actor=reseller, client=CLIENT, upload=upload, filename=name)
    data, version = branding.read_logo(session, branding_id=row.id)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "PNG" and stored.size == (branding.LOGO_SIZE, branding.LOGO_SIZE // 2)
    assert b"SecretCam" not in data and not stored.getexif()
    assert version == row.logo_hash and branding.effective(session, reseller).logo_url.endswith(f"?v={version}")
    assert list((isolated_settings / "media" / "derived").rglob(row.logo_key))


@pytest.mark.parametrize(("upload", "name", "problem"), [
    (b"just some text, not a picture", "logo.png", "content"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", "not a supported"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "logo.png", "content"),
    (picture("PNG") + b"<script>alert(1)</script>", "logo.png", "markup"),
    (png_header_only(30_000, 30_000), "logo.png", "megapixels"),
    (picture("PNG")[:300], "logo.png", "cannot be read"),
    (picture("GIF", mode="RGB"), "logo.gif", "not a supported"),
])
def test_crafted_or_non_image_logos_are_refused(session: Session, upload: bytes, name: str, problem: str) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    with pytest.raises(ValidationFailed) as refused:
        branding.set_logo(session, actor=reseller, client=CLIENT, upload=upload, filename=name)
    assert problem in str(refused.value)
    assert branding.effective(session, reseller).logo_url == ""


def test_a_logo_over_the_size_limit_is_refused(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    with pytest.raises(ValidationFailed, match="limit for a logo is 2 MB"):
        branding.set_logo(session, actor=reseller, client=CLIENT, upload=b"\0" * (branding.LOGO_MAX_BYTES + 1),
                          filename="logo.png")


def test_replacing_and_removing_a_logo_deletes_the_old_file(session: Session, isolated_settings: Path) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    first = branding.set_logo(session, actor=reseller, client=CLIENT, upload=picture(), filename="a.png").logo_key
    second = branding.set_logo(session, actor=reseller, client=CLIENT, upload=picture(size=(300, 300)),
                               filename="b.png").logo_key
    derived = isolated_settings / "media" / "derived"
    assert not list(derived.rglob(first)) and list(derived.rglob(second))
    row = branding.remove_logo(session, actor=reseller, client=CLIENT)
    assert row.logo_key is None and not list(derived.rglob(second))
    with pytest.raises(NotFound):
        branding.read_logo(session, branding_id=row.id)


# --- resolution ----------------------------------------------------------------------------------------

def test_a_person_sees_the_nearest_resellers_branding(session: Session) -> None:
    top = make_user(session, role=Role.RESELLER)
    middle = make_user(session, role=Role.RESELLER, parent=top)
    customer = make_user(session, parent=middle)
    save(session, top, slug="top-brand", display_name="Top Brand")
    assert branding.effective(session, customer).name == "Top Brand"  # the middle reseller has none
    assert branding.effective(session, middle).name == "Top Brand"
    save(session, middle, slug="middle-brand", display_name="Middle Brand")
    assert branding.effective(session, customer).name == "Middle Brand"
    assert branding.effective(session, middle).name == "Middle Brand"  # a reseller sees its own
    assert branding.effective(session, top).name == "Top Brand"


def test_without_a_branded_reseller_above_the_platform_default_applies(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    assert branding.effective(session, customer) == branding.DEFAULT
    assert branding.effective(session, None).name == branding.PLATFORM_NAME


def test_a_deactivated_resellers_branding_no_longer_applies(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    save(session, reseller)
    reseller.is_active = False
    session.add(reseller)
    session.commit()
    assert branding.effective(session, customer).is_default
    with pytest.raises(NotFound):
        branding.for_slug(session, GOOD["slug"])


def test_a_link_name_finds_its_branding_and_unknown_ones_are_not_found(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    found = branding.for_slug(session, "ACME-photos")
    assert found.name == "Acme Photos" and found.reseller_id == reseller.id and found.on_primary == "#ffffff"
    for unknown in ("nobody-here", "admin", "../etc", "", None):
        with pytest.raises(NotFound):
            branding.for_slug(session, unknown)


def test_reconcile_keeps_the_logo_and_removes_an_orphaned_one(session: Session, isolated_settings: Path) -> None:
    from datetime import timedelta

    from mediashare.services import reconcile

    reseller = make_user(session, role=Role.RESELLER)
    save(session, reseller)
    row = branding.set_logo(session, actor=reseller, client=CLIENT, upload=picture(), filename="a.png")
    orphan = branding._storage().put(io.BytesIO(b"x"), area=branding.AREA, suffix=".png")
    assert reconcile.reconcile(session, grace=timedelta(seconds=-1)).orphan_files_removed == 1
    derived = isolated_settings / "media" / "derived"
    assert list(derived.rglob(row.logo_key)) and not list(derived.rglob(orphan))
