"""/admin/genres and /admin/metadata handlers, called the way any browser could call them."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from mediashare import routes
from mediashare.models import AuditEvent, Genre, Role
from mediashare.services import catalog_metadata as metadata
from mediashare.services import genres
from mediashare.state.genres import GenresAdminState
from mediashare.state.metadata_providers import MetadataAdminState
from tests.factories import make_user
from tests.services.test_gallery import _rows
from tests.state.test_credits_state import _state


def _names(state: GenresAdminState) -> dict[str, int]:
    return {row.name: row.count for row in state.rows}


def test_an_admin_adds_renames_merges_and_deletes_genres(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    item = _rows(session, admin, 1)[0]
    state = _state(session, admin, GenresAdminState, routes.ADMIN_GENRES)
    GenresAdminState.load.fn(state)
    assert state.allowed and "Drama" in _names(state)
    GenresAdminState.add.fn(state, {"name": "Anime"})
    anime = next(row for row in state.rows if row.name == "Anime")
    genres.set_item_genres(session, media_id=item.id, genre_ids=[anime.id])
    session.commit()
    GenresAdminState.open_dialog.fn(state, anime.id, "rename")
    assert (state.dialog, state.acting_name) == ("rename", "Anime")
    GenresAdminState.rename.fn(state, {"name": "Japanese Animation"})
    assert state.dialog == "" and _names(state)["Japanese Animation"] == 1
    GenresAdminState.open_dialog.fn(state, anime.id, "merge")
    animation = next(row for row in state.rows if row.name == "Animation")
    assert [str(animation.id), "Animation"] in state.choices
    assert [str(anime.id), "Japanese Animation"] not in state.choices
    GenresAdminState.merge.fn(state, {"target": str(animation.id)})
    assert "Japanese Animation" not in _names(state) and _names(state)["Animation"] == 1
    GenresAdminState.open_dialog.fn(state, animation.id, "delete")
    GenresAdminState.delete.fn(state, {"target": "none"})
    assert "Animation" not in _names(state)
    state.query = "dra"
    assert [row.name for row in state.shown] == ["Drama"]


def test_genre_handlers_refuse_forged_input_and_other_roles(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER)
    state = _state(session, reseller, GenresAdminState, routes.ADMIN_GENRES)
    GenresAdminState.load.fn(state)
    assert not state.allowed and state.rows == []
    admin_state = _state(session, admin, GenresAdminState, routes.ADMIN_GENRES)
    GenresAdminState.load.fn(admin_state)
    before = len(admin_state.rows)
    GenresAdminState.open_dialog.fn(admin_state, {"id": 1}, "rename")
    GenresAdminState.open_dialog.fn(admin_state, admin_state.rows[0].id, "drop-table")
    assert admin_state.dialog == ""
    GenresAdminState.add.fn(admin_state, "not a form")
    GenresAdminState.add.fn(admin_state, {"name": "x" * 500})
    assert len(session.exec(select(Genre)).all()) == before


def test_the_metadata_page_never_sends_a_key_to_the_browser(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    state = _state(session, admin, MetadataAdminState, routes.ADMIN_METADATA)
    MetadataAdminState.load.fn(state)
    assert [(row.name, row.usable) for row in state.rows] == [("tmdb", False), ("omdb", False)]
    assert "no API key" in state.rows[0].message
    secret = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    MetadataAdminState.save_key.fn(state, {"provider": "tmdb", "key": secret})
    shown = json.dumps(state.dict(), default=repr, ensure_ascii=False)
    assert secret not in shown and "••••b1a0" in shown and state.rows[0].usable
    MetadataAdminState.move_provider.fn(state, "omdb", -1)
    assert [row.name for row in state.rows] == ["omdb", "tmdb"] and state.rows[0].first
    MetadataAdminState.set_provider_enabled.fn(state, "tmdb", False)
    assert state.rows[1].message == "TMDB is turned off."
    MetadataAdminState.set_provider_enabled.fn(state, "tmdb", "yes")  # forged: not a bool
    assert not state.rows[1].enabled
    MetadataAdminState.save_hosts.fn(state, {"hosts": "posters.example.com\nPOSTERS.example.com"})
    assert state.hosts_text == "posters.example.com"
    MetadataAdminState.remove_key.fn(state, "tmdb")
    assert not state.rows[1].has_key and metadata.provider_statuses(session, actor=admin)[1].key_hint == ""
    audited = json.dumps([event.details for event in session.exec(select(AuditEvent)).all()])
    assert secret not in audited
