"""Uploads are what they claim: crafted files are refused with their own message."""

from __future__ import annotations

import io
import wave
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational as Fraction

from bench.photos import synthetic_photo
from mediashare.services import inspection
from mediashare.services.inspection import InvalidUpload, Kind


def _jpeg_bytes(width: int = 640, height: int = 480, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    synthetic_photo(width, height, seed=1).save(buffer, "JPEG", quality=90, exif=exif or Image.Exif())
    return buffer.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path, name: str | None = None) -> str:
    with pytest.raises(InvalidUpload) as caught:
        inspection.inspect(path, filename=name or path.name)
    return caught.value.problem


def test_a_good_photo_passes_with_its_size_and_exif(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    details = exif.get_ifd(0x8769)
    details[0x9003], details[0x9011] = "2023:07:14 18:05:09", "+02:00"
    details[0x829A], details[0xA434] = Fraction(1, 250), "RF 24-105mm"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (Fraction(48), Fraction(51), Fraction(2964, 100))
    gps[3], gps[4] = "E", (Fraction(2), Fraction(17), Fraction(4020, 100))
    found = inspection.inspect(_write(tmp_path, "IMG_0001.JPG", _jpeg_bytes(exif=exif)), filename="IMG_0001.JPG")
    assert (found.kind, found.mime, found.width, found.height) == (Kind.IMAGE, "image/jpeg", 640, 480)
    assert found.exif["camera_make"] == "Canon" and found.exif["lens"] == "RF 24-105mm"
    assert found.exif["exposure_time"] == pytest.approx(0.004)
    taken = found.exif["taken_at"]
    assert taken.isoformat() == "2023-07-14T18:05:09+02:00" and taken.utcoffset() == timedelta(hours=2)
    assert found.exif["latitude"] == pytest.approx(48.8582, abs=1e-4)
    assert found.exif["longitude"] == pytest.approx(2.2945, abs=1e-4)


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")  # 400 MP of zeros: a few kilobytes
    assert len(buffer.getvalue()) < 200_000
    assert "400 megapixels" in _refused(_write(tmp_path, "bomb.png", buffer.getvalue()))


def test_a_jpeg_with_html_appended_is_refused(tmp_path: Path) -> None:
    data = _jpeg_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    assert "markup or script" in _refused(_write(tmp_path, "cat.jpg", data))


def test_svg_is_refused_by_name_and_by_content(tmp_path: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert _refused(_write(tmp_path, "logo.svg", svg)) == ".svg is not a supported type."
    assert "content is something else" in _refused(_write(tmp_path, "logo.jpg", svg))


def test_a_truncated_jpeg_is_refused(tmp_path: Path) -> None:
    data = _jpeg_bytes(1600, 1200)
    assert "truncated" in _refused(_write(tmp_path, "cut.jpg", data[: len(data) * 6 // 10]))


def test_a_pdf_named_jpg_is_refused(tmp_path: Path) -> None:
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    problem = _refused(_write(tmp_path, "invoice.jpg", pdf))
    assert problem == "the name says .jpg but the content is application/pdf data."


def test_empty_and_unknown_files_are_refused(tmp_path: Path) -> None:
    assert _refused(_write(tmp_path, "empty.png", b"")) == "the file is empty."
    assert "not a supported type" in _refused(_write(tmp_path, "notes.txt", b"hello"))
    assert "without an extension" in _refused(_write(tmp_path, "README", b"hello"))


def test_types_an_admin_disabled_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.jpg", _jpeg_bytes())
    with pytest.raises(InvalidUpload, match="not a supported type"):
        inspection.inspect(path, filename="a.jpg", allowed={"png": Kind.IMAGE})


def test_a_video_is_read_with_its_size_duration_and_codec(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
    for index in range(25):
        frame = np.full((240, 320, 3), index * 10, np.uint8)
        writer.write(frame)
    writer.release()
    found = inspection.inspect(path, filename="clip.mp4")
    assert (found.kind, found.width, found.height) == (Kind.VIDEO, 320, 240)
    assert found.duration_seconds == pytest.approx(2.5, abs=0.2)
    assert found.codec


def test_a_damaged_video_is_refused(tmp_path: Path) -> None:
    header = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 4000
    assert "cannot be decoded" in _refused(_write(tmp_path, "broken.mp4", header))


def test_audio_is_read_with_its_duration(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        samples = (np.sin(np.arange(8000 * 2) / 8000 * 2 * np.pi * 440) * 12000).astype("<i2")
        out.writeframes(samples.tobytes())
    found = inspection.inspect(path, filename="tone.wav")
    assert found.kind is Kind.AUDIO and found.duration_seconds == pytest.approx(2.0, abs=0.01)
