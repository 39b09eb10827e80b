"""Admin media management: search, edit, move between accounts (quota moves), delete; media types."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, MediaItem, MediaKind, MediaType, Role, User
from mediashare.services import ingest, media_admin
from tests.factories import make_user
from tests.media_files import jpeg_bytes, png_bytes
from tests.services.test_ingest import _upload


def test_only_admins_browse_and_search_matches_title_filename_and_owner(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    alice = make_user(session, username="alice_photos")
    bob = make_user(session, username="bob")
    a = _upload(session, alice, "Beach_2023.jpg", jpeg_bytes(seed=1))
    b = _upload(session, bob, "cat.png", png_bytes())
    for person in (alice, make_user(session, role=Role.RESELLER)):
        with pytest.raises(PermissionDenied):
            media_admin.search(session, actor=person)
    assert media_admin.search(session, actor=admin).total == 2
    assert [r.id for r in media_admin.search(session, actor=admin, q="beach").rows] == [a.media_id]
    assert [r.id for r in media_admin.search(session, actor=admin, q="ALICE_").rows] == [a.media_id]
    assert [r.id for r in media_admin.search(session, actor=admin, q="%").rows] == []
    assert [r.id for r in media_admin.search(session, actor=admin, owner="bob").rows] == [b.media_id]
    assert media_admin.search(session, actor=admin, owner="nobody").total == 0
    assert media_admin.search(session, actor=admin, kind=MediaKind.VIDEO).total == 0
    row = media_admin.search(session, actor=admin, q="cat").rows[0]
    assert row.owner_username == "bob" and row.manageable


def test_edit_move_and_delete_follow_the_hierarchy_and_move_the_quota(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    alice, bob = make_user(session), make_user(session)
    item = _upload(session, alice, "a.jpg", jpeg_bytes(seed=2))
    size = session.get(MediaItem, item.media_id).size_bytes

    media_admin.update_details(session, actor=admin, media_id=item.media_id, title=" Sunset ", description="Nice")
    assert session.get(MediaItem, item.media_id).title == "Sunset"
    with pytest.raises(ValidationFailed):
        media_admin.update_details(session, actor=admin, media_id=item.media_id, title="x" * 201, description="")

    media_admin.move(session, actor=admin, media_id=item.media_id, new_owner=bob.username)
    session.expire_all()
    assert session.get(MediaItem, item.media_id).owner_id == bob.id
    assert session.get(User, alice.id).storage_used_bytes == 0
    assert session.get(User, bob.id).storage_used_bytes == size
    _upload(session, alice, "again.jpg", jpeg_bytes(seed=2))
    with pytest.raises(Conflict):
        media_admin.move(session, actor=admin, media_id=item.media_id, new_owner=alice.username)

    superuser = make_user(session, role=Role.SUPERUSER)
    with pytest.raises(PermissionDenied):  # an admin never gives media to a superuser
        media_admin.move(session, actor=admin, media_id=item.media_id, new_owner=superuser.username)
    theirs = _upload(session, superuser, "boss.jpg", jpeg_bytes(seed=3))
    with pytest.raises(PermissionDenied):
        media_admin.delete(session, actor=admin, media_id=theirs.media_id)
    with pytest.raises(NotFound):
        media_admin.move(session, actor=admin, media_id=item.media_id, new_owner="no-such-user")

    tiny = make_user(session)
    tiny.storage_quota_bytes = 10
    session.commit()
    with pytest.raises(ValidationFailed):
        media_admin.move(session, actor=admin, media_id=item.media_id, new_owner=tiny.username)

    key = session.get(MediaItem, item.media_id).storage_key
    media_admin.delete(session, actor=admin, media_id=item.media_id)
    session.expire_all()
    assert session.get(MediaItem, item.media_id) is None and not ingest.storage().path(key).exists()
    assert session.get(User, bob.id).storage_used_bytes == 0
    actions = {e.action for e in session.exec(select(AuditEvent))}
    assert {"media.updated", "media.owner_changed", "media.deleted"} <= actions


def test_admins_edit_media_types_and_uploads_follow(session: Session) -> None:
    admin, user = make_user(session, role=Role.ADMIN), make_user(session)
    with pytest.raises(PermissionDenied):
        media_admin.update_type(session, actor=user, extension="png", enabled=False, max_mb=5)
    assert "png" in {row.extension for row in media_admin.list_types(session, actor=admin)}
    media_admin.update_type(session, actor=admin, extension="png", enabled=False, max_mb=5)
    assert session.get(MediaType, "png").max_bytes == 5 * 1024 * 1024
    with pytest.raises(Exception, match="not a supported type"):
        ingest.limit_for(session, "x.png")
    for bad in (0, 50_001, "5", True):
        with pytest.raises(ValidationFailed):
            media_admin.update_type(session, actor=admin, extension="png", enabled=True, max_mb=bad)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        media_admin.update_type(session, actor=admin, extension="exe", enabled=True, max_mb=5)
    changed = session.exec(select(AuditEvent).where(AuditEvent.action == "media.type_changed")).one()
    assert changed.details["after"] == {"enabled": False, "max_bytes": 5 * 1024 * 1024}
