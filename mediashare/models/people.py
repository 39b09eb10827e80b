"""People: the persons a library's owner names, the photos they are tagged on (with an optional
face box), face suggestions the detector proposed, and the owner's choice about suggestions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class TagSource(StrEnum):
    """manual: the owner tagged the person; suggested: the face detector proposed the box."""

    MANUAL = "manual"
    SUGGESTED = "suggested"


class Person(SQLModel, table=True):
    """A person in one owner's library ("Eileen"); names are unique per owner, ignoring case."""

    __tablename__ = "people"
    __table_args__ = (sa.UniqueConstraint("owner_id", "name_key", name="uq_people_owner_id_name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)  # casefolded, for uniqueness and autocomplete
    # The tag whose face crop shows the person (services/people.py falls back to their newest face
    # when it is gone). No foreign key: person_tags already points here, and a cycle of keys would
    # make deleting either row awkward on SQLite.
    cover_tag_id: int | None = None
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class PersonTag(SQLModel, table=True):
    """A face on a photo: a person tagged on it, or (person_id NULL) a suggestion not named yet.

    The box is normalized 0..1 (x, y, w, h) of the image the item shows (its current version's
    preview); a manual tag may have no box. A dismissed suggestion is kept, so the detector never
    proposes it again. A person is tagged at most once per photo."""

    __tablename__ = "person_tags"
    __table_args__ = (
        sa.UniqueConstraint("media_id", "person_id", name="uq_person_tags_media_id_person_id"),
        sa.Index("ix_person_tags_owner_id_person_id", "owner_id", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")  # the photo's owner
    media_id: int = Field(foreign_key="media_items.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="people.id", index=True, ondelete="CASCADE")
    x: float | None = None
    y: float | None = None
    w: float | None = None
    h: float | None = None
    source: TagSource = Field(default=TagSource.MANUAL, sa_type=enum_column(TagSource, 10))
    dismissed: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class FaceScan(SQLModel, table=True):
    """The face detector looked at this item's shown picture (`preview_key`); it looks again only
    when the item shows another picture."""

    __tablename__ = "face_scans"

    media_id: int = Field(foreign_key="media_items.id", primary_key=True, ondelete="CASCADE")
    preview_key: str = Field(default="", max_length=64)
    faces: int = 0
    scanned_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class PeoplePreference(SQLModel, table=True):
    """One person's choices about people: whether faces are suggested in their photos."""

    __tablename__ = "people_preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    suggestions: bool = Field(default=True)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
