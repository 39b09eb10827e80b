"""Transcoding: videos a browser cannot play get a playable H.264/AAC MP4 rendition, made by a job
with the ffmpeg of the imageio-ffmpeg wheel; crafted concat lists and HLS playlists are refused."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import cv2
import pytest
from sqlmodel import Session, select

from mediashare.imaging import transcoder
from mediashare.jobs import queue
from mediashare.jobs import transcode as transcode_jobs
from mediashare.models import MediaItem, MediaRendition, RenditionStatus, Role
from mediashare.services import gallery, media, platform, reconcile, transcode
from tests.factories import make_user
from tests.services.test_ingest import _files, _upload


def _clip(path: Path, *, video: list[str], audio: list[str], seconds: float = 2.0, size: str = "320x240") -> Path:
    """A small test clip (moving test pattern and a tone) made with the same ffmpeg."""
    subprocess.run([transcoder.ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-f", "lavfi", "-i", f"testsrc=size={size}:rate=15", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", str(seconds), *video, *audio, "-y", str(path)], check=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {
        "hevc.mkv": _clip(folder / "hevc.mkv", video=["-c:v", "libx265", "-preset", "ultrafast",
                                                      "-x265-params", "log-level=error:pools=1", "-pix_fmt", "yuv420p"],
                          audio=["-c:a", "libopus"]),
        "mpeg4.avi": _clip(folder / "mpeg4.avi", video=["-c:v", "mpeg4"], audio=["-c:a", "libmp3lame"]),
        "h264.mp4": _clip(folder / "h264.mp4", video=["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
                          audio=["-c:a", "aac"]),
    }


def _store_original(session: Session, owner, data: bytes, *, extension: str) -> MediaItem:
    """An item whose stored original is `data` (as if it had passed upload checks)."""
    store = transcode.ingest.storage()
    import io

    key = store.put(io.BytesIO(data), suffix=f".{extension}")
    item = MediaItem(owner_id=owner.id, kind="video", original_filename=f"clip.{extension}", extension=extension,
                     mime="video/x-matroska", size_bytes=len(data), sha256=key[:32], storage_key=key,
                     status="ready")
    session.add(item)
    session.commit()
    return item


def _drain() -> None:
    """Wait for queued jobs and for the jobs they queue."""
    for _ in range(4):
        queue.drain_local(timeout=120)


def _renditions(session: Session, media_id: int) -> dict[str, MediaRendition]:
    session.expire_all()
    return {row.label: row for row in session.exec(select(MediaRendition).where(MediaRendition.media_id == media_id))}


def _read_video(path: Path) -> tuple[bool, float, tuple[int, int]]:
    capture = cv2.VideoCapture(str(path))
    try:
        ok, frame = capture.read()
        frames, fps = capture.get(cv2.CAP_PROP_FRAME_COUNT), capture.get(cv2.CAP_PROP_FPS)
    finally:
        capture.release()
    return ok and frame is not None and frame.std() > 5, frames / fps, (frame.shape[1], frame.shape[0])


@pytest.mark.parametrize("name", ["hevc.mkv", "mpeg4.avi"])
def test_a_video_browsers_cannot_play_gets_a_playable_mp4(session: Session, clips: dict[str, Path], name: str) -> None:
    owner = make_user(session)
    item = _store_original(session, owner, clips[name].read_bytes(), extension=name.rsplit(".", 1)[1])
    original = transcode.ingest.storage().path(item.storage_key).read_bytes()

    assert transcode_jobs.prepare(item.id) == 1
    _drain()
    row = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.READY, row.error
    assert row.progress == 1.0 and row.error == ""
    path = transcode.ingest.storage().path(row.storage_key, area="derived")
    assert path.stat().st_size == row.size_bytes > 0
    found = transcoder.probe(path)
    assert (found.video_codec, found.audio_codec, found.demuxer) == ("h264", "aac", "mov")
    assert found.browser_playable("mp4")
    assert path.read_bytes()[:64].find(b"moov") != -1 or b"moov" in path.read_bytes()[:4096]  # faststart
    readable, seconds, size = _read_video(path)
    assert readable and size == (320, 240)
    assert seconds == pytest.approx(2.0, abs=0.25) and row.duration_seconds == pytest.approx(2.0, abs=0.25)
    assert transcode.ingest.storage().path(item.storage_key).read_bytes() == original  # untouched
    assert transcode_jobs.make_rendition(row.id) == "skipped"  # idempotent: made once
    assert transcode_jobs.prepare(item.id) == 0


def test_progress_is_reported_while_it_runs(session: Session, clips: dict[str, Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[float] = []
    real = transcode.report_progress

    def recording(session_, claimed, fraction):
        seen.append(fraction)
        return real(session_, claimed, fraction)

    monkeypatch.setattr(transcode, "PROGRESS_EVERY_SECONDS", 0.0)
    monkeypatch.setattr(transcode, "report_progress", recording)
    owner = make_user(session)
    item = _store_original(session, owner, clips["mpeg4.avi"].read_bytes(), extension="avi")
    transcode_jobs.prepare(item.id)
    _drain()
    assert seen and all(0 <= value <= 1 for value in seen) and seen == sorted(seen)
    assert _renditions(session, item.id)["playable"].progress == 1.0


def test_a_browser_playable_original_needs_no_rendition(session: Session, clips: dict[str, Path]) -> None:
    owner = make_user(session)
    item = _store_original(session, owner, clips["h264.mp4"].read_bytes(), extension="mp4")
    assert transcode_jobs.prepare(item.id) == 0
    row = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.NOT_NEEDED and row.storage_key is None


def test_smaller_qualities_are_made_when_the_platform_asks(session: Session, clips: dict[str, Path]) -> None:
    admin = make_user(session, role=Role.ADMIN)
    platform.set_value(session, actor=admin, key="transcode_extra_qualities", value=["480p", "720p"])
    transcode.set_profile(session, actor=admin, label="480p", max_height=144, crf=30, preset="ultrafast",
                          audio_kbps=64)
    item = _store_original(session, admin, clips["mpeg4.avi"].read_bytes(), extension="avi")
    assert transcode_jobs.prepare(item.id) == 2  # the main one and "480p" (the 720p one would not be smaller)
    _drain()
    rows = _renditions(session, item.id)
    assert set(rows) == {"playable", "480p"}
    small = rows["480p"]
    assert small.status is RenditionStatus.READY and (small.width, small.height) == (192, 144)
    assert _read_video(transcode.ingest.storage().path(small.storage_key, area="derived"))[2] == (192, 144)


@pytest.mark.parametrize("payload", [
    b"ffconcat version 1.0\nfile '{secret}'\n",
    b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:{secret}\n#EXT-X-ENDLIST\n",
], ids=["concat", "hls"])
def test_crafted_concat_and_hls_files_are_refused_and_nothing_outside_is_read(
        session: Session, clips: dict[str, Path], tmp_path: Path, payload: bytes) -> None:
    secret = tmp_path / "secret.mp4"
    secret.write_bytes(clips["h264.mp4"].read_bytes())
    crafted = payload.replace(b"{secret}", str(secret).encode())
    owner = make_user(session)
    item = _store_original(session, owner, crafted, extension="mkv")
    before = secret.stat().st_atime_ns
    assert transcode_jobs.prepare(item.id) == 0
    row = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.FAILED and "not converted" in row.error and row.storage_key is None
    # ffmpeg itself refuses them too (when our own text check is bypassed): the format whitelist
    stored = transcode.ingest.storage().path(item.storage_key)
    result = subprocess.run([transcoder.ffmpeg_path(), *transcoder._input_arguments(stored, None),
                             "-f", "null", "-"], capture_output=True, timeout=30, check=False)
    text = result.stderr.decode()
    assert result.returncode != 0 and "Input #0" not in text and str(secret) not in text
    assert secret.stat().st_atime_ns == before  # never opened
    with pytest.raises(transcoder.Refused):
        transcoder.parse_probe("Input #0, concat, from 'x.mkv':\n  Stream #0:0: Video: h264, yuv420p, 320x240\n")
    with pytest.raises(transcoder.Refused):
        transcoder.parse_probe("Input #0, hls, from 'x.mkv':\n  Stream #0:0: Video: h264, yuv420p, 320x240\n")


def test_limits_are_checked_before_work_and_a_failure_keeps_the_original(session: Session,
                                                                        clips: dict[str, Path]) -> None:
    admin = make_user(session, role=Role.ADMIN)
    platform.set_value(session, actor=admin, key="transcode_max_duration_seconds", value=1)
    item = _store_original(session, admin, clips["mpeg4.avi"].read_bytes(), extension="avi")
    assert transcode_jobs.prepare(item.id) == 0
    row = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.FAILED and "minutes are converted" in row.error
    served = media.serve(session, actor=admin, media_id=item.id, variant="original")  # still there
    assert served.path.read_bytes() == clips["mpeg4.avi"].read_bytes()

    platform.set_value(session, actor=admin, key="transcode_max_duration_seconds", value=3600)
    platform.set_value(session, actor=admin, key="transcode_max_output_bytes", value=2000)
    assert transcode.retry(session, actor=admin, media_id=item.id) == 1
    _drain()
    row = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.FAILED and "larger than the limit" in row.error
    assert not list(transcode.ingest.storage().incoming.glob("*"))  # the temporary file is gone


def test_a_lost_run_is_resumed_and_rendition_files_go_with_their_item(session: Session,
                                                                     clips: dict[str, Path]) -> None:
    owner = make_user(session)
    item = _store_original(session, owner, clips["mpeg4.avi"].read_bytes(), extension="avi")
    rendition = MediaRendition(media_id=item.id, label="playable", status=RenditionStatus.RUNNING, claim="dead",
                               progress=0.4)
    session.add(rendition)
    session.commit()
    assert transcode_jobs.resume_stalled() == 0  # still fresh: its run may be alive
    rendition.updated_at = rendition.updated_at - timedelta(minutes=10)
    item.updated_at = item.updated_at - timedelta(minutes=10)
    session.commit()
    assert transcode_jobs.resume_stalled() == 1
    _drain()
    row = _renditions(session, item.id)["playable"]
    assert row.status is RenditionStatus.READY
    assert reconcile.reconcile(session, grace=timedelta(0)).orphan_files_removed == 0  # kept: a row points at it
    key = row.storage_key
    gallery.delete_items(session, actor=owner, items=[session.get(MediaItem, item.id)])
    assert not transcode.ingest.storage().exists(key, area="derived")
    assert _renditions(session, item.id) == {}


def test_an_uploaded_video_gets_its_rendition_after_its_derivatives(session: Session, clips: dict[str, Path]) -> None:
    owner = make_user(session)
    outcome = _upload(session, owner, "clip.mkv", clips["hevc.mkv"].read_bytes())
    assert outcome.status == "stored", outcome.message
    _drain()  # derivatives, then the plan, then the rendition
    rows = _renditions(session, outcome.media_id)
    assert rows["playable"].status is RenditionStatus.READY
    assert len(_files("derived")) == 3  # preview, thumbnail, rendition


def test_the_time_limit_stops_ffmpeg_and_leaves_no_file(clips: dict[str, Path], tmp_path: Path) -> None:
    source = clips["hevc.mkv"]
    output = tmp_path / "out.part"
    found = transcoder.probe(source)
    with pytest.raises(transcoder.TranscodeError, match="longer than the limit"):
        transcoder.transcode(source, output, found, transcoder.Profile(max_height=240),
                             transcoder.Limits(timeout_seconds=0.05, max_output_bytes=10**8))
    assert not output.exists()
    arguments = transcoder.transcode_arguments(source, output, found, transcoder.Profile(max_height=240),
                                               transcoder.Limits(timeout_seconds=1, max_output_bytes=10**8))
    assert arguments[arguments.index("-protocol_whitelist") + 1] == "file"
    assert arguments[arguments.index("-i") - 2:arguments.index("-i")] == ["-f", "matroska"]
    assert arguments[arguments.index("-i") + 1] == f"file:{source}"
