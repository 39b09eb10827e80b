"""Share links in the interface: the "Share" dialog (media viewer, album page), the /shares list,
and the public page /s/[token].

The dialog keeps only what it shows (the target, the chosen expiry, the finished link); the
password typed for a new link goes straight to the service. The public page reads the link's unlock
cookie (HttpOnly, set by the unlock form route) from this connection's handshake headers, never from
client state, and shows URLs of the share byte routes, which check the link again on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from mediashare import db, routes
from mediashare.errors import Gone, MediashareError, NotFound
from mediashare.services import gallery, shares
from mediashare.state import acting, guard
from mediashare.state.arguments import as_choice, as_flag, as_id, form_text
from mediashare.state.notice import NoticeState
from mediashare.state.session import SessionState

EXPIRY_OPTIONS = [("never", "Never"), ("1d", "1 day"), ("7d", "7 days"), ("30d", "30 days"),
                  ("custom", "On a date…")]


def _when(moment: datetime | None, empty: str = "") -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else empty


class ShareDialogState(SessionState):
    """The "Share" dialog: choose options, create the link, copy it."""

    share_open: bool = False
    share_kind: str = ""  # "item" or "album"
    share_title: str = ""
    share_expiry: str = "never"
    share_url: str = ""
    share_error: str = ""
    _media_id: int = 0  # what the dialog shares: one item …
    _album_id: int = 0  # … or one album

    def _open(self, kind: str, target_id: object):
        try:
            target = as_id(target_id, what="item" if kind == "item" else "album")
            ids = {"media_id": target} if kind == "item" else {"album_id": target}
            with db.session_scope() as session:
                self.share_title = shares.target_title(session, actor=self._actor(session), **ids)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._media_id, self._album_id = (target, 0) if kind == "item" else (0, target)
        self.share_kind = kind
        self.share_expiry, self.share_url, self.share_error, self.share_open = "never", "", "", True
        return None

    @rx.event
    @guard.signed_in
    def open_for_item(self, media_id: int):
        return self._open("item", media_id)

    @rx.event
    @guard.signed_in
    def open_for_album(self, album_id: int):
        return self._open("album", album_id)

    @rx.event
    @guard.signed_in
    def set_share_open(self, value: bool):
        self.share_open = value is True

    @rx.event
    @guard.signed_in
    def set_share_expiry(self, value: str):
        try:
            self.share_expiry = as_choice(value, [key for key, _ in EXPIRY_OPTIONS], field="expiry")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def create_share(self, form_data: dict):
        if not (self._media_id or self._album_id) or self.share_url:
            return rx.toast.error("Choose what to share first.")

        def create(session, actor) -> None:
            password = form_text(form_data, "password", max_length=200)
            custom = form_text(form_data, "custom_date", max_length=20)
            download = form_data.get("allow_download") in ("on", True, "true") if isinstance(form_data, dict) else False
            target = {"media_id": self._media_id} if self._media_id else {"album_id": self._album_id}
            self.share_url = shares.create(session, actor=actor, expires=self.share_expiry, custom_date=custom,
                                           password=password, allow_download=as_flag(download, field="download choice"),
                                           client=self._client(), **target).url

        self.share_error = acting.attempt(self, create)
        if self.share_error:
            return rx.toast.error(self.share_error)
        return rx.toast.success("Link created. Copy it and send it to whoever should see it.")


@dataclass
class ShareRowView:
    id: int
    kind: str
    title: str
    target_path: str
    thumb_url: str
    url: str
    status: str
    protected: bool
    downloads: bool
    expires: str
    created: str
    views: int
    last_viewed: str


class SharesState(SessionState):
    """/shares: the links I shared, with views, expiry, status, copy and revoke."""

    rows: list[ShareRowView] = []
    loaded: bool = False

    def _fill(self, session, user) -> None:
        self.rows = [
            ShareRowView(id=row.id, kind=row.kind, title=row.title, target_path=row.target_path,
                         thumb_url=gallery.thumbnail_url(row.thumbnail_media_id, viewer_id=user.id)
                         if row.thumbnail_media_id else "",
                         url=row.url, status=row.status, protected=row.has_password, downloads=row.allow_download,
                         expires=_when(row.expires_at, "Never"), created=_when(row.created_at),
                         views=row.view_count, last_viewed=_when(row.last_viewed_at, "Not yet"))
            for row in shares.list_mine(session, actor=user)
        ]

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.load(self, self._fill)

    @rx.event
    @guard.signed_in
    def revoke(self, share_id: int):
        return acting.act(self, lambda session, actor: shares.revoke(
            session, actor=actor, share_id=as_id(share_id, what="link"), client=self._client()),
            reload=lambda: acting.refill(self, self._fill),
            done="The link is turned off. Anyone who opens it now sees that it was revoked.")


@dataclass
class SharedTile:
    index: int
    title: str
    kind: str
    thumb_url: str
    preview_url: str
    video_url: str
    download_url: str


def _cookie(header: str, name: str) -> str | None:
    if not header:
        return None
    try:
        morsel = SimpleCookie(header).get(name)
    except CookieError:
        return None
    return morsel.value if morsel is not None else None


class PublicShareState(NoticeState):
    """/s/[token]: what a link shares, for anyone holding it (no account needed)."""

    link_status: str = "loading"  # loading, missing, gone, locked, open
    link_message: str = ""
    link_kind: str = ""
    link_title: str = ""
    link_description: str = ""
    link_owner: str = ""
    link_expires: str = ""
    link_downloads: bool = False
    unlock_action: str = ""
    zip_url: str = ""
    tiles: list[SharedTile] = []
    current: int = -1  # the item open in the viewer; -1: the grid

    def _tile(self) -> SharedTile | None:
        return self.tiles[self.current] if 0 <= self.current < len(self.tiles) else None

    @rx.var
    def current_title(self) -> str:
        tile = self._tile()
        return tile.title if tile else ""

    @rx.var
    def current_kind(self) -> str:
        tile = self._tile()
        return tile.kind if tile else ""

    @rx.var
    def current_preview(self) -> str:
        tile = self._tile()
        return tile.preview_url if tile else ""

    @rx.var
    def current_video(self) -> str:
        tile = self._tile()
        return tile.video_url if tile else ""

    @rx.var
    def current_download(self) -> str:
        tile = self._tile()
        return tile.download_url if tile else ""

    def _reset(self, status: str, message: str = "") -> None:
        self.link_status, self.link_message = status, message
        self.link_kind = self.link_title = self.link_description = self.link_owner = self.link_expires = ""
        self.link_downloads, self.unlock_action, self.zip_url, self.tiles, self.current = False, "", "", [], -1

    @rx.event
    @guard.public
    def load(self):
        self._take_notice()
        raw = self.router.page.params.get("token", "")
        token = raw if isinstance(raw, str) else ""
        if not shares.valid_token(token):
            self._reset("missing", shares.NOT_FOUND)
            return
        unlock = _cookie(self.router.headers.cookie, shares.unlock_cookie_name(token))
        try:
            with db.session_scope() as session:
                opened = shares.open_share(session, token=token, unlock_token=unlock)
                if not opened.needs_password:
                    shares.record_view(session, token=token, unlock_token=unlock, client=self._client())
        except Gone as error:
            self._reset("gone", str(error))
            return
        except NotFound as error:
            self._reset("missing", str(error))
            return
        self._reset("locked" if opened.needs_password else "open")
        self.link_kind, self.link_title, self.link_description = opened.kind, opened.title, opened.description
        self.link_owner, self.link_downloads = opened.owner_name, opened.allow_download
        self.link_expires = _when(opened.expires_at)
        self.unlock_action = routes.API_SHARE_UNLOCK.format(token=token)
        self.zip_url = routes.API_SHARE_ZIP.format(token=token) if opened.allow_download and opened.kind == "album" \
            else ""
        self.tiles = [
            SharedTile(index=index, title=item.title, kind=item.kind,
                       thumb_url=routes.share_media(token, item.id, "thumbnail") if item.has_preview else "",
                       preview_url=routes.share_media(token, item.id, "preview_jpeg") if item.has_preview else "",
                       video_url=routes.share_media(token, item.id, "stream") if item.kind != "image" else "",
                       download_url=routes.share_media(token, item.id, "download") if opened.allow_download else "")
            for index, item in enumerate(opened.items)
        ]
        if opened.kind == "item" and self.tiles:
            self.current = 0

    @rx.event
    @guard.public
    def show(self, index: int):
        """Open item `index` of this page's own list in the viewer (-1 closes it)."""
        if isinstance(index, int) and not isinstance(index, bool) and -1 <= index < len(self.tiles):
            self.current = index if self.link_kind == "album" or index >= 0 else self.current
