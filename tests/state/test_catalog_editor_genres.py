"""The catalog editor's genre picker and typed-field memory, called the way any browser could call them;
/catalog's genre filter and rows, and the genres on the detail page."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from mediashare import routes
from mediashare.models import Role
from mediashare.services import catalog_import, genres
from mediashare.state.catalog import CatalogEditorState, CatalogEntryState, CatalogState
from tests.factories import make_user
from tests.services.test_catalog import video
from tests.state.test_credits_state import _state


def test_a_reseller_publishes_with_genres_and_customers_find_it_in_the_genre_row(
        session: Session, tmp_path: Path) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer, outsider = make_user(session, parent=reseller), make_user(session)
    item = video(session, reseller, tmp_path)
    by_name = {g.name: str(g.id) for g in genres.all_genres(session)}
    editor = _state(session, reseller, CatalogEditorState, f"/media/{item.id}")
    CatalogEditorState.open_for_media.fn(editor, item.id)
    assert editor.open and {"Drama", "Comedy"} <= {choice.name for choice in editor.genre_choices}
    CatalogEditorState.toggle_genre.fn(editor, by_name["Drama"])
    CatalogEditorState.toggle_genre.fn(editor, by_name["Comedy"])
    CatalogEditorState.toggle_genre.fn(editor, by_name["Comedy"])  # picked, then unpicked
    CatalogEditorState.toggle_genre.fn(editor, "999999999")  # forged: not on offer
    assert editor.genre_ids == [by_name["Drama"]]
    CatalogEditorState.remember.fn(editor, "price", "4")
    CatalogEditorState.remember.fn(editor, "__class__", "x")  # not a field: ignored
    assert editor.values["price"] == "4" and "__class__" not in editor.values
    CatalogEditorState.submit.fn(editor, {"title": "Quiet Days", "price": "0"})
    entry_id = editor.entry_id
    assert entry_id and catalog_import.names_of(session, [item.id]) == {item.id: ["Drama"]}

    page = _state(session, customer, CatalogState, routes.CATALOG)
    CatalogState.load.fn(page)
    assert [(row.title, [t.title for t in row.tiles]) for row in page.rows if row.key.startswith("genre-")] == [
        ("Drama", ["Quiet Days"])]
    CatalogState.set_genre.fn(page, by_name["Drama"])
    assert [tile.title for tile in page.grid] == ["Quiet Days"]
    CatalogState.set_genre.fn(page, by_name["Comedy"])  # no entries in it: the filter falls back to all
    assert page.genre == "" and [tile.title for tile in page.grid] == ["Quiet Days"]
    detail = _state(session, customer, CatalogEntryState, f"/catalog/{entry_id}")
    detail.router.page.params["entry_id"] = str(entry_id)
    CatalogEntryState.load.fn(detail)
    assert detail.title == "Quiet Days" and detail.genres == ["Drama"]

    stranger = _state(session, outsider, CatalogState, routes.CATALOG)
    CatalogState.load.fn(stranger)
    assert stranger.genre_options == [] and not any(row.key.startswith("genre-") for row in stranger.rows)
