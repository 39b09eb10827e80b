"""The catalog's music player: a mini-player with a queue that stays with the tab while it moves
between catalog pages.

The queue is kept here, on the server (`_queue`: entry ids in play order, `index`: the current one);
the browser only sends actions. Every action runs the queue through services/catalog_queue.py, which
keeps only the music the caller may still see. Starting a track is `catalog.start_play`, the same
call as for videos: a priced track without an open play window waits for the listener to confirm its
price, then opens (and pays for) its window once; later starts within the window cost nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import InsufficientCredits, MediashareError, NotFound
from mediashare.models import Role
from mediashare.services import catalog, catalog_albums, catalog_queue, media, transcode
from mediashare.services.catalog_queue import Queue
from mediashare.state import arguments, guard
from mediashare.state.catalog import _subtitle, _tile, entry_href, price_label
from mediashare.state.session import SessionState

PLAYER_ID = "music-player"
MODES = {"now": "Playing", "next": "Plays next", "end": "Added to the queue"}


@dataclass
class QueueTrack:
    """A line of the queue."""

    id: int
    title: str
    subtitle: str
    price: str
    href: str
    current: bool


def _play_script(src: str, at: float, play: bool) -> rx.event.EventSpec:
    """Once the player shows `src`, seek to `at` seconds and (if `play`) start it."""
    return rx.call_script(
        "(() => { let tries = 0; const go = () => {"
        f" const p = document.getElementById('{PLAYER_ID}');"
        f" if (!p || p.getAttribute('src') !== {json.dumps(src)}) {{ if (tries++ < 50) setTimeout(go, 100); return; }}"
        f" if ({float(at)} > 0) p.currentTime = {float(at)};"
        f" {'p.play().catch(() => {});' if play else ''} }}; go(); }})()")


class MusicQueueState(SessionState):
    """The mini-player and its queue."""

    _queue: list[int] = []
    _original: list[int] = []  # the order before shuffling
    _paused: bool = True
    _title: str = ""  # the song an action just queued (for its message)
    index: int = -1
    tracks: list[QueueTrack] = []
    shuffle: bool = False
    show_queue: bool = False
    now_title: str = ""
    now_artist: str = ""
    now_subtitle: str = ""  # the album (or what a song on no album shows under its title)
    now_album_href: str = ""
    now_href: str = ""
    now_poster: str = ""
    stream_url: str = ""
    owed: int = 0  # the current track's price, while it waits for the listener to pay
    pay_error: str = ""

    @rx.var
    def active(self) -> bool:
        return self.index >= 0

    @rx.var
    def owed_text(self) -> str:
        return price_label(self.owed)

    # ---- helpers ---------------------------------------------------------------------------------

    def _set(self, session, user, queue: Queue, *, start: bool, pay: bool = False) -> list:
        """Keep only what `user` may still play, show the queue, and (if `start`) load the current
        track: play it, or ask for its price first. Returns the events to send."""
        cards = catalog_queue.tracks(session, viewer=user, entry_ids=list(queue.ids))
        queue = catalog_queue.keep(queue, [card.entry.id for card in cards])  # type: ignore[misc]
        by_id = {card.entry.id: card for card in cards}
        before = self._queue[self.index] if 0 <= self.index < len(self._queue) else None
        self._queue, self.index = list(queue.ids), queue.index
        self.tracks = [QueueTrack(id=i, title=by_id[i].entry.title, subtitle=_subtitle(by_id[i].entry),
                                  price=price_label(by_id[i].entry.price), href=entry_href(i), current=n == queue.index)
                       for n, i in enumerate(queue.ids)]
        card = by_id.get(queue.current) if queue.current is not None else None
        if card is None:
            self._clear_now()
            return []
        entry, item = card.entry, card.item
        self.now_title, self.now_artist, self.now_href = entry.title, entry.artist, entry_href(entry.id)  # type: ignore[arg-type]
        self.now_subtitle = entry.album or ("" if entry.artist else _subtitle(entry))
        self.now_album_href = routes.catalog_album_url(entry.album_key) if entry.album_key else ""
        self.now_poster = _tile(card, user.id).poster_url
        if not start and before == entry.id and (self.stream_url or self.owed):
            return []
        if entry.price > 0 and not pay and catalog.open_window(session, user=user, entry_id=entry.id) is None:  # type: ignore[arg-type]
            self.owed, self.stream_url, self.pay_error, self._paused = entry.price, "", "", True
            return []
        try:
            play = catalog.start_play(session, actor=user, entry_id=entry.id)  # type: ignore[arg-type]
        except InsufficientCredits as error:
            self.owed, self.stream_url, self.pay_error = entry.price, "", str(error)
            return [rx.toast.error(str(error))]
        self.owed, self.pay_error, self._paused = 0, "", False
        self.stream_url = media.url_for(item.id, transcode.stream_variant(session, item.id), user.id)  # type: ignore[arg-type]
        events = [_play_script(self.stream_url, play.resume_at or 0.0, True)]
        if play.charged:
            events.append(rx.toast.success(f"{play.charged:,} credits paid for “{entry.title}”."))
        return events

    def _clear_now(self) -> None:
        self.now_title = self.now_artist = self.now_subtitle = self.now_album_href = ""
        self.now_href = self.now_poster = self.stream_url = self.pay_error = ""
        self.owed, self._paused = 0, True

    def _act(self, change, *, start: bool = True, pay: bool = False, done: str = ""):
        """Run `change(session, user, queue) -> Queue` and load the result."""
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                queue = change(session, user, Queue(tuple(self._queue), self.index))
                events = self._set(session, user, queue, start=start, pay=pay)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return [*events, rx.toast.success(done)] if done else events or None

    def _add(self, entry_id: int, mode: str):
        def change(session, user, queue: Queue) -> Queue:
            card = catalog_queue.track(session, viewer=user, entry_id=arguments.as_id(entry_id, what="song"))
            self._title = card.entry.title
            if self.shuffle:
                self._original = [i for i in self._original if i != card.entry.id] + [card.entry.id]  # type: ignore[list-item]
            return catalog_queue.insert(queue, card.entry.id, mode=mode)  # type: ignore[arg-type]
        had = self.index >= 0
        self._title = ""
        result = self._act(change, start=mode == "now" or not had)
        if isinstance(result, list) and self._title and mode != "now":
            result.append(rx.toast.success(f"“{self._title}”: {MODES[mode].lower()}."))
        return result

    # ---- the queue ------------------------------------------------------------------------------

    @rx.event
    @guard.requires(Role.USER)
    def refresh(self):
        """A catalog page mounted its mini-player: check the queue again and reload the player (it
        carries on where it was, playing if it was playing)."""
        if self.index < 0:
            return None
        playing = not self._paused
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                before = self.stream_url
                self._set(session, user, Queue(tuple(self._queue), self.index), start=False)
                if self.stream_url and self._queue:
                    _entry, item = catalog.visible(session, viewer=user, entry_id=self._queue[self.index])
                    self.stream_url = media.url_for(item.id, transcode.stream_variant(session, item.id),  # type: ignore[arg-type]
                                                    user.id)  # type: ignore[arg-type]
                    at = catalog._resume(session, user, item) or 0.0
                    return _play_script(self.stream_url, at, playing) if before else None
        except MediashareError:
            return None
        return None

    @rx.event
    @guard.requires(Role.USER)
    def play_now(self, entry_id: int):
        return self._add(entry_id, "now")

    @rx.event
    @guard.requires(Role.USER)
    def play_next(self, entry_id: int):
        return self._add(entry_id, "next")

    @rx.event
    @guard.requires(Role.USER)
    def add_to_queue(self, entry_id: int):
        return self._add(entry_id, "end")

    def _replace(self, songs, *, first: int = 0, shuffle: bool | None = None):
        """Replace the queue with the entry ids `songs(session, user)` gives, in that order (shuffled
        while shuffle is on; `shuffle` turns it on or off), and play `first` of them (0: the first)."""
        def change(session, user, _queue: Queue) -> Queue:
            ids = tuple(songs(session, user))
            if first and first not in ids:
                raise NotFound("That song is not on this album.")
            if shuffle is not None:
                self.shuffle = shuffle
            self._original = list(ids)
            start = ids.index(first) if first else -1
            if self.shuffle:
                return catalog_queue.shuffled(Queue(ids, start))
            return Queue(ids, max(start, 0))
        return self._act(change)

    @rx.event
    @guard.requires(Role.USER)
    def play_group(self, key: str):
        """Play all the songs of a catalog row ("music", or a genre's row "genre-<id>")."""
        if not isinstance(key, str) or len(key) > 30:
            return rx.toast.error("That row has no songs.")
        return self._replace(lambda session, user: [card.entry.id for card in
                                                    catalog_queue.group(session, viewer=user, key=key)])

    @staticmethod
    def _album_songs(album_key: str):
        return lambda session, user: catalog_albums.track_ids(session, viewer=user, key=album_key)

    @rx.event
    @guard.requires(Role.USER)
    def play_album(self, album_key: str, entry_id: int = 0):
        """Replace the queue with an album in disc and track order and play it: from the start, or from
        its song `entry_id` (a track's play button). Shuffle goes off."""
        try:
            first = 0 if entry_id == 0 and not isinstance(entry_id, bool) else arguments.as_id(entry_id, what="song")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._replace(self._album_songs(album_key), first=first, shuffle=False)

    @rx.event
    @guard.requires(Role.USER)
    def shuffle_album(self, album_key: str):
        """Replace the queue with an album's songs in a random order (shuffle on)."""
        return self._replace(self._album_songs(album_key), shuffle=True)

    @rx.event
    @guard.requires(Role.USER)
    def queue_album(self, album_key: str):
        """Add an album's songs, in order, at the end of the queue (songs already queued move there);
        with nothing queued, the album starts playing."""
        added: list[int] = []

        def change(session, user, queue: Queue) -> Queue:
            added.extend(self._album_songs(album_key)(session, user))
            for entry_id in added:
                queue = catalog_queue.insert(queue, entry_id, mode="end")
            if self.shuffle:
                self._original = [i for i in self._original if i not in added] + added
            return queue
        result = self._act(change, start=self.index < 0)
        if isinstance(result, list) or result is None:
            return [*(result or []),
                    rx.toast.success(f"{len(added)} song{'s' if len(added) != 1 else ''} added to the queue.")]
        return result

    @rx.event
    @guard.requires(Role.USER)
    def next_track(self):
        return self._step(+1)

    @rx.event
    @guard.requires(Role.USER)
    def previous_track(self):
        return self._step(-1)

    def _step(self, by: int):
        if self.index < 0:
            return None
        target = self.index + by
        if not 0 <= target < len(self._queue):
            return rx.toast.info("That was the last song in the queue." if by > 0 else "This is the first song.")
        return self._act(lambda _s, _u, queue: Queue(queue.ids, target))

    @rx.event
    @guard.requires(Role.USER)
    def jump(self, position: int):
        """Play the queue's song at `position` (0 = the first)."""
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < len(self._queue):
            return rx.toast.error("That song is no longer in the queue.")
        return self._act(lambda _s, _u, queue: Queue(queue.ids, position))

    @rx.event
    @guard.requires(Role.USER)
    def remove(self, position: int):
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < len(self._queue):
            return rx.toast.error("That song is no longer in the queue.")
        removing_current = position == self.index
        self._original = [i for i in self._original if i != self._queue[position]]
        return self._act(lambda _s, _u, queue: catalog_queue.remove(queue, position), start=removing_current)

    @rx.event
    @guard.requires(Role.USER)
    def clear_queue(self):
        self._queue, self._original, self.index, self.tracks, self.show_queue = [], [], -1, [], False
        self._clear_now()

    @rx.event
    @guard.requires(Role.USER)
    def toggle_shuffle(self):
        self.shuffle = not self.shuffle
        if self.shuffle:
            self._original = list(self._queue)
            return self._act(lambda _s, _u, queue: catalog_queue.shuffled(queue), start=False)
        original = self._original
        return self._act(lambda _s, _u, queue: catalog_queue.unshuffled(queue, original), start=False)

    @rx.event
    @guard.requires(Role.USER)
    def toggle_queue(self):
        self.show_queue = not self.show_queue

    @rx.event
    @guard.requires(Role.USER)
    def pay_and_play(self):
        """The listener confirmed the current song's price: open (and pay for) its play window."""
        if self.index < 0 or not self.owed:
            return None
        return self._act(lambda _s, _u, queue: queue, pay=True)

    # ---- the player's reports ------------------------------------------------------------------------

    def _save(self, position: float, duration: float) -> None:
        if 0 <= self.index < len(self._queue) and self.stream_url:
            try:
                with db.session_scope() as session:
                    catalog.save_position(session, actor=self._actor(session), entry_id=self._queue[self.index],
                                          position=position, duration=duration)
            except MediashareError:
                pass

    @rx.event
    @guard.requires(Role.USER)
    def save_position(self, position: float, duration: float):
        self._save(position, duration)

    @rx.event
    @guard.requires(Role.USER)
    def paused(self, position: float, duration: float, attached: bool):
        """The player paused (by the listener, or because its page went away: then it plays on the next)."""
        self._save(position, duration)
        if attached is True:
            self._paused = True

    @rx.event
    @guard.requires(Role.USER)
    def resumed(self):
        self._paused = False

    @rx.event
    @guard.requires(Role.USER)
    def ended(self, position: float, duration: float):
        """The song finished: on to the next one in the queue (the end of the queue stops)."""
        self._save(position, duration)
        if self.index + 1 >= len(self._queue):
            self._paused = True
            return None
        return self._step(+1)

