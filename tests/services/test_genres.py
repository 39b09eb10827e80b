"""The global genre taxonomy: seeded defaults, create, rename, merge, delete with reassignment, import mapping."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, Genre, GenreLink, Role
from mediashare.services import genres
from tests.factories import make_user
from tests.services.test_gallery import _rows


def _counts(session: Session, admin) -> dict[str, int]:
    return {row.name: row.count for row in genres.list_with_counts(session, actor=admin)}


def _links(session: Session, media_id: int) -> set[str]:
    return set(session.exec(select(Genre.name).join(GenreLink, GenreLink.genre_id == Genre.id)
                            .where(GenreLink.media_id == media_id)).all())


def test_a_fresh_install_has_the_default_genres_and_admins_add_more(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    counts = _counts(session, admin)
    assert {"Action", "Comedy", "Drama", "Documentary", "Science Fiction"} <= set(counts)
    assert set(counts.values()) == {0}
    created = genres.create(session, actor=admin, name="  Film   Noir ")
    assert (created.name, created.slug) == ("Film Noir", "film-noir")
    with pytest.raises(Conflict, match="already a genre called “Film Noir”"):
        genres.create(session, actor=admin, name="FILM NOIR")
    with pytest.raises(ValidationFailed):
        genres.create(session, actor=admin, name="   ")
    assert genres.create(session, actor=admin, name="Film-Noir").slug == "film-noir-2"  # another name, same slug base
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.action == "genre.created")).all()
    assert len(actions) == 2


def test_only_admins_change_genres(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    with pytest.raises(PermissionDenied):
        genres.create(session, actor=reseller, name="Anime")
    with pytest.raises(PermissionDenied):
        genres.list_with_counts(session, actor=reseller)
    assert genres.all_genres(session)  # the plain list is for everyone (catalog filters)


def test_rename_keeps_links_and_refuses_a_taken_name(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    item = _rows(session, admin, 1)[0]
    scifi = genres.map_names(session, actor=admin, names=["Sci-Fi"], create_missing=False)[0]
    genres.set_item_genres(session, media_id=item.id, genre_ids=[scifi.id])
    session.commit()
    renamed = genres.rename(session, actor=admin, genre_id=scifi.id, name="Sci-Fi & Space")
    assert (renamed.name, renamed.slug) == ("Sci-Fi & Space", "sci-fi-space")
    assert _links(session, item.id) == {"Sci-Fi & Space"}
    with pytest.raises(Conflict, match="merge them instead"):
        genres.rename(session, actor=admin, genre_id=scifi.id, name="drama")
    assert genres.rename(session, actor=admin, genre_id=scifi.id, name="SCI-FI & SPACE").name == "SCI-FI & SPACE"
    with pytest.raises(NotFound):
        genres.rename(session, actor=admin, genre_id=999_999, name="Gone")


def test_merge_moves_items_without_duplicates_and_removes_the_source(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    a, b, c = _rows(session, admin, 3)
    thriller = genres.create(session, actor=admin, name="Suspense")
    target = genres.map_names(session, actor=admin, names=["thriller"], create_missing=False)[0]
    genres.set_item_genres(session, media_id=a.id, genre_ids=[thriller.id])
    genres.set_item_genres(session, media_id=b.id, genre_ids=[thriller.id, target.id])  # in both
    genres.set_item_genres(session, media_id=c.id, genre_ids=[target.id])
    session.commit()
    genres.merge(session, actor=admin, source_id=thriller.id, target_id=target.id)
    counts = _counts(session, admin)
    assert "Suspense" not in counts and counts["Thriller"] == 3
    assert _links(session, a.id) == _links(session, b.id) == {"Thriller"}
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "genre.merged")).one()
    assert event.details["items_moved"] == 1 and event.details["into"] == "Thriller"
    with pytest.raises(ValidationFailed):
        genres.merge(session, actor=admin, source_id=target.id, target_id=target.id)


def test_delete_reassigns_the_items_or_drops_the_links(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    a, b = _rows(session, admin, 2)
    by_name = {g.name: g for g in genres.all_genres(session)}
    western, war, drama = by_name["Western"], by_name["War"], by_name["Drama"]
    genres.set_item_genres(session, media_id=a.id, genre_ids=[western.id])
    genres.set_item_genres(session, media_id=b.id, genre_ids=[war.id, drama.id])
    session.commit()
    assert genres.delete(session, actor=admin, genre_id=western.id, reassign_to=drama.id) == 1
    assert _links(session, a.id) == {"Drama"}
    assert genres.delete(session, actor=admin, genre_id=war.id) == 0
    assert _links(session, b.id) == {"Drama"}
    counts = _counts(session, admin)
    assert counts["Drama"] == 2 and "Western" not in counts and "War" not in counts
    with pytest.raises(NotFound):
        genres.delete(session, actor=admin, genre_id=drama.id, reassign_to=western.id)  # gone
    assert _counts(session, admin)["Drama"] == 2  # nothing happened


def test_provider_genres_map_to_ours_ignoring_case_and_create_missing_on_import(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    mapped = genres.map_names(session, actor=admin, names=["ACTION", "Sci-Fi & Fantasy", "Anime"],
                              create_missing=False)
    assert [g.name for g in mapped] == ["Action", "Science Fiction", "Fantasy"]  # no Anime yet
    mapped = genres.map_names(session, actor=admin, names=["Action, Anime", "action & adventure"],
                              create_missing=True)
    assert [g.name for g in mapped] == ["Action", "Anime", "Adventure"]
    assert session.exec(select(Genre).where(Genre.name_key == "anime")).one().slug == "anime"
    user = make_user(session)
    with pytest.raises(PermissionDenied):
        genres.map_names(session, actor=user, names=["Cooking"], create_missing=True)
