"""GET /api/media/{id}/playable: the playable version of a video, with the video's authorization and ranges."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare.jobs import transcode as transcode_jobs
from mediashare.models import MediaRendition, RenditionStatus
from mediashare.services import media
from tests.api.test_media_route import _path, _sign_in, client  # noqa: F401  (fixture)
from tests.factories import make_user
from tests.jobs.test_transcode import _drain, _renditions, _store_original, clips  # noqa: F401  (fixture)


def test_the_rendition_is_served_with_ranges_to_whoever_may_see_the_video(
        client: TestClient, session: Session, clips: dict[str, Path]) -> None:  # noqa: F811
    owner, stranger = make_user(session), make_user(session)
    item = _store_original(session, owner, clips["mpeg4.avi"].read_bytes(), extension="avi")
    _sign_in(client, session, owner)
    assert client.get(_path(item, "playable")).status_code == 404  # not made yet
    transcode_jobs.prepare(item.id)
    _drain()
    row: MediaRendition = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.READY

    whole = client.get(_path(item, "playable"))
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    assert len(whole.content) == row.size_bytes
    part = client.get(_path(item, "playable"), headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    assert client.get(_path(item, "playable-720")).status_code == 404  # not configured: none made

    signed = media.url_for(item.id, "playable", owner.id)
    client.cookies.clear()
    assert client.get(signed).status_code == 200
    original_grant = media.url_for(item.id, "original", owner.id)
    assert client.get(original_grant.replace("/original?", "/playable?")).status_code == 403  # per variant
    _sign_in(client, session, stranger)
    assert client.get(_path(item, "playable")).status_code == 404
