"""/catalog/album/[album_key]: one music album, its songs in disc and track order with their lengths.

The page only shows; playing goes through the mini-player's MusicQueueState (play_album,
shuffle_album, queue_album, play_next, add_to_queue), which asks services/catalog_albums.py again
for what the caller may play. An album the caller may not see (another reseller's, unpublished,
made up) shows "not found", like a catalog entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare.errors import MediashareError
from mediashare.services import catalog_albums
from mediashare.state import acting, guard, media
from mediashare.state.catalog import _tile, entry_href, price_label
from mediashare.state.session import SessionState


def clock(seconds: float | None) -> str:
    """A song's length as a player shows it, to the nearest second: "3:07", "1:02:03"; "" when unknown."""
    return media.clock(round(seconds)) if seconds and seconds > 0 else ""


def total_length(seconds: float) -> str:
    """An album's length: "42 min", "1 h 5 min", "40 s"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s" if whole else ""
    minutes = round(whole / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


@dataclass
class AlbumTrack:
    """A line of the album's track list."""

    id: int
    number: str  # the track number ("" when it has none)
    title: str
    artist: str  # only when it differs from the album's artist
    duration: str
    price: str  # "" when free
    href: str
    disc_heading: str  # "Disc 2" on the first song of each disc of an album with several


class CatalogAlbumState(SessionState):
    """The album page's view of one album."""

    album_key: str = ""
    missing: bool = False
    title: str = ""
    artist: str = ""
    cover_url: str = ""
    summary: str = ""  # "9 songs · 45 min"
    tracks: list[AlbumTrack] = []

    def _clear(self) -> None:
        self.missing, self.album_key, self.title, self.artist, self.cover_url, self.summary = True, "", "", "", "", ""
        self.tracks = []

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.fill_signed_in(self, self._fill)

    def _fill(self, session, user) -> None:
        raw = self.router.page.params.get("album_key", "")
        try:
            found = catalog_albums.album(session, viewer=user, key=raw)
        except MediashareError:
            self._clear()
            return
        several = found.discs > 1
        tracks, disc = [], None
        for card in found.tracks:
            entry = card.entry
            heading = ""
            if several and (entry.disc_number or 1) != disc:
                disc = entry.disc_number or 1
                heading = f"Disc {disc}"
            tracks.append(AlbumTrack(
                id=entry.id, number=str(entry.track_number or ""), title=entry.title,  # type: ignore[arg-type]
                artist=entry.artist if entry.artist.casefold() != found.artist.casefold() else "",
                duration=clock(card.item.duration_seconds),
                price=price_label(entry.price) if entry.price else "",
                href=entry_href(entry.id), disc_heading=heading))  # type: ignore[arg-type]
        count = len(found.tracks)
        self.missing, self.album_key, self.title, self.artist = False, found.key, found.title, found.artist
        self.cover_url = _tile(found.cover, user.id).poster_url  # type: ignore[arg-type]
        self.summary = " · ".join(part for part in (f"{count} song{'s' if count != 1 else ''}",
                                                    total_length(found.seconds)) if part)
        self.tracks = tracks
