"""Share links: a public link to one item or one album for people without an account.

Creating: only for an item or album the actor owns or manages (the gallery's and albums' rules), by
a verified account; optional expiry, optional password (argon2id), download allowed or not.

The token in the link is an HMAC under the server's secret of a random nonce; the row stores the
nonce and a SHA-256 of the token. The owner can copy the link again (we re-derive it), while a copy
of the database alone opens nothing.

Opening (`open_share`): unknown tokens are NotFound; revoked or expired links are `Gone` with a
sentence saying which. A password-protected link needs an unlock token (`unlock`, kept by the
browser in an HttpOnly cookie), which is bound to the link and to its current password hash. Wrong
passwords are audited and throttled per link and address.

Bytes (`serve`): every request re-checks the link (exists, not revoked, not expired, unlocked), that
the item belongs to what is shared and is neither trashed nor pending, and that downloads are
allowed for the original, the download and the ZIP. Shared copies carry no metadata: previews and
thumbnails are our own re-encodes (made from pixels), and an image's original is served as a
full-size re-encode without EXIF/XMP/ICC (orientation applied), cached under a key derived from
its source. Videos and audio are sent as copies without metadata (location, device, dates, titles;
services/shared_copies.py: a remux, made when the link is created or on first request): "stream"
plays them in the page without the download permission (as any web video can be saved),
"original" and "download" need it.

What an album link shows: the album's own items, in the album's order, without trashed or pending
ones; its sub-albums are not part of the link (share them with links of their own).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import secrets
import tempfile
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer
from PIL import Image, ImageOps
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import Gone, NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from mediashare.jobs import queue
from mediashare.models import (
    Album,
    AlbumItem,
    AuditAction,
    AuditEvent,
    MediaItem,
    MediaKind,
    MediaStatus,
    ShareLink,
    User,
    utc_now,
)
from mediashare.services import access, albums, audit, ingest, media, notifications, passwords, shared_copies
from mediashare.services.auth import Client
from mediashare.services.media_zip import Entry, safe_names
from mediashare.settings import get_settings

NOT_FOUND = "This link does not exist. Check that it was copied completely."
REVOKED = "This link was turned off by the person who shared it."
EXPIRED = "This link has expired."
EXPIRY_CHOICES = {"never": None, "1d": 1, "7d": 7, "30d": 30}  # "custom" takes a date
MAX_CUSTOM_DAYS = 366 * 5
UNLOCK_TTL_SECONDS = 7 * 24 * 3600
UNLOCK_FAILURES = 10  # wrong passwords from one address for one link …
UNLOCK_WINDOW = timedelta(minutes=15)  # … within this window refuse further tries
NOTIFY_EVERY = timedelta(hours=1)  # at most one "your link was viewed" per link and hour
MAX_ALBUM_ITEMS = 2000
VARIANTS = ("preview", "preview_jpeg", "thumbnail", "stream", "original", "download")  # stream: video/audio
DOWNLOADS = ("original", "download")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
_UNLOCK_SALT = "mediashare.share-unlock"
STRIP_QUALITY = 93


# Tokens ------------------------------------------------------------------------------------------


def _token_for(nonce: str) -> str:
    digest = hmac.new(get_settings().secret().encode(), f"share:{nonce}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(share: ShareLink) -> str:
    return _token_for(share.nonce)


def link_path(token: str) -> str:
    return routes.share_page(token)


def link_url(share: ShareLink) -> str:
    """The full link to send to someone."""
    return get_settings().public_origin + link_path(token_of(share))


def valid_token(token: object) -> bool:
    """Whether `token` has a link token's shape (says nothing about whether it exists)."""
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def _find(session: Session, token: object) -> ShareLink:
    if not valid_token(token):
        raise NotFound(NOT_FOUND)
    share = session.exec(select(ShareLink).where(ShareLink.token_hash == _hash(token))).first()
    if share is None:
        raise NotFound(NOT_FOUND)
    return share


def state_of(share: ShareLink, now: datetime | None = None) -> str:
    """"active", "revoked" or "expired"."""
    if share.revoked_at is not None:
        return "revoked"
    if share.expires_at is not None and share.expires_at <= (now or utc_now()):
        return "expired"
    return "active"


def _require_live(share: ShareLink) -> None:
    status = state_of(share)
    if status == "revoked":
        raise Gone(REVOKED)
    if status == "expired":
        raise Gone(EXPIRED)


# Creating, listing, revoking ----------------------------------------------------------------------


def _expiry(expires: object, custom_date: object, now: datetime) -> datetime | None:
    if expires == "custom":
        if not isinstance(custom_date, str) or not custom_date.strip():
            raise ValidationFailed("Choose the date the link should stop working.", field="expires")
        try:
            day = date.fromisoformat(custom_date.strip())
        except ValueError:
            raise ValidationFailed("That date is not valid; use the date picker.", field="expires") from None
        end = datetime.combine(day, time.max, tzinfo=UTC)
        if end <= now:
            raise ValidationFailed("The expiry date must be today or later.", field="expires")
        if end > now + timedelta(days=MAX_CUSTOM_DAYS):
            raise ValidationFailed("A link can expire at most five years from now.", field="expires")
        return end
    if not isinstance(expires, str) or expires not in EXPIRY_CHOICES:
        raise ValidationFailed("Choose when the link expires.", field="expires")
    days = EXPIRY_CHOICES[expires]
    return now + timedelta(days=days) if days is not None else None


def _password(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationFailed("The password must be text.", field="password")
    if len(value) < 4:
        raise ValidationFailed("A link password needs at least 4 characters.", field="password")
    if len(value) > passwords.MAX_LENGTH:
        raise ValidationFailed(f"A link password can be at most {passwords.MAX_LENGTH} characters long.",
                               field="password")
    return passwords.hash_password(value)


@dataclass(frozen=True)
class Created:
    share: ShareLink
    url: str


def _target(session: Session, *, actor: User, media_id: object, album_id: object) -> tuple[int, str, dict]:
    """(owner id, title, row fields) of what is shared; NotFound when the actor may not share it."""
    if (media_id is None) == (album_id is None):
        raise ValidationFailed("Share either one item or one album.")
    if media_id is not None:
        item = media.viewable(session, actor=actor, media_id=media_id)  # type: ignore[arg-type]
        return item.owner_id, item.title or item.original_filename, {"media_id": item.id}
    info = albums.info(session, actor=actor, album_id=album_id)  # type: ignore[arg-type]
    return info.owner_id, info.title, {"album_id": info.id}


def target_title(session: Session, *, actor: User, media_id: int | None = None, album_id: int | None = None) -> str:
    """The title of an item or album the actor may share (NotFound otherwise); for the dialog."""
    return _target(session, actor=actor, media_id=media_id, album_id=album_id)[1]


def create(session: Session, *, actor: User, media_id: int | None = None, album_id: int | None = None,
           expires: object = "never", custom_date: object = "", password: object = "",
           allow_download: object = False, client: Client | None = None) -> Created:
    """A new link to one item or album the actor owns or manages."""
    access.require_verified(actor)
    if not isinstance(allow_download, bool):
        raise ValidationFailed("Choose whether downloads are allowed.")
    owner_id, title, fields = _target(session, actor=actor, media_id=media_id, album_id=album_id)
    now = utc_now()
    expires_at = _expiry(expires, custom_date, now)
    nonce = secrets.token_urlsafe(32)
    share = ShareLink(token_hash=_hash(_token_for(nonce)), nonce=nonce, owner_id=owner_id, created_by_id=actor.id,
                      password_hash=_password(password), allow_download=allow_download, expires_at=expires_at,
                      created_at=now, **fields)
    session.add(share)
    session.flush()
    owner = actor if owner_id == actor.id else session.get(User, owner_id)
    audit.record(session, action=AuditAction.SHARE_CREATED, actor=actor, target=owner,
                 ip=client.ip if client else "", user_agent=client.user_agent if client else "",
                 details={"share_id": share.id, **fields, "title": title, "password": share.password_hash is not None,
                          "allow_download": allow_download,
                          "expires_at": expires_at.isoformat() if expires_at else None})
    session.commit()
    if any(shared_copies.needs_copy(item) for item in _shared_items(session, share)):
        queue.enqueue("mediashare.jobs.shares.prepare_copies", share.id, job_id=f"share-copies-{share.id}")
    return Created(share=share, url=link_url(share))


@dataclass(frozen=True)
class ShareRow:
    """One link as the "Shared links" page lists it."""

    id: int
    kind: str  # "item" or "album"
    title: str
    target_path: str  # the owner's own page of the item or album
    thumbnail_media_id: int | None
    url: str
    status: str  # active, revoked, expired
    has_password: bool
    allow_download: bool
    expires_at: datetime | None
    created_at: datetime
    view_count: int
    last_viewed_at: datetime | None


def _may_manage(session: Session, *, actor: User, share: ShareLink) -> bool:
    if not actor.is_active:
        return False
    if share.owner_id == actor.id or share.created_by_id == actor.id:
        return True
    owner = session.get(User, share.owner_id)
    return owner is not None and access.can_manage(session, actor=actor, target=owner)


def list_mine(session: Session, *, actor: User, limit: int = 500) -> list[ShareRow]:
    """Links to the actor's own items and albums, and links the actor made, newest first."""
    rows = session.exec(select(ShareLink)
                        .where(sa.or_(ShareLink.owner_id == actor.id, ShareLink.created_by_id == actor.id))
                        .order_by(col(ShareLink.created_at).desc(), col(ShareLink.id).desc()).limit(limit)).all()
    now = utc_now()
    result = []
    for share in rows:
        if share.media_id is not None:
            item = session.get(MediaItem, share.media_id)
            kind, title = "item", (item.title or item.original_filename) if item else "(deleted)"
            path, thumb = routes.media_page(share.media_id), share.media_id if item and item.thumbnail_key else None
        else:
            album = session.get(Album, share.album_id)
            kind, title, path = "album", album.title if album else "(deleted)", f"/albums/{share.album_id}"
            ids = _album_item_ids(session, share.album_id, limit=1) if album else []  # type: ignore[arg-type]
            thumb = album.cover_id if album and album.cover_id else (ids[0] if ids else None)
        result.append(ShareRow(id=share.id, kind=kind, title=title, target_path=path,  # type: ignore[arg-type]
                               thumbnail_media_id=thumb, url=link_url(share), status=state_of(share, now),
                               has_password=share.password_hash is not None, allow_download=share.allow_download,
                               expires_at=share.expires_at, created_at=share.created_at,
                               view_count=share.view_count, last_viewed_at=share.last_viewed_at))
    return result


def revoke(session: Session, *, actor: User, share_id: object, client: Client | None = None) -> ShareLink:
    """Turn a link off for good (every page and file behind it fails from now on)."""
    if isinstance(share_id, bool) or not isinstance(share_id, int) or not 1 <= share_id <= 2**31 - 1:
        raise NotFound("That link does not exist.")
    share = session.get(ShareLink, share_id)
    if share is None or not _may_manage(session, actor=actor, share=share):
        raise NotFound("That link does not exist.")
    if share.revoked_at is None:
        share.revoked_at = utc_now()
        session.add(share)
        audit.record(session, action=AuditAction.SHARE_REVOKED, actor=actor, target=session.get(User, share.owner_id),
                     ip=client.ip if client else "", user_agent=client.user_agent if client else "",
                     details={"share_id": share.id, "media_id": share.media_id, "album_id": share.album_id})
        session.commit()
    return share


# Opening -----------------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt=_UNLOCK_SALT)


def _fingerprint(share: ShareLink) -> str:
    return hashlib.sha256((share.password_hash or "").encode()).hexdigest()[:24]


def unlock_cookie_name(token: str) -> str:
    """One cookie per link, named after a hash of its token (never the token itself)."""
    return f"ms_share_{_hash(token)[:16]}"


def is_unlocked(share: ShareLink, unlock_token: str | None) -> bool:
    if share.password_hash is None:
        return True
    if not unlock_token or len(unlock_token) > 512:
        return False
    try:
        share_id, fingerprint = _serializer().loads(unlock_token, max_age=UNLOCK_TTL_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return False
    return share_id == share.id and hmac.compare_digest(str(fingerprint), _fingerprint(share))


def _recent_failures(session: Session, share: ShareLink, ip: str) -> list[datetime]:
    rows = session.exec(select(AuditEvent.created_at, AuditEvent.details)
                        .where(AuditEvent.action == AuditAction.SHARE_UNLOCK_FAILED.value, AuditEvent.ip == ip[:45],
                               AuditEvent.created_at > utc_now() - UNLOCK_WINDOW)
                        .order_by(col(AuditEvent.created_at).desc()).limit(500)).all()
    return [created for created, details in rows if (details or {}).get("share_id") == share.id]


def unlock(session: Session, *, token: object, password: object, client: Client) -> str:
    """Check a link's password; returns the unlock token to keep in a cookie. Wrong: ValidationFailed
    (audited); too many wrong ones from this address: TooManyRequests."""
    share = _find(session, token)
    _require_live(share)
    if share.password_hash is None:
        return _serializer().dumps([share.id, _fingerprint(share)])
    failures = _recent_failures(session, share, client.ip)
    if len(failures) >= UNLOCK_FAILURES:
        wait = max(1, int((min(failures) + UNLOCK_WINDOW - utc_now()).total_seconds() // 60) + 1)
        raise TooManyRequests(f"Too many wrong passwords for this link. Please wait {wait} minutes and try again.",
                              minutes=wait)
    if not isinstance(password, str) or not password or not passwords.verify_password(password[:256],
                                                                                       share.password_hash):
        audit.record(session, action=AuditAction.SHARE_UNLOCK_FAILED, actor=None,
                     target=session.get(User, share.owner_id), ip=client.ip, user_agent=client.user_agent,
                     details={"share_id": share.id})
        session.commit()
        raise ValidationFailed("That password is not right. Ask the person who shared the link.", field="password")
    return _serializer().dumps([share.id, _fingerprint(share)])


@dataclass(frozen=True)
class SharedItem:
    id: int
    title: str
    kind: str  # MediaKind value
    width: int | None
    height: int | None
    has_preview: bool


@dataclass(frozen=True)
class Opened:
    """What a visitor of an open link sees (or that it needs a password first)."""

    share_id: int
    kind: str  # "item" or "album"
    title: str
    description: str
    owner_name: str
    needs_password: bool
    allow_download: bool
    expires_at: datetime | None
    items: list[SharedItem]


def _album_item_ids(session: Session, album_id: int, limit: int = MAX_ALBUM_ITEMS) -> list[int]:
    return list(session.exec(select(AlbumItem.media_id).join(MediaItem, col(MediaItem.id) == AlbumItem.media_id)
                             .where(AlbumItem.album_id == album_id, col(MediaItem.trashed_at).is_(None),
                                    MediaItem.status != MediaStatus.PENDING)
                             .order_by(col(AlbumItem.position), col(AlbumItem.id)).limit(limit)))


def _shared_items(session: Session, share: ShareLink) -> list[MediaItem]:
    """The items the link shows: its item, or its album's own items (not sub-albums), in order."""
    if share.media_id is not None:
        item = session.get(MediaItem, share.media_id)
        ok = item is not None and item.trashed_at is None and item.status is not MediaStatus.PENDING
        return [item] if ok else []  # type: ignore[list-item]
    ids = _album_item_ids(session, share.album_id)  # type: ignore[arg-type]
    found = {item.id: item for item in session.exec(select(MediaItem).where(col(MediaItem.id).in_(ids)))}
    return [found[i] for i in ids if i in found]


def _owner_alive(session: Session, share: ShareLink) -> User:
    owner = session.get(User, share.owner_id)
    if owner is None or not owner.is_active:
        raise Gone("This link no longer works: the account that shared it is not active.")
    return owner


def open_share(session: Session, *, token: object, unlock_token: str | None) -> Opened:
    """What the public page shows for `token` (reads only; `record_view` counts the visit)."""
    share = _find(session, token)
    _require_live(share)
    owner = _owner_alive(session, share)
    needs_password = not is_unlocked(share, unlock_token)
    if share.media_id is not None:
        item = session.get(MediaItem, share.media_id)
        if item is None or item.trashed_at is not None:
            raise Gone("The item behind this link is no longer available.")
        kind, title, description = "item", item.title or item.original_filename, item.description
    else:
        album = session.get(Album, share.album_id)
        if album is None:
            raise Gone("The album behind this link is no longer available.")
        kind, title, description = "album", album.title, album.description
    items = [] if needs_password else [
        SharedItem(id=item.id, title=item.title or item.original_filename, kind=item.kind.value,  # type: ignore[arg-type]
                   width=item.width, height=item.height, has_preview=item.preview_key is not None)
        for item in _shared_items(session, share)]
    return Opened(share_id=share.id, kind=kind, title=title, description="" if needs_password else description,  # type: ignore[arg-type]
                  owner_name=owner.name or owner.username, needs_password=needs_password,
                  allow_download=share.allow_download, expires_at=share.expires_at, items=items)


def record_view(session: Session, *, token: object, unlock_token: str | None, client: Client) -> None:
    """Count one visit of an open, unlocked link (a page load), audit it, and tell the owner at most
    once per NOTIFY_EVERY."""
    share = _find(session, token)
    _require_live(share)
    if not is_unlocked(share, unlock_token):
        return
    now = utc_now()
    session.execute(sa.update(ShareLink).where(col(ShareLink.id) == share.id)
                    .values(view_count=ShareLink.view_count + 1, last_viewed_at=now))
    owner = session.get(User, share.owner_id)
    audit.record(session, action=AuditAction.SHARE_VIEWED, actor=None, target=owner, ip=client.ip,
                 user_agent=client.user_agent, details={"share_id": share.id})
    claimed = session.execute(sa.update(ShareLink).where(
        col(ShareLink.id) == share.id,
        sa.or_(col(ShareLink.notified_at).is_(None), col(ShareLink.notified_at) <= now - NOTIFY_EVERY))
        .values(notified_at=now)).rowcount
    if claimed == 1 and owner is not None:
        what = _title(session, share)
        notifications.create(session, user=owner, kind="share_viewed", title=f"Someone opened your link to {what}",
                             body="Views are counted on the Shared links page.", link=routes.SHARES)
    session.commit()


def _title(session: Session, share: ShareLink) -> str:
    if share.media_id is not None:
        item = session.get(MediaItem, share.media_id)
        return f"“{(item.title or item.original_filename) if item else 'an item'}”"
    album = session.get(Album, share.album_id)
    return f"the album “{album.title if album else ''}”"


# Bytes -------------------------------------------------------------------------------------------


def _checked(session: Session, *, token: object, unlock_token: str | None) -> ShareLink:
    share = _find(session, token)
    _require_live(share)
    _owner_alive(session, share)
    if not is_unlocked(share, unlock_token):
        raise PermissionDenied("Enter the link's password first.")
    return share


def _shared_item(session: Session, share: ShareLink, media_id: object) -> MediaItem:
    if isinstance(media_id, bool) or not isinstance(media_id, int) or media_id < 1:
        raise NotFound("That item is not part of this link.")
    if share.media_id is not None:
        ok = share.media_id == media_id
    else:
        ok = session.exec(select(AlbumItem.id).where(AlbumItem.album_id == share.album_id,
                                                     AlbumItem.media_id == media_id)).first() is not None
    item = session.get(MediaItem, media_id) if ok else None
    if item is None or item.trashed_at is not None or item.status is MediaStatus.PENDING:
        raise NotFound("That item is not part of this link.")
    return item


def _stripped_image(item: MediaItem, source_key: str, area: str) -> media.Served:
    """A full-size re-encode of an image without any metadata (cached; the key derives from the
    source's key, so a new source makes a new copy)."""
    store = ingest.storage()
    cache_key = hashlib.sha256(f"share-full:{area}:{source_key}".encode()).hexdigest()[:32] + ".jpg"
    path = store.path(cache_key, area="derived")
    if not path.is_file():
        with store.open(source_key, area=area) as source:
            encoded = strip_to_jpeg(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as tmp:
            tmp.write(encoded)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, path)
    return media.Served(path=path, content_type="image/jpeg", etag=f'"{cache_key.split(".")[0]}"',
                        download_name=None)


def _stripped_media(item: MediaItem) -> media.Served:
    """A video's or audio's copy without metadata (services/shared_copies.py), made on first use."""
    path = shared_copies.ensure(item)
    return media.Served(path=path, content_type=item.mime, etag=f'"{path.name.split(".")[0]}"', download_name=None)


def strip_to_jpeg(source) -> bytes:
    """A JPEG of the upright pixels only: no EXIF, XMP, GPS, ICC or comments."""
    with Image.open(source) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
            rgba = upright.convert("RGBA")
            rgb = Image.new("RGB", rgba.size, (255, 255, 255))
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        else:
            rgb = upright.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)  # a fresh image: no info dict, no exif carried over
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=STRIP_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _download_name(item: MediaItem, served: media.Served) -> str:
    name = media.download_name(item)
    if served.content_type == "image/jpeg" and item.kind is MediaKind.IMAGE:
        name = name.rsplit(".", 1)[0] + ".jpg"
    return name


def serve(session: Session, *, token: object, unlock_token: str | None, media_id: object, variant: str) -> media.Served:
    """One file of one item behind a link, after every check (see the module docstring)."""
    if variant not in VARIANTS:
        raise NotFound("That item is not part of this link.")
    share = _checked(session, token=token, unlock_token=unlock_token)
    item = _shared_item(session, share, media_id)
    if variant in DOWNLOADS and not share.allow_download:
        raise PermissionDenied("The person who shared this link did not allow downloads.")
    if variant == "stream":  # playing a video or audio in the page (no download button without permission)
        if item.kind is MediaKind.IMAGE:
            raise NotFound("That item is not part of this link.")
        return _stripped_media(item)
    if variant not in DOWNLOADS:
        owner = session.get(User, item.owner_id)
        return media.serve(session, actor=owner, media_id=item.id, variant=variant)  # type: ignore[arg-type]
    if item.kind is MediaKind.IMAGE:
        served = _stripped_image(item, *media.shown_full(session, item))
    else:
        served = _stripped_media(item)
    name = _download_name(item, served) if variant == "download" else None
    return media.Served(path=served.path, content_type=served.content_type, etag=served.etag, download_name=name)


def prepare_copies(session: Session, share_id: int) -> int:
    """Make the copies without metadata of the videos and audio behind a live link ahead of the
    first visitor (jobs.shares); returns how many were made or already there."""
    share = session.get(ShareLink, share_id)
    if share is None or state_of(share) != "active":
        return 0
    made = 0
    for item in _shared_items(session, share):
        if shared_copies.needs_copy(item):
            try:
                shared_copies.ensure(item)
                made += 1
            except NotFound:
                continue  # this file cannot be copied; its requests say so
    return made


def zip_entries(session: Session, *, token: object, unlock_token: str | None) -> list[Entry]:
    """The ZIP of everything behind an album link (stripped copies of images), if downloads are allowed."""
    share = _checked(session, token=token, unlock_token=unlock_token)
    if not share.allow_download:
        raise PermissionDenied("The person who shared this link did not allow downloads.")
    items = _shared_items(session, share)
    served = [serve(session, token=token, unlock_token=unlock_token, media_id=item.id, variant="download")
              for item in items]
    names = safe_names([entry.download_name or "media" for entry in served])
    return [Entry(name=name, path=entry.path) for name, entry in zip(names, served, strict=True)]

