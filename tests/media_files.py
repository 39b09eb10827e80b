"""Small real media files for tests: photos with EXIF, a video, a tone."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from bench.photos import synthetic_photo


def jpeg_bytes(width: int = 640, height: int = 480, *, seed: int = 1, orientation: int = 1,
               taken: str | None = "2023:07:14 18:05:09", offset: str | None = "+02:00") -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Canon", "EOS R6", orientation
    details = exif.get_ifd(0x8769)
    if taken:
        details[0x9003] = taken
    if offset:
        details[0x9011] = offset
    buffer = io.BytesIO()
    synthetic_photo(width, height, seed=seed).save(buffer, "JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def png_bytes(width: int = 300, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 200, 30, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def mp4_file(path: Path, *, frames: int = 20, size: tuple[int, int] = (320, 240)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, size)
    for index in range(frames):
        writer.write(np.full((size[1], size[0], 3), (index * 12) % 255, np.uint8))
    writer.release()
    return path


def wav_file(path: Path, *, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        samples = (np.sin(np.arange(int(8000 * seconds)) / 8000 * 2 * np.pi * 440) * 12000).astype("<i2")
        out.writeframes(samples.tobytes())
    return path


def webm_file(path: Path, *, frames: int = 150, fps: int = 10, size: tuple[int, int] = (320, 240)) -> Path:
    """A VP8 WebM (plays in Chromium, unlike mp4v): `frames / fps` seconds long."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"VP80"), fps, size)
    for index in range(frames):
        frame = np.full((size[1], size[0], 3), (index * 7) % 255, np.uint8)
        cv2.putText(frame, str(index), (20, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 3)
        writer.write(frame)
    writer.release()
    return path


PRIVATE_TAGS = {"location": "+48.8584+002.2945/", "title": "Grandma's garden", "creation_time": "2021-05-04T10:00:00Z",
                "comment": "12 Rue Cler"}


def tagged_media(path: Path) -> Path:
    """A short H.264/AAC MP4 (or, by `path`'s suffix, an MP3) carrying a place (ISO 6709 ©xyz),
    a title, a creation time and a comment, as phones write them (made with imageio-ffmpeg's ffmpeg)."""
    import subprocess

    import imageio_ffmpeg

    video = path.suffix == ".mp4"
    sources = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10"] if video else []
    codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"] if video else []
    tags = [part for key, value in PRIVATE_TAGS.items() for part in ("-metadata", f"{key}={value}")]
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", *sources,
                    "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", *codecs, *tags, "-y", str(path)],
                   check=True, timeout=60)
    return path


def clip_file(path: Path, *, seconds: int, size: tuple[int, int] = (160, 120), fps: int = 5) -> Path:
    """A small VP8 WebM `seconds` long (a test pattern with a running clock, no sound) that Chromium plays
    and seeks in: a keyframe every 2 s (made with imageio-ffmpeg's ffmpeg)."""
    import subprocess

    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-f", "lavfi",
                    "-i", f"testsrc=size={size[0]}x{size[1]}:rate={fps}", "-t", str(seconds), "-c:v", "libvpx",
                    "-b:v", "40k", "-g", str(2 * fps), "-y", str(path)], check=True, timeout=120)
    return path
