"""What a file really is: extension, sniffed content and a real decode must agree.

Every check ends in `InvalidUpload` with a sentence naming the file and the problem; nothing is
stored before a file passes. Pillow checks the pixel count from the header before anything decodes
(OpenCV and libvips have no useful limit), a JPEG is decoded at 1/8 scale (every byte of entropy
data is still read, so truncation is caught, at a fraction of the cost), and files carrying markup
(SVG, HTML, a script appended to an image) are refused outright.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path

import cv2
import filetype
import mutagen
import numpy as np
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from mediashare.errors import ValidationFailed

register_heif_opener()

DEFAULT_MAX_PIXELS = 100_000_000  # 100 MP: well below Pillow's bomb threshold (~179 MP)
_SNIFF_BYTES = 8192
_TAIL_BYTES = 65536
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?php", b"<iframe", b"<body", b"javascript:")


class Kind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


# extension → (kind, MIME types the sniffer may report for it)
KNOWN_TYPES: dict[str, tuple[Kind, frozenset[str]]] = {
    "jpg": (Kind.IMAGE, frozenset({"image/jpeg"})),
    "jpeg": (Kind.IMAGE, frozenset({"image/jpeg"})),
    "png": (Kind.IMAGE, frozenset({"image/png"})),
    "webp": (Kind.IMAGE, frozenset({"image/webp"})),
    "gif": (Kind.IMAGE, frozenset({"image/gif"})),
    "tif": (Kind.IMAGE, frozenset({"image/tiff"})),
    "tiff": (Kind.IMAGE, frozenset({"image/tiff"})),
    "bmp": (Kind.IMAGE, frozenset({"image/bmp", "image/x-ms-bmp"})),
    "heic": (Kind.IMAGE, frozenset({"image/heic", "image/heif"})),
    "heif": (Kind.IMAGE, frozenset({"image/heic", "image/heif"})),
    "mp4": (Kind.VIDEO, frozenset({"video/mp4", "video/quicktime", "audio/mp4", "video/x-m4v"})),
    "mov": (Kind.VIDEO, frozenset({"video/quicktime", "video/mp4"})),
    "webm": (Kind.VIDEO, frozenset({"video/webm", "video/x-matroska"})),
    "mkv": (Kind.VIDEO, frozenset({"video/x-matroska", "video/webm"})),
    "mp3": (Kind.AUDIO, frozenset({"audio/mpeg"})),
    "m4a": (Kind.AUDIO, frozenset({"audio/mp4", "audio/m4a", "video/mp4", "audio/x-m4a"})),
    "aac": (Kind.AUDIO, frozenset({"audio/aac", "audio/x-aac"})),
    "ogg": (Kind.AUDIO, frozenset({"audio/ogg", "video/ogg"})),
    "wav": (Kind.AUDIO, frozenset({"audio/x-wav", "audio/wav"})),
    "flac": (Kind.AUDIO, frozenset({"audio/x-flac", "audio/flac"})),
}


class InvalidUpload(ValidationFailed):
    """The file is not what it claims, is damaged, or is not allowed."""

    def __init__(self, filename: str, problem: str) -> None:
        super().__init__(f"{filename}: {problem}", field="file")
        self.filename, self.problem = filename, problem


@dataclass
class Inspection:
    """Everything we learned from a file that passed."""

    kind: Kind
    extension: str
    mime: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    codec: str | None = None
    exif: dict[str, object] = field(default_factory=dict)


def extension_of(filename: str) -> str:
    return Path(filename).suffix.lower().lstrip(".")


def _has_markup(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES).lower()
        handle.seek(max(0, size - _TAIL_BYTES))
        tail = handle.read().lower()
    return any(marker in head or marker in tail for marker in _MARKUP)


def _sniff(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    guess = filetype.guess(head)
    return guess.mime if guess is not None else None


def inspect(path: Path, *, filename: str, max_pixels: int = DEFAULT_MAX_PIXELS,
            allowed: dict[str, Kind] | None = None) -> Inspection:
    """Check `path` (uploaded as `filename`) and describe it; raises InvalidUpload."""
    extension = extension_of(filename)
    allowed = allowed if allowed is not None else {ext: kind for ext, (kind, _) in KNOWN_TYPES.items()}
    if extension not in allowed or extension not in KNOWN_TYPES:
        shown = f".{extension}" if extension else "files without an extension"
        raise InvalidUpload(filename, f"{shown} is not a supported type.")
    if path.stat().st_size == 0:
        raise InvalidUpload(filename, "the file is empty.")
    kind, expected_mimes = KNOWN_TYPES[extension]
    mime = _sniff(path)
    if mime is None or mime not in expected_mimes:
        found = f"{mime} data" if mime else "something else"
        raise InvalidUpload(filename, f"the name says .{extension} but the content is {found}.")
    if _has_markup(path):
        raise InvalidUpload(filename, "the file contains web markup or script, which is never accepted.")
    if kind is Kind.IMAGE:
        return _inspect_image(path, filename=filename, extension=extension, mime=mime, max_pixels=max_pixels)
    if kind is Kind.VIDEO:
        return _inspect_video(path, filename=filename, extension=extension, mime=mime)
    return _inspect_audio(path, filename=filename, extension=extension, mime=mime)


def _too_many_pixels(pixels: int, limit: int) -> str:
    size = f"{pixels / 1_000_000:,.0f} megapixels" if pixels else "enormous"
    return f"the image is {size}; the limit is {limit // 1_000_000} megapixels."


def _inspect_image(path: Path, *, filename: str, extension: str, mime: str, max_pixels: int) -> Inspection:
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise InvalidUpload(filename, _too_many_pixels(width * height, max_pixels))
            exif = read_exif(image)
            if image.format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()  # a real decode: truncated or corrupt data fails here
    except InvalidUpload:
        raise
    except Image.DecompressionBombError as error:  # Pillow's own limit, hit before ours when huge
        claimed = re.search(r"\((\d+) pixels\)", str(error))
        raise InvalidUpload(filename, _too_many_pixels(int(claimed.group(1)) if claimed else 0, max_pixels)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        reason = "the image data is incomplete (truncated)" if "truncated" in str(error) else "the image is damaged"
        raise InvalidUpload(filename, f"{reason} and cannot be read.") from None
    return Inspection(kind=Kind.IMAGE, extension=extension, mime=mime, width=width, height=height, exif=exif)


def _inspect_video(path: Path, *, filename: str, extension: str, mime: str) -> Inspection:
    capture = cv2.VideoCapture(str(path))
    try:
        ok, frame = capture.read() if capture.isOpened() else (False, None)
        if not ok or frame is None:
            raise InvalidUpload(filename, "the video cannot be decoded (damaged, or a codec we cannot read).")
        fps = capture.get(cv2.CAP_PROP_FPS) or 0.0
        frames = capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0
        fourcc = int(capture.get(cv2.CAP_PROP_FOURCC) or 0)
        codec = "".join(chr((fourcc >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00 ") or None
        height, width = frame.shape[:2]
    finally:
        capture.release()
    duration = frames / fps if fps > 0 and frames > 0 else None
    return Inspection(kind=Kind.VIDEO, extension=extension, mime=mime, width=width, height=height,
                      duration_seconds=round(duration, 3) if duration else None, codec=codec)


def poster_frame(path: Path) -> np.ndarray:
    """An RGB frame for a video's poster: at 10% of the video (at most 5 s in), else the first.
    Raises InvalidUpload when no frame can be read."""
    capture = cv2.VideoCapture(str(path))
    try:
        frames = capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0
        fps = capture.get(cv2.CAP_PROP_FPS) or 0
        if frames > 1 and fps > 0:
            capture.set(cv2.CAP_PROP_POS_FRAMES, int(min(frames * 0.1, fps * 5)))
        ok, frame = capture.read()
        if not ok or frame is None:
            capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = capture.read()
    finally:
        capture.release()
    if not ok or frame is None:
        raise InvalidUpload(path.name, "no frame of the video could be read.")
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


def _inspect_audio(path: Path, *, filename: str, extension: str, mime: str) -> Inspection:
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError:
        audio = None
    if audio is None or getattr(audio, "info", None) is None:
        raise InvalidUpload(filename, "the audio cannot be read (damaged, or not really audio).")
    length = getattr(audio.info, "length", None)
    codec = getattr(audio.info, "codec", None) or type(audio).__name__
    return Inspection(kind=Kind.AUDIO, extension=extension, mime=mime,
                      duration_seconds=round(float(length), 3) if length else None, codec=str(codec))


# --- EXIF ------------------------------------------------------------------------------------

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        value = value.strip("\x00 ").strip()
        return value[:120] or None
    return None


def _number(value: object) -> float | None:
    try:
        number = float(value)  # IFDRational and ints convert
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _taken_at(stamp: object, offset: object) -> datetime | None:
    text = _text(stamp)
    if not text:
        return None
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset_text = _text(offset)
    if offset_text and len(offset_text) == 6 and offset_text[0] in "+-":
        try:
            hours, minutes = int(offset_text[1:3]), int(offset_text[4:6])
            delta = timedelta(hours=hours, minutes=minutes)
            return moment.replace(tzinfo=timezone(delta if offset_text[0] == "+" else -delta))
        except ValueError:
            pass
    return moment  # naive: the camera's local time, zone unknown


def _degrees(values: object, reference: object) -> float | None:
    if not isinstance(values, tuple | list) or len(values) != 3:
        return None
    parts = [_number(v) for v in values]
    if any(p is None for p in parts):
        return None
    degrees = parts[0] + parts[1] / 60 + parts[2] / 3600  # type: ignore[operator]
    if _text(reference) in ("S", "W"):
        degrees = -degrees
    return round(degrees, 7)


def read_exif(image: Image.Image) -> dict[str, object]:
    """The metadata we show and sort by, from an opened image (missing fields are left out)."""
    try:
        exif = image.getexif()
        details = exif.get_ifd(_EXIF_IFD)
        gps = exif.get_ifd(_GPS_IFD)
    except (AttributeError, OSError, ValueError, SyntaxError):
        return {}
    found: dict[str, object] = {
        "camera_make": _text(exif.get(0x010F)),
        "camera_model": _text(exif.get(0x0110)),
        "lens": _text(details.get(0xA434)),
        "exposure_time": _number(details.get(0x829A)),
        "f_number": _number(details.get(0x829D)),
        "iso": _number(details.get(0x8827)),
        "focal_length": _number(details.get(0x920A)),
        "orientation": exif.get(0x0112) if exif.get(0x0112) in range(1, 9) else None,
        "taken_at": _taken_at(details.get(0x9003) or exif.get(0x0132), details.get(0x9011)),
    }
    latitude, longitude = _degrees(gps.get(2), gps.get(1)), _degrees(gps.get(4), gps.get(3))
    if latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180:
        found["latitude"], found["longitude"] = latitude, longitude
    return {key: value for key, value in found.items() if value is not None}
