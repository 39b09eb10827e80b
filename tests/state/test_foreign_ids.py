"""Another person's ids get a signed-in caller nothing, through every event handler.

Any browser can call any handler with any arguments, so this walks the whole State tree (as
test_handler_access does) and finds every handler that takes an id (by its parameters' names), every
id a state keeps for later (`selected`, `item_id`, …; planted here as a forged event would try to),
and every page whose URL carries an id (`/media/[media_id]`, through its loader).
Each is called as the least powerful account the gate lets through, with the ids of a peer it may
not manage: media (ready, trashed, processing, pending, failed), sessions, devices, notifications
and the account itself. Afterwards nothing of the peer's has changed in the database or in storage,
nothing of theirs (titles, file names, names, URLs) appears in the caller's state, and the caller
got a refusal rather than a crash.

A new handler that takes an id, a new id kept in a state or a new id in a URL fails here until this
file knows what the id refers to: so new handlers are covered without anyone remembering to add them.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
import sqlalchemy as sa
from reflex.istate.data import RouterData
from reflex_base import constants
from reflex_base.registry import RegistrationContext
from sqlmodel import Session, SQLModel, select

import mediashare.mediashare  # noqa: F401  (registers every page and state)
from mediashare import routes
from mediashare.jobs import queue
from mediashare.models import (
    AuthSession,
    CatalogEntry,
    Device,
    EntryKind,
    MediaItem,
    MediaKind,
    MediaStatus,
    Notification,
    PersonTag,
    Role,
    ShareLink,
    TagSource,
    User,
    utc_now,
)
from mediashare.services import albums, auth, catalog, gallery, ingest, notifications, people, studio_versions, tickets
from mediashare.services.payments import topups
from mediashare.state import guard
from mediashare.state.user_admin import DIALOGS
from tests.factories import PASSWORD, make_user
from tests.media_files import jpeg_bytes
from tests.services.test_media import stored
from tests.state.test_upload_state import chunks_of, run_upload

MISSING_PLAN_ID = 2**31 - 2
ID_NAME = re.compile(r"(^|_)ids?$")  # media_id, user_id, session_id, ids, …
KEPT_ID_NAME = re.compile(r"(^|_)ids?$|^_?selected$")  # and a state's own selection

# What an id parameter, or an id a state keeps, refers to. A new one must be added here.
PARAMETER_REFERS_TO = {
    "media_id": "media", "item_id": "media", "ids": "media_list", "media_ids": "media_list",
    "user_id": "user", "owner_id": "user", "session_id": "session", "device_id": "device",
    "notification_id": "notification", "version_id": "version", "request_id": "topup", "plan_id": "plan",
    "album_id": "album", "parent_id": "album", "entry_id": "entry", "share_id": "share",
    "person_id": "person", "target_id": "person", "tag_id": "person_tag",
    "genre_id": "genre", "ticket_id": "ticket",
    "album_key": "catalog_album",  # a music album's identifier (services/catalog_albums.py)
}
KEPT_REFERS_TO = {
    "GalleryState.selected": "media_list",
    "MediaState.item_id": "media",
    "MediaAdminState._selected_id": "media",
    "UserAdminState.selected_id": "user",
    "UploadState.owner_id": "user",
    "StudioState.media_id": "media",
    "BrandingState._reseller_id": "user",
    "TopUpQueueState.deciding_id": "topup",
    "PlansAdminState.editing_id": "plan",
    "GenresAdminState.acting_id": "genre",
    "ResellerState._topup_user_id": "user",
    "ResellerState._reseller_id": "user",
    "AlbumState.album_id": "album",
    "AlbumState.cover_id": "media",
    "CatalogEntryState.entry_id": "entry",
    "CatalogEditorState.media_id": "media",
    "CatalogEditorState.entry_id": "entry",
    "CatalogEditorState.genre_ids": "genre_list",
    "ShareDialogState._media_id": "media",
    "ShareDialogState._album_id": "album",
    "PersonState.person_id": "person",
    "FacesState.media_id": "media",
    "TicketState.ticket_id": "ticket",
}
# The other arguments of id-taking handlers: every value a real page sends.
OTHER_ARGUMENTS: dict[str, list[dict[str, Any]]] = {
    "UserAdminState.open_dialog": [{"kind": kind} for kind in DIALOGS],
    "TopUpQueueState.open_decision": [{"kind": "approve"}, {"kind": "reject"}],
    "AlbumState.move": [{"position": 0}, {"position": 3}],
    "GenresAdminState.open_dialog": [{"kind": kind} for kind in ("rename", "merge", "delete")],
    "MusicQueueState.play_album": [{"album_key": "0" * 20}],  # the album page's key (none of the peer's songs)
}
# The page loader that fills a state before its handlers are used (default: `load`).
PAGE_LOADERS = {"UserAdminState": "load_team"}

REFUSAL = re.compile(r"""__toast\\?'\]\?\.\["(error|info|warning)"\]\("((?:[^"\\]|\\.)*)"\)""")
SUCCESS = re.compile(r"""__toast\\?'\]\?\.\["success"\]""")


def _states() -> Iterator[type[rx.State]]:
    def walk(cls: type[rx.State]) -> Iterator[type[rx.State]]:
        yield cls
        for sub in cls.get_substates():
            yield from walk(sub)

    yield from (cls for cls in walk(rx.State) if guard.is_ours(cls))


def _parameters(cls: type[rx.State], name: str) -> list[inspect.Parameter]:
    return list(inspect.signature(cls.event_handlers[name].fn).parameters.values())[1:]


def id_taking_handlers() -> list[tuple[type[rx.State], str]]:
    found = [(cls, name) for cls in _states() for name in cls.event_handlers
             if any(ID_NAME.search(p.name.lstrip("_")) for p in _parameters(cls, name))]
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


def kept_ids() -> list[tuple[type[rx.State], str]]:
    found = []
    for cls in _states():
        own = inspect.get_annotations(cls)  # the vars its own body declares, backend ones too
        found += [(cls, var) for var in own if KEPT_ID_NAME.search(var)]
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


# URL segments that are not ids of anyone's things, with the reason.
PUBLIC_SEGMENTS = {"reseller_slug": "a reseller's public link name (/r/<slug>): the page exists to show it",
                   "token": "a share link's secret token (/s/<token>): holding the link is the permission"}


def pages_with_ids() -> list[tuple[str, str, type[rx.State], str]]:
    """(route, its id segment, state, loader) for every page whose URL carries an id."""
    found = []
    for _render, page in RegistrationContext.ensure_context().decorated_pages:
        segments = [segment for segment in re.findall(r"\[([^\]]+)\]", page.get("route", ""))
                    if segment not in PUBLIC_SEGMENTS]
        loaders = page.get("on_load") or []
        for handler in loaders if isinstance(loaders, list) else [loaders]:
            state = next(cls for cls in _states() if cls.event_handlers.get(handler.fn.__name__) is handler)
            found += [(page["route"], segment, state, handler.fn.__name__) for segment in segments]
    return sorted(found, key=lambda item: item[:2])


HANDLERS = id_taking_handlers()
KEPT = kept_ids()
PAGES = pages_with_ids()


# The peer whose things the caller reaches for ------------------------------------------------


@dataclass
class Peer:
    user: User
    media: dict[str, int]  # status → id
    sessions: list[int]
    devices: list[int]
    notifications: list[int]
    versions: list[int] = field(default_factory=list)  # edited versions of their ready photo
    topups: list[int] = field(default_factory=list)  # their pending top-up request
    albums: list[int] = field(default_factory=list)  # an album holding their ready photo, and one inside it
    entries: list[int] = field(default_factory=list)  # catalog entries of theirs the caller may not see
    shares: list[int] = field(default_factory=list)  # share links to their photo and their album
    people: list[int] = field(default_factory=list)  # a person tagged on their ready photo
    person_tags: list[int] = field(default_factory=list)  # that tag, and an open face suggestion
    tickets: list[int] = field(default_factory=list)  # a support ticket they opened, with a picture
    album_keys: list[str] = field(default_factory=list)  # the music album their catalog entries are on
    secrets: list[str] = field(default_factory=list)  # text of theirs that must never be shown

    def ids(self, refers_to: str) -> list[Any]:
        return {
            "media": list(self.media.values()),
            "media_list": [list(self.media.values()), *([media_id] for media_id in self.media.values())],
            "user": [self.user.id],
            "session": self.sessions,
            "device": self.devices,
            "notification": self.notifications,
            "version": self.versions,
            "topup": self.topups,
            # Plans are platform-wide: every admin manages every plan, so the only plan id out of
            # reach is one that does not exist.
            "plan": [MISSING_PLAN_ID],
            "album": self.albums,
            "entry": self.entries,
            "share": self.shares,
            "person": self.people,
            "person_tag": self.person_tags,
            "ticket": self.tickets,
            "catalog_album": self.album_keys,
            "genre": [MISSING_PLAN_ID],  # genres are platform-wide too: only a missing one is out of reach
            "genre_list": [[str(MISSING_PLAN_ID)]],  # the catalog editor's picked genres (ids as text)
        }[refers_to]

    def leaked(self, shown: str) -> list[str]:
        found = [text for text in self.secrets if text in shown]
        for media_id in self.media.values():
            found += re.findall(rf"/media/{media_id}(?![0-9])[^'\"]*", shown)  # page links and byte URLs
        return found


def _pending_row(session: Session, owner: User, status: MediaStatus, name: str) -> int:
    """An item caught between upload and storage (pending) or whose derivatives failed."""
    item = MediaItem(owner_id=owner.id, uploaded_by_id=owner.id, status=status, kind=MediaKind.IMAGE,  # type: ignore[arg-type]
                     original_filename=f"{name}.jpg", title=name, extension="jpg", mime="image/jpeg",
                     size_bytes=1234, sha256=name.ljust(64, "0")[:64], storage_key=ingest.storage().new_key(".jpg"),
                     error="could not decode" if status is MediaStatus.FAILED else "")
    session.add(item)
    session.commit()
    return item.id  # type: ignore[return-value]


def make_peer(session: Session, role: Role) -> Peer:
    """An account of `role` outside the caller's team, with one of everything."""
    user = make_user(session, role=role, username=f"peer-{role.value}-zq", display_name="Zebediah Quill")
    media = {}
    for seed, status in enumerate(("ready", "trashed", "processing"), start=100):
        item = stored(session, user, f"peer-{status}-secret.jpg", jpeg_bytes(seed=seed))
        item.title = f"Peer {status} title"
        if status == "processing":
            item.status, item.thumbnail_key = MediaStatus.STORED, None
        session.add(item)
        session.commit()
        media[status] = item.id
    gallery.trash(session, actor=user, ids=[media["trashed"]])
    media["pending"] = _pending_row(session, user, MediaStatus.PENDING, "peer-pending-secret")
    media["failed"] = _pending_row(session, user, MediaStatus.FAILED, "peer-failed-secret")
    for agent in ("PeerBrowser/1.0 (Windows NT 10.0)", "PeerPhone/2.0 (Android 14)"):
        auth.login(session, identifier=user.username, password=PASSWORD,
                   client=auth.Client(ip="203.0.113.77", user_agent=agent))
    for title in ("Peer note one", "Peer note two"):
        notifications.create(session, user=user, kind="share_viewed", title=title, body="peer-notification-body",
                             link=f"/media/{media['ready']}")
    session.commit()

    sessions = [row.id for row in session.exec(select(AuthSession).where(AuthSession.user_id == user.id))]
    devices = [row.id for row in session.exec(select(Device).where(Device.user_id == user.id))]
    notes = [row.id for row in session.exec(select(Notification).where(Notification.user_id == user.id))]
    assert len(sessions) == 2 and len(devices) >= 1 and len(notes) >= 2
    items = [session.get(MediaItem, media_id) for media_id in media.values()]
    secrets = [user.username, user.email, "Zebediah Quill", "203.0.113.77", "PeerBrowser", "PeerPhone",
               "Peer note", "peer-notification-body", *(i.title for i in items), *(i.original_filename for i in items),
               *(i.sha256 for i in items)]
    asked = topups.request_credits(session, actor=user, credits=5).request
    edit = studio_versions.save_version(session, user, media["ready"], [{"op": "rotate", "quarter_turns": 1}])
    queue.drain_local()
    album = albums.create(session, actor=user, title="Peer album secret", description="peer-album-description")
    albums.add_items(session, actor=user, album_id=album.id, ids=[media["ready"]])
    albums.set_cover(session, actor=user, album_id=album.id, media_id=media["ready"])
    inner = albums.create(session, actor=user, title="Peer inner album secret", parent_id=album.id)
    secrets += ["Peer album secret", "peer-album-description", "Peer inner album secret"]
    # Catalog entries: an unpublished one, and (when their publisher's role gives it no audience
    # beyond its own team: a user, a reseller) a published one.
    # Both are songs on one album.
    album_key = catalog.album_key(user.id, "Peer artist secret", "Peer record secret")
    song = {"kind": EntryKind.MUSIC, "artist": "Peer artist secret", "album": "Peer record secret",
            "album_key": album_key}
    entries = [CatalogEntry(media_id=media["ready"], publisher_id=user.id, title="Peer entry secret",
                            plot="peer-entry-plot", published=False, **song)]
    if role in (Role.USER, Role.RESELLER):
        entries.append(CatalogEntry(media_id=media["processing"], publisher_id=user.id, price=0,
                                    title="Peer published secret", published=True, published_at=utc_now(), **song))
    session.add_all(entries)
    session.commit()
    secrets += ["Peer entry secret", "peer-entry-plot", "Peer published secret", "Peer artist secret",
                "Peer record secret"]
    links = [ShareLink(token_hash=f"{n}".rjust(64, "e"), nonce=f"peer-nonce-{n}", owner_id=user.id,
                       created_by_id=user.id, **target)
             for n, target in enumerate(({"media_id": media["ready"]}, {"album_id": album.id}))]
    session.add_all(links)
    session.commit()
    tagged = people.tag(session, actor=user, media_id=media["ready"], name="Peer person secret",
                        box={"x": 0.1, "y": 0.1, "w": 0.3, "h": 0.3})
    suggestion = PersonTag(owner_id=user.id, media_id=media["ready"], source=TagSource.SUGGESTED,
                           x=0.5, y=0.5, w=0.2, h=0.2)
    session.add(suggestion)
    session.commit()
    secrets += ["Peer person secret"]
    ticket = tickets.open_ticket(session, actor=user, subject="Peer ticket secret", category="other",
                                 body="peer-ticket-body", uploads=[tickets.Upload("peer-ticket-secret.jpg",
                                                                                  jpeg_bytes(seed=7))])
    secrets += ["Peer ticket secret", "peer-ticket-body", "peer-ticket-secret.jpg"]
    return Peer(user=user, media=media, sessions=sessions, devices=devices, notifications=notes,
                versions=[edit.id], topups=[asked.id], albums=[album.id, inner.id], secrets=secrets,
                entries=[entry.id for entry in entries], shares=[link.id for link in links],
                people=[tagged.person_id], person_tags=[tagged.id, suggestion.id], tickets=[ticket.id],
                album_keys=[album_key])


def peer_snapshot(session: Session, peer: Peer) -> dict[str, list[tuple]]:
    """Every row that is the peer's or points at something of theirs (found through foreign keys)."""
    session.expire_all()
    media_ids = set(peer.media.values())
    snapshot = {}
    for table in SQLModel.metadata.sorted_tables:
        conditions = []
        if table.name == "users":
            conditions.append(table.c.id == peer.user.id)
        if table.name == MediaItem.__tablename__:
            conditions.append(table.c.id.in_(media_ids))
        for column in table.columns:
            for key in column.foreign_keys:
                if key.column.table.name == "users":
                    conditions.append(column == peer.user.id)
                elif key.column.table.name == MediaItem.__tablename__:
                    conditions.append(column.in_(media_ids))
        if conditions:
            rows = session.execute(table.select().where(sa.or_(*conditions))).all()
            snapshot[table.name] = sorted(map(tuple, rows), key=repr)
    return snapshot


def stored_files() -> list[tuple[str, int]]:
    root: Path = ingest.storage().root
    return sorted((str(path.relative_to(root)), path.stat().st_size) for path in root.rglob("*") if path.is_file())


# Calling handlers the way a browser would ------------------------------------------------------------


def _caller_role(cls: type[rx.State], name: str) -> Role:
    """The least powerful role the gate lets call this handler."""
    access = guard.declared_access(cls.event_handlers[name])
    return access if isinstance(access, Role) else Role.USER


def _root_state(cookie: str, path: str) -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    root.router_data = root._update_router_vars({
        constants.RouteVar.HEADERS: {"cookie": cookie, "user-agent": "pytest"},
        constants.RouteVar.CLIENT_IP: "192.0.2.10",
        constants.RouteVar.PATH: path,
        constants.RouteVar.CLIENT_TOKEN: "test-token",
    }, {})
    return root


def _run(result: Any) -> Any:
    if inspect.isawaitable(result):
        return asyncio.run(result)
    if inspect.isasyncgen(result):
        async def drain() -> list[Any]:
            return [item async for item in result]
        return asyncio.run(drain())
    if inspect.isgenerator(result):
        return list(result)
    return result


@dataclass
class Caller:
    user: User
    cookie: str

    def page(self, cls: type[rx.State], path: str = "/") -> rx.State:
        """A fresh tab on `cls`'s page, loaded as the page itself would (before any foreign id)."""
        root = _root_state(self.cookie, path)
        state = root.get_substate(cls.get_full_name().split(".")[1:])
        loader = PAGE_LOADERS.get(cls.__name__, "load")
        if loader in cls.event_handlers:
            _run(cls.event_handlers[loader].fn(state))
        return state

    def call(self, state: rx.State, name: str, *args: Any, **kwargs: Any) -> str:
        """Run one handler past the gate; a crash (any exception) fails the test."""
        fn = type(state).event_handlers[name].fn
        try:
            return repr(_run(fn(state, *args, **kwargs)))
        except Exception as error:
            pytest.fail(f"{type(state).__name__}.{name}{args or ''}{kwargs or ''} crashed: {error!r}")


def make_caller(session: Session, role: Role) -> Caller:
    user = make_user(session, role=role)
    media = stored(session, user, "caller-own.jpg", jpeg_bytes(seed=777))  # something of their own in view
    assert media.owner_id == user.id
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    return Caller(user=user, cookie=f"{routes.SESSION_COOKIE}={token}")


def refusals(sent: str) -> list[str]:
    return [message for _level, message in REFUSAL.findall(sent)]


@dataclass
class Check:
    """The before-and-after of one call: the peer's rows and files, and the caller's state."""

    session: Session
    peer: Peer
    state: rx.State
    rows: dict = field(init=False)
    files: list = field(init=False)
    shown: str = field(init=False)

    def __post_init__(self) -> None:
        self.rows, self.files = peer_snapshot(self.session, self.peer), stored_files()
        self.shown = repr(self.state.dict())

    def nothing_happened(self, what: str, sent: str) -> None:
        assert peer_snapshot(self.session, self.peer) == self.rows, f"{what} changed the peer's rows"
        assert stored_files() == self.files, f"{what} changed the files in storage"
        shown_now = repr(self.state.dict())
        new = [text for text in self.peer.leaked(shown_now) if text not in self.shown]
        assert not new, f"{what} put the peer's {new} into the caller's state"
        assert not self.peer.leaked(sent), f"{what} sent the peer's {self.peer.leaked(sent)} to the browser"


# The tests ----------------------------------------------------------------------------------------------


def test_the_walk_finds_the_id_taking_handlers_and_kept_ids() -> None:
    names = {f"{cls.__name__}.{name}" for cls, name in HANDLERS}
    assert {"GalleryState.toggle", "SessionsState.revoke", "NotificationState.open_item",
            "MediaAdminState.open_edit", "UserAdminState.open_dialog", "UploadState.choose_owner"} <= names
    assert {f"{cls.__name__}.{var}" for cls, var in KEPT} >= {"GalleryState.selected", "MediaState.item_id"}


@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_every_id_this_file_meets_is_known(cls: type[rx.State], name: str) -> None:
    """A new id-taking handler fails here until its ids (and its other arguments) are described."""
    key = f"{cls.__name__}.{name}"
    for parameter in _parameters(cls, name):
        if ID_NAME.search(parameter.name.lstrip("_")):
            assert parameter.name in PARAMETER_REFERS_TO, \
                f"{key} takes {parameter.name!r}: say in PARAMETER_REFERS_TO what it refers to"
        elif parameter.default is inspect.Parameter.empty:
            assert key in OTHER_ARGUMENTS and all(parameter.name in args for args in OTHER_ARGUMENTS[key]), \
                f"{key} also takes {parameter.name!r}: give the values a page sends in OTHER_ARGUMENTS"


@pytest.mark.parametrize(("cls", "var"), KEPT, ids=[f"{c.__name__}.{v}" for c, v in KEPT])
def test_every_kept_id_is_known(cls: type[rx.State], var: str) -> None:
    assert f"{cls.__name__}.{var}" in KEPT_REFERS_TO, \
        f"{cls.__name__} keeps {var!r}: say in KEPT_REFERS_TO what it refers to (it gets planted below)"


def _calls(cls: type[rx.State], name: str, peer: Peer) -> Iterator[dict[str, Any]]:
    """Every combination of the peer's ids (one id parameter at a time) and the page's other values."""
    parameters = _parameters(cls, name)
    others = OTHER_ARGUMENTS.get(f"{cls.__name__}.{name}", [{}])
    for parameter in parameters:
        if not ID_NAME.search(parameter.name.lstrip("_")):
            continue
        for value in peer.ids(PARAMETER_REFERS_TO[parameter.name]):
            for extra in others:
                yield {parameter.name: value, **extra}


@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_a_peers_ids_passed_to_a_handler_are_refused(session: Session, cls: type[rx.State], name: str) -> None:
    role = _caller_role(cls, name)
    peer = make_peer(session, role)
    caller = make_caller(session, role)
    calls = list(_calls(cls, name, peer))
    assert calls
    for arguments in calls:
        state = caller.page(cls)
        check = Check(session, peer, state)
        what = f"{cls.__name__}.{name}({arguments})"
        sent = caller.call(state, name, **arguments)
        check.nothing_happened(what, sent)
        assert refusals(sent) and not SUCCESS.search(sent), f"{what} answered {sent[:300]} (no refusal)"


def _plant(state: rx.State, var: str, value: Any) -> None:
    """Put an id into a state as if a forged event had managed to set it."""
    setattr(state, var, list(value) if isinstance(value, list) else value)


# How the handlers that act on a kept id are used on their page (the rest get neutral arguments).
def _uses(peer: Peer, caller: Caller) -> dict[str, list[tuple[dict[str, Any], tuple]]]:
    """"State.handler" → [(other vars to set first, arguments)]."""
    return {
        "MediaState.save_details": [({}, ({"title": "Taken over", "description": "mine now"},))],
        "MediaState.save_position": [({"kind": "video"}, (12.0, 60.0))],
        "MediaAdminState.save": [
            ({"edit_owner": peer.user.username},
             ({"title": "Taken over", "description": "", "owner": peer.user.username},)),
            ({"edit_owner": peer.user.username},
             ({"title": "Taken over", "description": "", "owner": caller.user.username},)),
        ],
        "UserAdminState.submit_edit": [
            ({"dialog": "edit"}, ({"display_name": "Taken over", "email": "x@example.com"},))],
        "UserAdminState.submit_delete": [({"dialog": "delete"}, ({"confirm": peer.user.username},))],
        "UserAdminState.submit_role": [({"dialog": "role"}, ({"role": Role.USER.value},))],
        "UserAdminState.submit_parent": [({"dialog": "parent"}, ({"parent": caller.user.username},))],
        "UserAdminState.confirm": [({"dialog": kind}, ()) for kind in ("deactivate", "reactivate", "unlock", "reset")],
        "TopUpQueueState.submit_decision": [({"deciding_kind": "approve"}, ({"reference": "BANK-1"},)),
                                            ({"deciding_kind": "reject"}, ({"reason": "not paid"},))],
        "PlansAdminState.save": [({}, ({"name": "Taken", "credits": "5", "storage": "1", "price": "1.00"},))],
        "UserAdminState.submit_topup": [
            ({"dialog": "topup", "_credit_key": "topup:planted"}, ({"amount": "1", "note": ""},))],
        "ResellerState.submit_topup": [
            ({"topup_open": True, "own": True, "_topup_key": "topup:planted"}, ({"amount": "1", "note": ""},))],
        "AlbumState.save_details": [({}, ({"title": "Taken over", "description": "mine now"},))],
        "AlbumState.set_cover": [({}, (peer.media["ready"],))],
        "AlbumState.remove": [({}, (peer.media["ready"],))],
        "AlbumState.move": [({}, (peer.media["ready"], 0))],
        "AlbumState.create_sub": [({}, ({"title": "Planted inside"},))],
        "AlbumState.move_into": [({}, ("top",))],
        "CatalogEntryState.save_position": [({"playing": True}, (12.0, 60.0))],
        "CatalogEntryState.playback_failed": [({"playing": True}, ())],
        "CatalogEditorState.submit": [({}, ({"title": "Taken over", "price": "0", "plot": "mine now"},))],
        "ShareDialogState.create_share": [({}, ({"password": "", "allow_download": "on"},))],
        "PersonState.rename": [({}, ({"name": "Taken over"},))],
        "FacesState.tag": [({}, ({"name": "Planted"},)), ({"box": {"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}},
                                                          ({"name": "Planted"},))],
    }


ACTS_ON_KEPT_ID = {  # these must refuse with a message; any other handler may also simply ignore it
    "GalleryState": {"trash_selected", "restore_selected", "delete_selected", "download_selected"},
    "MediaState": {"save_details", "retry_playable"},
    "MediaAdminState": {"save", "delete"},
    "UserAdminState": {"submit_edit", "submit_delete", "submit_role", "submit_parent", "confirm", "submit_topup"},
    "ResellerState": {"submit_topup"},
    "UploadState": {"receive"},
    "BrandingState": {"save", "remove_logo"},
    "TopUpQueueState": {"submit_decision"},
    "PlansAdminState": {"save"},
    "AlbumState": {"save_details", "set_cover", "remove", "move", "create_sub", "delete_album", "move_into"},
    "CatalogEntryState": {"start_play", "toggle_list"},
    "CatalogEditorState": {"submit"},
    "ShareDialogState": {"create_share"},
    "PersonState": {"rename", "merge_into", "delete", "untag", "set_cover"},
    "FacesState": {"tag"},
}


def _neutral(cls: type[rx.State], name: str) -> tuple:
    dummy = {int: 1, str: "x", float: 1.0, bool: True, dict: {}, list: []}
    return tuple(dummy.get(p.annotation if isinstance(p.annotation, type) else str, "x")
                 for p in _parameters(cls, name) if p.default is inspect.Parameter.empty)


def _handler_names(cls: type[rx.State]) -> list[str]:
    return sorted(name for name in cls.event_handlers
                  if guard.declared_access(cls.event_handlers[name]) not in (None, "public"))


@pytest.mark.parametrize(("cls", "var"), KEPT, ids=[f"{c.__name__}.{v}" for c, v in KEPT])
def test_a_peers_ids_planted_in_a_state_are_refused_by_every_handler(
        session: Session, cls: type[rx.State], var: str) -> None:
    refers_to = KEPT_REFERS_TO[f"{cls.__name__}.{var}"]
    acting = {f"{cls.__name__}.{name}" for name in ACTS_ON_KEPT_ID.get(cls.__name__, ())}
    needed = max((_caller_role(cls, name) for name in ACTS_ON_KEPT_ID.get(cls.__name__, ())),
                 key=lambda role: role.rank, default=Role.USER)
    peer = make_peer(session, needed)
    caller = make_caller(session, needed)
    uses = _uses(peer, caller)
    values = peer.ids(refers_to)
    path = {"MediaState": "/media/0", "UploadState": routes.UPLOAD}.get(cls.__name__, "/")
    for name in _handler_names(cls):
        key = f"{cls.__name__}.{name}"
        for value in values:
            for extra, arguments in uses.get(key, [({}, None)]):
                state = caller.page(cls, path)
                _plant(state, var, value)
                for other, other_value in extra.items():
                    _plant(state, other, other_value)
                check = Check(session, peer, state)
                what = f"{key} with {var}={value} {extra or ''}"
                if key == "UploadState.receive":
                    files = [("planted.jpg", jpeg_bytes(seed=4242))]
                    sent = run_upload(state, rx.UploadChunkIterator(maxsize=8), ["planted.jpg"], [1],
                                      feed=chunks_of(files))
                else:
                    sent = caller.call(state, name, *(arguments if arguments is not None else _neutral(cls, name)))
                check.nothing_happened(what, sent)
                if key in acting:
                    assert refusals(sent) and not SUCCESS.search(sent), f"{what} answered {sent[:300]} (no refusal)"


@pytest.mark.parametrize(("route", "segment", "cls", "loader"), PAGES,
                         ids=[f"{route} {cls.__name__}.{name}" for route, _segment, cls, name in PAGES])
def test_a_peers_ids_in_a_page_url_show_not_found(
        session: Session, route: str, segment: str, cls: type[rx.State], loader: str) -> None:
    assert segment in PARAMETER_REFERS_TO, f"{route} carries {segment!r}: say in PARAMETER_REFERS_TO what it is"
    role = _caller_role(cls, loader)
    peer = make_peer(session, role)
    caller = make_caller(session, role)
    for value in peer.ids(PARAMETER_REFERS_TO[segment]):
        root = rx.State(_reflex_internal_init=True)
        path = route.replace(f"[{segment}]", str(value))
        root.router = RouterData.from_router_data({
            "headers": {"cookie": caller.cookie}, "pathname": path, "query": {segment: str(value)},
        })
        state = root.get_substate(cls.get_full_name().split(".")[1:])
        check = Check(session, peer, state)
        sent = caller.call(state, loader)
        check.nothing_happened(f"{path} ({cls.__name__}.{loader})", sent)
        assert getattr(state, "missing", False) or refusals(sent), f"{path} did not say the item is not found"
