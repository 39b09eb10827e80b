"""Admin media management: browse and search everyone's media, edit details, move an item to
another account, delete; and the admin-editable media types (enabled, size limit).

Admins and superusers only (`access.require_role`). Listing shows every item; each change also
needs `access.can_manage` on the owner (and, for a move, on the new owner), so an admin never
touches a superuser's media. Every change is audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from mediashare.errors import Conflict, NotFound, ValidationFailed
from mediashare.models import AuditAction, MediaItem, MediaKind, MediaType, Role, User, utc_now
from mediashare.services import access, albums, audit, gallery, ingest, studio_versions, users

PAGE_SIZE = 25
MAX_TYPE_MB = 50_000
MAX_QUERY = 100


@dataclass(frozen=True)
class AdminItem:
    id: int
    title: str
    filename: str
    description: str
    kind: MediaKind
    status: str
    size_bytes: int
    owner_id: int
    owner_username: str
    uploaded_at: datetime
    trashed: bool
    manageable: bool


@dataclass(frozen=True)
class AdminPage:
    rows: list[AdminItem]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    session: Session,
    *,
    actor: User,
    q: str = "",
    owner: str = "",
    kind: MediaKind | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> AdminPage:
    """Every item matching `q` (title, file name or owner's username) and the filters, newest first."""
    access.require_role(actor, Role.ADMIN)
    q, owner = q.strip()[:MAX_QUERY], owner.strip()[:MAX_QUERY]
    conditions = []
    if q:
        pattern = _like(q.lower())
        conditions.append(sa.or_(
            func.lower(MediaItem.title).like(pattern, escape="\\"),
            func.lower(MediaItem.original_filename).like(pattern, escape="\\"),
            col(User.username_key).like(pattern, escape="\\"),
        ))
    if owner:
        found = users.find_by_login(session, owner)
        conditions.append(MediaItem.owner_id == (found.id if found else -1))
    if kind is not None:
        conditions.append(MediaItem.kind == MediaKind(kind))
    joined = select(MediaItem, User).join(User, User.id == MediaItem.owner_id).where(*conditions)  # type: ignore[arg-type]
    total = session.exec(
        select(func.count()).select_from(MediaItem).join(User, User.id == MediaItem.owner_id).where(*conditions)  # type: ignore[arg-type]
    ).one()
    pages = max(1, math.ceil(total / page_size))
    page = min(max(int(page), 1), pages)
    found_rows = session.exec(
        joined.order_by(col(MediaItem.uploaded_at).desc(), col(MediaItem.id).desc())
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    verdicts: dict[int, bool] = {}
    rows = []
    for item, person in found_rows:
        if person.id not in verdicts:
            verdicts[person.id] = access.can_manage(session, actor=actor, target=person)
        rows.append(AdminItem(
            id=item.id, title=item.title, filename=item.original_filename, description=item.description,
            kind=item.kind, status=item.status.value, size_bytes=item.size_bytes, owner_id=person.id,
            owner_username=person.username, uploaded_at=item.uploaded_at, trashed=item.trashed_at is not None,
            manageable=verdicts[person.id],
        ))
    return AdminPage(rows=rows, total=total, page=page, pages=pages)


def _managed_item(session: Session, *, actor: User, media_id: int) -> tuple[MediaItem, User]:
    access.require_role(actor, Role.ADMIN)
    item = session.get(MediaItem, media_id) if isinstance(media_id, int) and not isinstance(media_id, bool) else None
    owner = session.get(User, item.owner_id) if item is not None else None
    if item is None or owner is None:
        raise NotFound("That item does not exist.")
    access.require_can_manage(session, actor=actor, target=owner)
    return item, owner


def description_of(session: Session, *, actor: User, media_id: int) -> str:
    """The full description of an item the actor manages (the list leaves it out)."""
    item, _owner = _managed_item(session, actor=actor, media_id=media_id)
    return item.description


def update_details(session: Session, *, actor: User, media_id: int, title: str, description: str) -> MediaItem:
    """Change an item's title and description."""
    item, owner = _managed_item(session, actor=actor, media_id=media_id)
    title, description = str(title).strip(), str(description).strip()
    if len(title) > 200:
        raise ValidationFailed("The title has at most 200 characters.", field="title")
    if len(description) > 5000:
        raise ValidationFailed("The description has at most 5,000 characters.", field="description")
    item.title, item.description, item.updated_at = title, description, utc_now()
    session.add(item)
    audit.record(session, action=AuditAction.MEDIA_UPDATED, actor=actor, target=owner,
                 details={"media_id": item.id, "fields": ["title", "description"]})
    session.commit()
    return item


def move(session: Session, *, actor: User, media_id: int, new_owner: str) -> MediaItem:
    """Give an item to another account the actor manages; its size and its edited versions' move
    from one quota to the other."""
    item, owner = _managed_item(session, actor=actor, media_id=media_id)
    target = users.find_by_login(session, str(new_owner)[:MAX_QUERY])
    if target is None:
        raise NotFound(f"There is no account called {str(new_owner)[:40]}.")
    access.require_can_manage(session, actor=actor, target=target)
    if target.id == owner.id:
        return item
    twin = select(MediaItem.id).where(MediaItem.owner_id == target.id, MediaItem.sha256 == item.sha256)
    if session.exec(twin).first():
        raise Conflict(f"{target.username} already has this file.")
    studio_versions.lock_item(session, item.id)  # type: ignore[arg-type]  # no render settles while we count
    size = item.size_bytes + studio_versions.stored_bytes_of_items(session, [item])[item.id]  # type: ignore[index]
    if not ingest.reserve_storage(session, target, size):
        free, _quota = ingest.free_storage(session, target)
        session.rollback()
        raise ValidationFailed(f"{target.username} does not have enough storage left for this item "
                               f"(it needs {ingest.megabytes(size)} with its edited versions; "
                               f"{ingest.megabytes(free)} is free).")
    ingest.release_storage(session, owner.id, size)
    item.owner_id, item.updated_at = target.id, utc_now()  # type: ignore[assignment]
    session.add(item)
    albums.forget_media(session, [item.id])  # type: ignore[list-item]  # an album holds only its owner's items
    audit.record(session, action=AuditAction.MEDIA_OWNER_CHANGED, actor=actor, target=target,
                 details={"media_id": item.id, "from": owner.username, "to": target.username})
    session.commit()
    return item


def delete(session: Session, *, actor: User, media_id: int) -> None:
    """Delete an item for good (row, files; quota given back)."""
    item, _owner = _managed_item(session, actor=actor, media_id=media_id)
    gallery.delete_items(session, actor=actor, items=[item])


# Media types ---------------------------------------------------------------------------------------


def list_types(session: Session, *, actor: User) -> list[MediaType]:
    access.require_role(actor, Role.ADMIN)
    return list(session.exec(select(MediaType).order_by(col(MediaType.kind), col(MediaType.extension))))


def update_type(session: Session, *, actor: User, extension: str, enabled: bool, max_mb: int) -> MediaType:
    """Enable or disable a type and set its size limit (in MB)."""
    access.require_role(actor, Role.ADMIN)
    row = session.get(MediaType, str(extension)[:10])
    if row is None:
        raise NotFound("That media type does not exist.")
    if not isinstance(enabled, bool):
        raise ValidationFailed("That is not a valid setting.", field="enabled")
    if not isinstance(max_mb, int) or isinstance(max_mb, bool) or not 1 <= max_mb <= MAX_TYPE_MB:
        raise ValidationFailed(f"The size limit is a whole number of MB from 1 to {MAX_TYPE_MB:,}.", field="max_mb")
    before = {"enabled": row.enabled, "max_bytes": row.max_bytes}
    row.enabled, row.max_bytes, row.updated_at = enabled, max_mb * 1024 * 1024, utc_now()
    session.add(row)
    audit.record(session, action=AuditAction.MEDIA_TYPE_CHANGED, actor=actor,
                 details={"extension": row.extension, "before": before,
                          "after": {"enabled": row.enabled, "max_bytes": row.max_bytes}})
    session.commit()
    return row
