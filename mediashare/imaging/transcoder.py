"""Probing and transcoding videos with the ffmpeg binary from the `imageio-ffmpeg` wheel.

Pure: paths and numbers in, results out; nothing of ours is imported. Safety first, because the
input is a file a user uploaded:

- ffmpeg is run with a fixed argument list (no shell), `-nostdin`, `-protocol_whitelist file` and a
  `-format_whitelist` of real video containers, so a crafted concat list, HLS/DASH playlist, SDP,
  image sequence or any other "reference other files" format is refused by ffmpeg itself before it
  opens anything; before ffmpeg even sees the file, text files (playlists are text) are refused by
  us. The transcode names the demuxer the probe found (`-f`), so nothing is guessed twice.
- The caller checks duration and resolution (from `probe`) before work starts; `transcode` has a
  wall-clock time limit (the process is killed) and an output size limit (`-fs`, and the progress
  report is watched), runs at low priority (nice) with a thread limit.
- Output goes to a path the caller chose (a temporary file it later moves into storage).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Demuxers (ffmpeg short names) allowed to open an original. Nothing that reads other files.
FORMATS = ("matroska", "webm", "mov", "mp4", "avi", "asf", "mpeg", "mpegts", "flv", "ogg", "3gp")
# What a probe's "Input #0, <names>" may say; anything else (concat, hls, image2, …) is refused.
_ALLOWED_INPUT_NAMES = {"matroska", "webm", "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "avi", "asf", "mpeg",
                        "mpegts", "flv", "ogg"}
_DEMUXER_FOR = {"matroska": "matroska", "webm": "matroska", "mov": "mov", "mp4": "mov", "avi": "avi",
                "asf": "asf", "mpeg": "mpeg", "mpegts": "mpegts", "flv": "flv", "ogg": "ogg"}
_TEXT_MARKERS = (b"#extm3u", b"ffconcat", b"<?xml", b"<mpd", b"<smil", b"v=0", b"[playlist]", b"file ")
_SNIFF = 4096
PROBE_TIMEOUT = 30.0


class TranscodeError(Exception):
    """The video cannot be (or was not) transcoded; str() is a sentence for the uploader."""


class Refused(TranscodeError):
    """The file is not a video we will hand to ffmpeg (a playlist, concat list, text, unknown format)."""


def ffmpeg_path() -> str:
    import imageio_ffmpeg  # imported here: the binary is located once, on first use

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class Probe:
    """What ffmpeg says about an original."""

    container: str  # "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2", "avi", …
    demuxer: str  # the `-f` to open it with
    video_codec: str | None
    audio_codec: str | None
    width: int | None
    height: int | None
    duration_seconds: float | None
    pixel_format: str | None
    rotation: int = 0

    def browser_playable(self, extension: str) -> bool:
        """Plays in current Chrome, Firefox and Safari as it is, served with the MIME type its
        extension `extension` ("mp4", "mkv", …) gives it: H.264 in MP4/MOV, VP8/VP9/AV1 in WebM."""
        if extension in ("mp4", "m4v", "mov") and self.demuxer == "mov":
            audio_ok = self.audio_codec in (None, "aac", "mp3")
            return self.video_codec == "h264" and self.pixel_format in ("yuv420p", "yuvj420p") and audio_ok
        if extension == "webm" and self.demuxer == "matroska":
            return self.video_codec in ("vp8", "vp9", "av1") and self.audio_codec in (None, "opus", "vorbis")
        return False  # Matroska, AVI, WMV, MPEG, HEVC, MPEG-4 part 2, …

    @property
    def copyable_video(self) -> bool:
        """The video stream can go into the MP4 as it is (a remux, no re-encoding)."""
        return self.video_codec == "h264" and self.pixel_format in ("yuv420p", "yuvj420p")


def _looks_like_text(head: bytes) -> bool:
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(lowered.startswith(marker) for marker in _TEXT_MARKERS):
        return True
    if not head:
        return True
    printable = sum(1 for byte in head if 32 <= byte < 127 or byte in (9, 10, 13))
    return printable / len(head) > 0.97  # video containers are binary from the first bytes


def _guard_file(path: Path) -> None:
    if not path.is_file() or path.is_symlink():
        raise Refused("The original file is missing.")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if _looks_like_text(head):
        raise Refused("The file is a text file (a playlist or list of files), not a video; it is not converted.")


def _input_arguments(path: Path, demuxer: str | None) -> list[str]:
    arguments = ["-nostdin", "-hide_banner", "-protocol_whitelist", "file",
                 "-format_whitelist", ",".join(FORMATS), "-probesize", "50000000", "-analyzeduration", "30000000"]
    if demuxer is not None:
        arguments += ["-f", demuxer]
    return [*arguments, "-i", f"file:{path}"]


_INPUT = re.compile(r"^Input #0, ([\w,]+), from", re.MULTILINE)
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #0:\d+(?:\[\w+\])?(?:\(\w+\))?: Video: (\w+)[^\n]*")
_AUDIO = re.compile(r"Stream #0:\d+(?:\[\w+\])?(?:\(\w+\))?: Audio: (\w+)")
_SIZE = re.compile(r", (\d{2,5})x(\d{2,5})[ ,\n]")
_PIXEL = re.compile(r"Video: \w+(?: \([^)]*\))*(?: \([^)]*\))?, (\w+)")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees|rotate\s*:\s*(-?\d+)")


def parse_probe(text: str) -> Probe:
    """A Probe from ffmpeg's description of its input (stderr of `ffmpeg -i file`)."""
    found = _INPUT.search(text)
    if found is None:
        raise Refused("The file is not a video format we can convert.")
    container = found.group(1)
    names = set(container.split(","))
    if not names <= _ALLOWED_INPUT_NAMES:
        raise Refused(f"The file's format ({container}) is not a video container we convert.")
    demuxer = next((_DEMUXER_FOR[name] for name in container.split(",") if name in _DEMUXER_FOR), None)
    if demuxer is None:
        raise Refused(f"The file's format ({container}) is not a video container we convert.")
    video = _VIDEO.search(text)
    width = height = None
    pixel_format = None
    if video is not None:
        size = _SIZE.search(video.group(0) + "\n")
        if size:
            width, height = int(size.group(1)), int(size.group(2))
        pixel = _PIXEL.search(video.group(0))
        pixel_format = pixel.group(1) if pixel else None
    audio = _AUDIO.search(text)
    duration = None
    stamp = _DURATION.search(text)
    if stamp:
        duration = int(stamp.group(1)) * 3600 + int(stamp.group(2)) * 60 + float(stamp.group(3))
    rotation = 0
    turned = _ROTATION.search(text)
    if turned:
        rotation = int(float(turned.group(1) or turned.group(2))) % 360
    return Probe(container=container, demuxer=demuxer, video_codec=video.group(1) if video else None,
                 audio_codec=audio.group(1) if audio else None, width=width, height=height,
                 duration_seconds=duration, pixel_format=pixel_format, rotation=rotation)


def probe(path: Path) -> Probe:
    """Describe the video at `path`; raises Refused for anything that is not a plain video file."""
    _guard_file(path)
    try:
        result = subprocess.run([ffmpeg_path(), *_input_arguments(path, None)], capture_output=True,
                                timeout=PROBE_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise TranscodeError("Reading the video's details took too long.") from None
    text = result.stderr.decode("utf-8", "replace")
    if "not on whitelist" in text:
        raise Refused("The file is not a video container we convert (a playlist, list of files or other "
                      "format that refers to other files).")
    found = parse_probe(text)
    if found.video_codec is None:
        raise Refused("The file has no video stream.")
    return found


@dataclass(frozen=True)
class Profile:
    """How one rendition is made."""

    max_height: int
    crf: int = 23
    preset: str = "veryfast"
    audio_kbps: int = 128


@dataclass(frozen=True)
class Limits:
    timeout_seconds: float
    max_output_bytes: int
    threads: int = 1
    niceness: int = 10


def target_size(source: Probe, max_height: int) -> tuple[int, int]:
    """The output (width, height): the source's, shrunk to `max_height` (shown height, after
    rotation), both even."""
    width, height = source.width or 0, source.height or 0
    if source.rotation in (90, 270):
        width, height = height, width
    if height > max_height:
        width, height = round(width * max_height / height), max_height
    return max(2, width - width % 2), max(2, height - height % 2)


def transcode_arguments(source: Path, output: Path, probe_: Probe, profile: Profile, limits: Limits) -> list[str]:
    """The exact ffmpeg command line (a list, never a shell string)."""
    width, height = target_size(probe_, profile.max_height)
    shown_height = probe_.height if probe_.rotation not in (90, 270) else probe_.width
    copy_video = probe_.copyable_video and (shown_height or 0) <= profile.max_height and probe_.rotation == 0
    arguments = [ffmpeg_path(), "-threads", str(limits.threads), *_input_arguments(source, probe_.demuxer),
                 "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"]
    if copy_video:
        arguments += ["-c:v", "copy"]
    else:
        arguments += ["-c:v", "libx264", "-preset", profile.preset, "-crf", str(profile.crf),
                      "-profile:v", "high", "-pix_fmt", "yuv420p",
                      "-vf", f"scale={width}:{height}:flags=bicubic,setsar=1",
                      "-threads", str(limits.threads), "-x264-params", f"threads={limits.threads}:log-level=error"]
    arguments += ["-c:a", "aac", "-b:a", f"{profile.audio_kbps}k", "-ac", "2",
                  "-movflags", "+faststart", "-fs", str(limits.max_output_bytes),
                  "-max_muxing_queue_size", "1024", "-progress", "pipe:1", "-nostats", "-loglevel", "error",
                  "-f", "mp4", "-y", f"file:{output}"]
    return arguments


@dataclass(frozen=True)
class Result:
    width: int
    height: int
    size_bytes: int


def transcode(source: Path, output: Path, probe_: Probe, profile: Profile, limits: Limits,
              on_progress: Callable[[float], None] | None = None) -> Result:
    """Make an H.264/AAC MP4 (faststart) of `source` at `output`; `on_progress(0..1)` is called as
    ffmpeg reports (about twice a second). Raises TranscodeError (the output is then removed)."""
    _guard_file(source)
    arguments = transcode_arguments(source, output, probe_, profile, limits)
    width, height = target_size(probe_, profile.max_height)
    process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, close_fds=True)
    with contextlib.suppress(OSError):  # if refused, it still runs, at normal priority
        os.setpriority(os.PRIO_PROCESS, process.pid, limits.niceness)
    timed_out = threading.Event()
    too_big = threading.Event()

    def kill_at_deadline() -> None:
        timed_out.set()
        process.kill()

    timer = threading.Timer(limits.timeout_seconds, kill_at_deadline)
    timer.daemon = True
    timer.start()
    errors: list[bytes] = []

    def drain_errors() -> None:  # read all of stderr (a full pipe would stall ffmpeg), keep the end
        for chunk in iter(lambda: process.stderr.read(8192), b""):  # type: ignore[union-attr]
            errors.append(chunk)
            del errors[:-8]

    reader = threading.Thread(target=drain_errors, daemon=True)
    reader.start()
    duration = probe_.duration_seconds or 0.0
    try:
        for raw in process.stdout:  # type: ignore[union-attr]
            key, _, value = raw.decode("ascii", "replace").strip().partition("=")
            if key == "total_size" and value.isdigit() and int(value) > limits.max_output_bytes:
                too_big.set()
                process.kill()
            elif key == "out_time_us" and value.lstrip("-").isdigit() and duration > 0 and on_progress:
                on_progress(min(0.99, max(0.0, int(value) / 1_000_000 / duration)))
        returncode = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    try:
        if timed_out.is_set():
            raise TranscodeError(f"Converting took longer than the limit of {limits.timeout_seconds:.0f} s "
                                 "and was stopped.")
        size = output.stat().st_size if output.is_file() else 0
        if too_big.is_set() or size >= limits.max_output_bytes:
            raise TranscodeError(f"The converted video would be larger than the limit of "
                                 f"{limits.max_output_bytes / 1024**2:,.0f} MB.")
        if returncode != 0 or size == 0:
            detail = b"".join(errors).decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1][:200] if detail else f"ffmpeg exited with code {returncode}"
            raise TranscodeError(f"The video could not be converted ({reason}).")
    except TranscodeError:
        output.unlink(missing_ok=True)
        raise
    if on_progress:
        on_progress(1.0)
    return Result(width=width, height=height, size_bytes=size)


def decode_only_seconds(source: Path, demuxer: str, threads: int = 1) -> float:
    """Wall time ffmpeg needs just to decode `source` (`-f null -`): the benchmark's reference."""
    started = time.perf_counter()
    subprocess.run([ffmpeg_path(), "-threads", str(threads), *_input_arguments(source, demuxer),
                    "-threads", str(threads), "-f", "null", "-loglevel", "error", "-"],
                   check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    return time.perf_counter() - started


# Copies without metadata (shared videos and audio) ----------------------------------------------

# extension → (demuxer that opens it, muxer that writes the copy): the same container, streams copied.
REMUX_FORMATS = {
    "mp4": ("mov", "mp4"), "m4v": ("mov", "mp4"), "mov": ("mov", "mov"), "m4a": ("mov", "mp4"),
    "webm": ("matroska", "webm"), "mkv": ("matroska", "matroska"),
    "mp3": ("mp3", "mp3"), "aac": ("aac", "adts"), "ogg": ("ogg", "ogg"), "wav": ("wav", "wav"),
    "flac": ("flac", "flac"),
}
_AUDIO_ONLY = {"m4a", "mp3", "aac", "ogg", "wav", "flac"}


def strip_arguments(source: Path, output: Path, extension: str, max_output_bytes: int) -> list[str]:
    """The ffmpeg command line (a list) of a copy of `source` with its streams as they are and no
    metadata: no global, stream or chapter tags (location, device, dates, titles), no chapters,
    no cover art, data or subtitle tracks, and no encoder tag of ours (bitexact)."""
    demuxer, muxer = REMUX_FORMATS[extension]
    streams = ["-map", "0:a"] if extension in _AUDIO_ONLY else ["-map", "0:V?", "-map", "0:a?"]
    arguments = [ffmpeg_path(), "-nostdin", "-hide_banner", "-protocol_whitelist", "file",
                 "-format_whitelist", demuxer, "-f", demuxer, "-i", f"file:{source}",
                 *streams, "-dn", "-sn", "-map_metadata", "-1", "-map_chapters", "-1", "-c", "copy",
                 "-fflags", "+bitexact", "-flags:a", "+bitexact"]
    if extension not in _AUDIO_ONLY:
        arguments += ["-flags:v", "+bitexact"]
    if muxer in ("mp4", "mov"):
        arguments += ["-movflags", "+faststart"]
    if muxer == "mp3":
        arguments += ["-id3v2_version", "0", "-write_xing", "0"]
    return [*arguments, "-fs", str(max_output_bytes), "-loglevel", "error", "-f", muxer, "-y", f"file:{output}"]


def strip_metadata(source: Path, output: Path, extension: str, *, timeout_seconds: float) -> int:
    """Write a metadata-free copy of the video or audio `source` (a file with extension
    `extension`, one of REMUX_FORMATS) at `output`; returns its size. Raises TranscodeError (the
    output is then removed)."""
    if extension not in REMUX_FORMATS:
        raise Refused("This kind of file cannot be copied without its metadata.")
    if not source.is_file() or source.is_symlink():
        raise Refused("The original file is missing.")
    limit = source.stat().st_size + source.stat().st_size // 10 + 1_048_576  # a remux hardly grows
    try:
        result = subprocess.run(strip_arguments(source, output, extension, limit), capture_output=True,
                                timeout=timeout_seconds, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        output.unlink(missing_ok=True)
        raise TranscodeError(f"Copying the file without its metadata took over {timeout_seconds:.0f} s.") from None
    size = output.stat().st_size if output.is_file() else 0
    if result.returncode != 0 or size == 0 or size >= limit:
        output.unlink(missing_ok=True)
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1][:200] if detail else f"ffmpeg exited with code {result.returncode}"
        raise TranscodeError(f"The file could not be copied without its metadata ({reason}).")
    return size
