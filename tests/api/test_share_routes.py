"""Share-link byte routes: stripped metadata, download rules, ranges, revocation and expiry, unlock form."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import timedelta

import cv2
import pytest
from PIL import Image
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare.api import build_api
from mediashare.imaging import transcoder
from mediashare.jobs import queue
from mediashare.models import MediaItem, ShareLink, utc_now
from mediashare.services import albums, gallery, reconcile, shared_copies, shares
from tests.factories import make_user
from tests.media_files import PRIVATE_TAGS, mp4_file, synthetic_photo, tagged_media
from tests.services.test_media import stored

ORIGIN = "http://localhost:8000"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def _gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0112] = "Canon", 6  # rotated 90°: the shared copy must come out upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (48.0, 51.0, 29.0), "E", (2.0, 17.0, 40.0)
    buffer = io.BytesIO()
    synthetic_photo(640, 480, seed=5).save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_shared_copies_carry_no_exif_or_location(client: TestClient, session: Session) -> None:
    owner = make_user(session, verified=True)
    item = stored(session, owner, "gps.jpg", _gps_jpeg())
    with Image.open(item_path := shares.ingest.storage().path(item.storage_key)) as original:
        assert original.getexif().get_ifd(0x8825)  # the stored original does have a location
    assert item_path.is_file()
    token = _token(shares.create(session, actor=owner, media_id=item.id, allow_download=True).url)
    for variant in ("preview", "preview_jpeg", "thumbnail", "original", "download"):
        response = client.get(f"/api/s/{token}/{item.id}/{variant}")
        assert response.status_code == 200, variant
        with Image.open(io.BytesIO(response.content)) as image:
            assert not image.getexif(), variant
            assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
            if variant in ("original", "download"):
                assert image.size == (480, 640)  # full size, orientation applied
    download = client.get(f"/api/s/{token}/{item.id}/download")
    assert download.headers["content-disposition"].startswith("attachment") and ".jpg" in download.headers[
        "content-disposition"]
    again = client.get(f"/api/s/{token}/{item.id}/original")
    assert again.content == client.get(f"/api/s/{token}/{item.id}/original").content  # cached copy
    part = client.get(f"/api/s/{token}/{item.id}/original", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100


def test_downloads_follow_the_link_and_a_revoked_link_fails_everywhere(client: TestClient, session: Session) -> None:
    owner = make_user(session, verified=True)
    first, second = stored(session, owner, "a.jpg"), stored(session, owner, "bb.jpg")
    album = albums.create(session, actor=owner, title="Party")
    albums.add_items(session, actor=owner, album_id=album.id, ids=[first.id, second.id])
    view_only = _token(shares.create(session, actor=owner, album_id=album.id).url)
    assert client.get(f"/api/s/{view_only}/{first.id}/preview").status_code == 200
    for variant in ("original", "download"):
        assert client.get(f"/api/s/{view_only}/{first.id}/{variant}").status_code == 403
    assert client.get(f"/api/s/{view_only}/zip").status_code == 403

    created = shares.create(session, actor=owner, album_id=album.id, allow_download=True)
    token = _token(created.url)
    urls = [f"/api/s/{token}/{item.id}/{variant}" for item in (first, second)
            for variant in ("preview", "thumbnail", "original", "download")] + [f"/api/s/{token}/zip"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/api/s/{token}/{first.id + 1000}/preview").status_code == 404
    shares.revoke(session, actor=owner, share_id=created.share.id)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 410 and "turned off" in response.text, url


def test_an_expired_link_fails_on_every_route(client: TestClient, session: Session) -> None:
    owner = make_user(session, verified=True)
    item = stored(session, owner)
    created = shares.create(session, actor=owner, media_id=item.id, expires="1d", allow_download=True)
    token = _token(created.url)
    urls = [f"/api/s/{token}/{item.id}/{variant}" for variant in ("preview", "thumbnail", "original", "download")]
    assert all(client.get(url).status_code == 200 for url in urls)
    row = session.get(ShareLink, created.share.id)
    row.expires_at = utc_now() - timedelta(minutes=1)
    session.commit()
    for url in [*urls, f"/api/s/{token}/zip"]:
        assert client.get(url).status_code == 410, url


def test_the_password_form_sets_a_cookie_for_this_link_only(client: TestClient, session: Session) -> None:
    owner = make_user(session, verified=True)
    item = stored(session, owner)
    token = _token(shares.create(session, actor=owner, media_id=item.id, password="letmein!").url)
    url = f"/api/s/{token}/{item.id}/preview"
    assert client.get(url).status_code == 403
    headers = {"Origin": ORIGIN}
    wrong = client.post(f"/api/s/{token}/unlock", data={"password": "nope"}, headers=headers)
    assert wrong.status_code == 303 and "notice=" in wrong.headers["location"]
    assert client.get(url).status_code == 403
    assert client.post(f"/api/s/{token}/unlock", data={"password": "letmein!"},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    right = client.post(f"/api/s/{token}/unlock", data={"password": "letmein!"}, headers=headers)
    assert right.status_code == 303 and right.headers["location"] == f"/s/{token}"
    assert "httponly" in right.headers["set-cookie"].lower()
    assert client.get(url).status_code == 200


def test_a_shared_video_streams_with_ranges_and_downloads_only_when_allowed(
        client: TestClient, session: Session, tmp_path) -> None:
    owner = make_user(session, verified=True)
    video = stored(session, owner, "clip.mp4", mp4_file(tmp_path / "clip.mp4", frames=30).read_bytes())
    token = _token(shares.create(session, actor=owner, media_id=video.id).url)
    whole = client.get(f"/api/s/{token}/{video.id}/stream")
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    part = client.get(f"/api/s/{token}/{video.id}/stream", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    assert client.get(f"/api/s/{token}/{video.id}/download").status_code == 403
    photo = stored(session, owner)
    photo_token = _token(shares.create(session, actor=owner, media_id=photo.id).url)
    assert client.get(f"/api/s/{photo_token}/{photo.id}/stream").status_code == 404  # images: only stripped copies


def _described(data: bytes, path) -> str:
    """What ffmpeg says about a file's input side (its tags, streams and duration); it decodes the
    whole file on the way (an error there fails the test)."""
    path.write_bytes(data)
    result = subprocess.run([transcoder.ffmpeg_path(), "-nostdin", "-hide_banner", "-v", "info", "-xerror",
                             "-i", str(path), "-f", "null", "-"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    return result.stderr.decode("utf-8", "replace").split("Stream mapping")[0]


def _private(data: bytes) -> list[str]:
    needles = [value.encode() for value in PRIVATE_TAGS.values()] + [b"\xa9xyz", b"2021-05-04", b"Lavf"]
    return [needle.decode("latin-1") for needle in needles if needle in data]


def test_shared_videos_and_audio_carry_no_location_dates_or_titles(
        client: TestClient, session: Session, tmp_path) -> None:
    owner = make_user(session, verified=True)
    original = tagged_media(tmp_path / "garden.mp4").read_bytes()
    assert _private(original)  # the upload does say where and when
    video = stored(session, owner, "garden.mp4", original)
    song = stored(session, owner, "song.mp3", tagged_media(tmp_path / "song.mp3").read_bytes())
    photo = stored(session, owner, "gps.jpg", _gps_jpeg())
    token = _token(shares.create(session, actor=owner, media_id=video.id).url)
    queue.drain_local()  # the copy made ahead of the first visitor

    streamed = client.get(f"/api/s/{token}/{video.id}/stream")
    assert streamed.status_code == 200 and streamed.headers["content-type"] == "video/mp4"
    assert _private(streamed.content) == []
    described = _described(streamed.content, tmp_path / "seen.mp4")
    assert "location" not in described and "creation_time" not in described and "title" not in described
    assert "Duration: 00:00:02" in described and "Video: h264" in described and "Audio: aac" in described
    capture = cv2.VideoCapture(str(tmp_path / "seen.mp4"))
    readable, frame = capture.read()
    capture.release()
    assert readable and frame.shape[:2] == (120, 160)  # it still plays
    part = client.get(f"/api/s/{token}/{video.id}/stream", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == streamed.content[100:200]
    assert shares.ingest.storage().path(video.storage_key).read_bytes() == original  # the owner keeps it all

    copy = shared_copies.ensure(video)
    copy.unlink()  # a lost copy is made again on the next request
    assert client.get(f"/api/s/{token}/{video.id}/stream").content == streamed.content

    album = albums.create(session, actor=owner, title="Summer")
    albums.add_items(session, actor=owner, album_id=album.id, ids=[video.id, song.id, photo.id])
    album_token = _token(shares.create(session, actor=owner, album_id=album.id, allow_download=True).url)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/s/{album_token}/zip").content))
    names = sorted(archive.namelist())
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["jpg", "mp3", "mp4"]
    for name in names:
        data = archive.read(name)
        assert _private(data) == [], name
        if name.endswith(".mp3"):
            described = _described(data, tmp_path / "seen.mp3")
            assert "Audio: mp3" in described and "title" not in described and "comment" not in described
        if name.endswith(".jpg"):
            with Image.open(io.BytesIO(data)) as image:
                assert not image.getexif()

    reconcile.reconcile(session, grace=timedelta(0))
    assert copy.exists()  # the reconciler knows the copy belongs to a live item
    gallery.delete_items(session, actor=owner, items=[session.get(MediaItem, video.id)])
    assert not copy.exists()  # the copy goes with its item
