"""Free tags: each owner's library has its own set of tag names ("beach", "Grandma"), unique ignoring
case; items carry any number of them (up to MAX_PER_ITEM). Tags are added and removed on one item or
a bulk selection; a name no item carries any more is forgotten (gallery.prune_tags). Suggestions (for autocomplete) are
the owner's names, most used first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, MediaItem, MediaTag, Tag, User, utc_now
from mediashare.services import audit, gallery, media, search
from mediashare.services.auth import Client

MAX_NAME = 40
MAX_PER_ITEM = 50
MAX_AT_ONCE = 20  # names in one request
MAX_LIBRARY = 500  # names offered for autocomplete and the filter
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int


def clean_name(value: object) -> str:
    """One tag name: trimmed, inner spaces collapsed, printable, no commas, 1–MAX_NAME characters."""
    if not isinstance(value, str):
        raise ValidationFailed("A tag is text.", field="tags")
    name = _SPACES.sub(" ", "".join(ch for ch in value if ch.isprintable())).strip()
    if not name:
        raise ValidationFailed("A tag cannot be empty.", field="tags")
    if "," in name:
        raise ValidationFailed("A tag cannot contain a comma (commas separate tags).", field="tags")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"A tag has at most {MAX_NAME} characters: “{name[:MAX_NAME]}…” is longer.",
                               field="tags")
    return name


def parse_names(text: object) -> list[str]:
    """Comma-separated names as typed ("beach, summer 2024"), cleaned, without repeats (ignoring case)."""
    if not isinstance(text, str):
        raise ValidationFailed("Tags are text.", field="tags")
    names: dict[str, str] = {}
    for part in text.split(","):
        if part.strip():
            name = clean_name(part)
            names.setdefault(name.casefold(), name)
    if not names:
        raise ValidationFailed("Type at least one tag.", field="tags")
    if len(names) > MAX_AT_ONCE:
        raise ValidationFailed(f"Add at most {MAX_AT_ONCE} tags at a time.", field="tags")
    return list(names.values())


def _key(name: str) -> str:
    return name.casefold()[:MAX_NAME]


def tags_of(session: Session, *, actor: User, media_id: int) -> list[str]:
    """The item's tag names, alphabetically (NotFound if the actor may not view it)."""
    item = media.viewable(session, actor=actor, media_id=media_id)
    return list(session.exec(
        select(Tag.name).join(MediaTag, MediaTag.tag_id == Tag.id).where(MediaTag.media_id == item.id)
        .order_by(Tag.name_key)
    ).all())


def library(session: Session, *, actor: User, owner_id: int | None = None, prefix: str = "",
            limit: int = MAX_LIBRARY) -> list[TagCount]:
    """The owner's (default: the actor's) tags with how many items carry each, most used first;
    `prefix` keeps the names starting with it (ignoring case)."""
    owner = gallery.owner_for(session, actor=actor, owner_id=owner_id)
    query = (select(Tag.name, sa.func.count(MediaTag.media_id))
             .join(MediaTag, MediaTag.tag_id == Tag.id, isouter=True)
             .where(Tag.owner_id == owner.id)
             .group_by(Tag.id, Tag.name, Tag.name_key)
             .order_by(sa.func.count(MediaTag.media_id).desc(), Tag.name_key)
             .limit(max(1, min(limit, MAX_LIBRARY))))
    if prefix:
        escaped = _key(prefix).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Tag.name_key.like(escaped + "%", escape="\\"))  # type: ignore[attr-defined]
    return [TagCount(name, int(count)) for name, count in session.exec(query).all()]


def _tag_ids(session: Session, owner_id: int, names: list[str]) -> dict[str, int]:
    """The ids of `names` in the owner's library, creating those that are new (key → id)."""
    keys = {_key(name): name for name in names}
    found = dict(session.exec(select(Tag.name_key, Tag.id).where(Tag.owner_id == owner_id,
                                                                  Tag.name_key.in_(keys))).all())  # type: ignore[attr-defined]
    for key, name in keys.items():
        if key not in found:
            tag = Tag(owner_id=owner_id, name=name, name_key=key, created_at=utc_now())
            session.add(tag)
            session.flush()
            found[key] = tag.id
    return found  # type: ignore[return-value]


def _audit(session: Session, *, actor: User, items: list[MediaItem], names: list[str], added: bool,
           client: Client | None) -> None:
    owners: dict[int, User | None] = {}
    for item in items:
        owners.setdefault(item.owner_id, session.get(User, item.owner_id))
        audit.record(session, action=AuditAction.MEDIA_UPDATED, actor=actor, target=owners[item.owner_id],
                     ip=client.ip if client else "", user_agent=client.user_agent if client else "",
                     details={"media_id": item.id, "fields": ["tags"], "added" if added else "removed": names})


def add(session: Session, *, actor: User, ids: Iterable[int], names: list[str], client: Client | None = None) -> int:
    """Put `names` on every chosen item (all or nothing); returns how many items were chosen."""
    names = [clean_name(name) for name in names][:MAX_AT_ONCE]
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    if not items or not names:
        return 0
    table = MediaTag.__table__  # type: ignore[attr-defined]
    by_owner: dict[int, list[MediaItem]] = {}
    for item in items:
        by_owner.setdefault(item.owner_id, []).append(item)
    for owner_id, owned in by_owner.items():
        tag_ids = _tag_ids(session, owner_id, names)
        media_ids = [item.id for item in owned]
        have = set(session.execute(sa.select(table.c.media_id, table.c.tag_id).where(
            table.c.media_id.in_(media_ids), table.c.tag_id.in_(list(tag_ids.values())))).all())
        counts = dict(session.execute(sa.select(table.c.media_id, sa.func.count()).where(
            table.c.media_id.in_(media_ids)).group_by(table.c.media_id)).all())
        rows = []
        for item in owned:
            new = [tag_id for tag_id in tag_ids.values() if (item.id, tag_id) not in have]
            if counts.get(item.id, 0) + len(new) > MAX_PER_ITEM:
                raise ValidationFailed(f"{item.title or item.original_filename} would have more than "
                                       f"{MAX_PER_ITEM} tags.", field="tags")
            rows += [{"media_id": item.id, "tag_id": tag_id} for tag_id in new]
        if rows:
            session.execute(sa.insert(table), rows)
    now = utc_now()
    for item in items:
        item.updated_at = now
        session.add(item)
    session.flush()
    search.refresh(session, [item.id for item in items])  # type: ignore[misc]
    _audit(session, actor=actor, items=items, names=names, added=True, client=client)
    session.commit()
    return len(items)


def remove(session: Session, *, actor: User, ids: Iterable[int], names: list[str],
           client: Client | None = None) -> int:
    """Take `names` off every chosen item; a name no item carries any more is forgotten."""
    keys = [_key(clean_name(name)) for name in names][:MAX_AT_ONCE]
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    if not items or not keys:
        return 0
    table = MediaTag.__table__  # type: ignore[attr-defined]
    owners = {item.owner_id for item in items}
    tag_ids = list(session.exec(select(Tag.id).where(Tag.owner_id.in_(owners), Tag.name_key.in_(keys))).all())  # type: ignore[attr-defined]
    if tag_ids:
        session.execute(sa.delete(table).where(table.c.media_id.in_([item.id for item in items]),
                                               table.c.tag_id.in_(tag_ids)))
        gallery.prune_tags(session, tag_ids=tag_ids)
    now = utc_now()
    for item in items:
        item.updated_at = now
        session.add(item)
    session.flush()
    search.refresh(session, [item.id for item in items])  # type: ignore[misc]
    _audit(session, actor=actor, items=items, names=[str(k) for k in keys], added=False, client=client)
    session.commit()
    return len(items)
