"""Every Studio op does what its slider promises, and the preview equals the saved render."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from bench.photos import faded_print, synthetic_photo
from mediashare.imaging.ops import dump_ops, parse_ops
from mediashare.imaging.pipeline import (
    PreviewRenderer,
    encode_jpeg,
    load_oriented,
    oriented_size,
    output_size,
    render,
)
from mediashare.imaging.presets import PRESETS
from tests.media_files import jpeg_bytes


def _ops(*raw: dict) -> tuple:
    return parse_ops(list(raw))


@functools.cache
def _generated(width: int, height: int, seed: int) -> np.ndarray:
    return np.asarray(synthetic_photo(width, height, seed))


def _photo(width: int = 640, height: int = 480, seed: int = 3) -> np.ndarray:
    """A writable photo-like picture of any size (the generator needs at least 800 × 600)."""
    photo = _generated(max(width, 800), max(height, 600), seed).copy()
    return photo if photo.shape[:2] == (height, width) else cv2.resize(photo, (width, height),
                                                                       interpolation=cv2.INTER_AREA)


def _faded(image: np.ndarray) -> np.ndarray:
    """An old print: low contrast, lifted blacks, a yellow cast."""
    return cv2.convertScaleAbs(image, alpha=0.45, beta=0) + np.array([95, 85, 60], np.uint8)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    diff = a.astype(np.float64) - b
    return float(10 * np.log10(255.0**2 / max(np.mean(diff * diff), 1e-12)))


def _local_std(image: np.ndarray, size: int = 15) -> float:
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    mean = cv2.blur(gray, (size, size))
    return float(np.mean(np.sqrt(np.maximum(cv2.blur(gray * gray, (size, size)) - mean * mean, 0))))


# Tone and colour -----------------------------------------------------------------------------------


def test_auto_levels_spans_the_full_range_on_a_low_contrast_image() -> None:
    faded = _faded(_photo())
    assert all(np.ptp(faded[..., channel]) < 120 for channel in range(3))
    out = render(faded, _ops({"op": "auto_levels", "low": 0.5, "high": 99.5}))
    for channel in range(3):
        assert np.percentile(out[..., channel], 0.5) <= 2
        assert np.percentile(out[..., channel], 99.5) >= 253


def test_negative_brightness_darkens_instead_of_taking_an_absolute_value() -> None:
    grey = np.full((4, 4, 3), 100, np.uint8)
    assert render(grey, _ops({"op": "brightness", "value": -50}))[0, 0, 0] == 36  # 100 − 50 × 1.28
    assert render(grey, _ops({"op": "brightness", "value": -100}))[0, 0, 0] == 0


@pytest.mark.parametrize(("raw", "brighter"), [
    ({"op": "exposure", "stops": 1}, True), ({"op": "exposure", "stops": -1}, False),
    ({"op": "gamma", "value": 2}, True), ({"op": "gamma", "value": 0.5}, False),
    ({"op": "brightness", "value": 20}, True),
])
def test_light_sliders_move_mid_tones_the_promised_way(raw: dict, brighter: bool) -> None:
    grey = np.full((4, 4, 3), 100, np.uint8)
    value = int(render(grey, _ops(raw))[0, 0, 0])
    assert (value > 110) if brighter else (value < 90)


def test_contrast_spreads_tones_around_mid_grey() -> None:
    ramp = np.repeat(np.arange(64, 192, dtype=np.uint8)[None, :, None], 3, axis=2)
    assert np.ptp(render(ramp, _ops({"op": "contrast", "value": 50}))) > 1.8 * np.ptp(ramp)
    assert np.ptp(render(ramp, _ops({"op": "contrast", "value": -50}))) < 0.6 * np.ptp(ramp)


def test_chained_tone_ops_equal_applying_them_one_by_one() -> None:
    photo = _photo()
    chain = [{"op": "brightness", "value": -20}, {"op": "contrast", "value": 30}, {"op": "gamma", "value": 1.4},
             {"op": "auto_levels", "low": 1, "high": 99}, {"op": "warmth", "value": 30},
             {"op": "exposure", "stops": 0.3}]
    one_by_one = photo
    for raw in chain:
        one_by_one = render(one_by_one, _ops(raw))
    merged = render(photo, _ops(*chain))
    difference = np.abs(merged.astype(int) - one_by_one)  # one lookup table rounds once, not six times
    assert difference.mean() < 1 and difference.max() <= 6


def test_saturation_warmth_white_balance_and_toning() -> None:
    photo = _photo()
    grey = render(photo, _ops({"op": "saturation", "value": -100}))
    assert np.abs(grey.astype(int) - grey[..., [1]]).max() <= 1
    boosted = render(photo, _ops({"op": "saturation", "value": 60}))
    assert np.std(boosted.astype(int) - boosted.mean(axis=2, keepdims=True)) > 1.3 * np.std(
        photo.astype(int) - photo.mean(axis=2, keepdims=True))
    warm = render(photo, _ops({"op": "warmth", "value": 60})).reshape(-1, 3).mean(axis=0)
    assert warm[0] > photo[..., 0].mean() + 5 and warm[2] < photo[..., 2].mean() - 5
    cast = _faded(photo)
    balanced = render(cast, _ops({"op": "auto_white_balance"})).reshape(-1, 3).mean(axis=0)
    assert np.ptp(cast.reshape(-1, 3).mean(axis=0)) > 20 and np.ptp(balanced) < 2
    bw = render(photo, _ops({"op": "tone", "mode": "grayscale"}))
    assert (bw[..., 0] == bw[..., 1]).all() and (bw[..., 1] == bw[..., 2]).all()
    sepia = render(photo, _ops({"op": "tone", "mode": "sepia"})).astype(int)
    assert (sepia[..., 0] >= sepia[..., 1]).all() and (sepia[..., 1] >= sepia[..., 2]).all()
    assert sepia[..., 0].mean() > sepia[..., 2].mean() + 10


def test_revive_brings_back_range_and_colour_in_a_faded_print() -> None:
    faded = _faded(_photo())
    revived = render(faded, _ops({"op": "revive", "strength": 1}))
    assert np.ptp(revived[..., 1]) > 1.5 * np.ptp(faded[..., 1])
    spread = lambda image: np.std(image.astype(int) - image.mean(axis=2, keepdims=True))  # noqa: E731
    assert spread(revived) > 1.3 * spread(faded)


# Restoration ---------------------------------------------------------------------------------------


def test_clahe_raises_local_contrast_on_a_washed_out_image() -> None:
    washed = _faded(_photo())
    out = render(washed, _ops({"op": "clahe", "clip_limit": 3, "tile_size": 8}))
    assert _local_std(out) > 1.4 * _local_std(washed)


def test_bilateral_lowers_noise_and_keeps_a_step_edge() -> None:
    rng = np.random.default_rng(1)
    clean = np.full((200, 200, 3), 60, np.uint8)
    clean[:, 100:] = 190
    noisy = np.clip(clean + rng.normal(0, 8, clean.shape), 0, 255).astype(np.uint8)
    out = render(noisy, _ops({"op": "bilateral", "diameter": 9, "sigma_color": 40, "sigma_space": 5})).astype(float)
    assert out[:, 10:80].std() < 0.5 * noisy[:, 10:80].std()
    assert out[:, 120:190].std() < 0.5 * noisy[:, 120:190].std()
    assert out[:, 100].mean() - out[:, 99].mean() > 0.9 * 130  # still a one-pixel step


def test_denoise_lowers_noise() -> None:
    rng = np.random.default_rng(2)
    clean = cv2.GaussianBlur(_photo(320, 240), (0, 0), 3)
    noisy = np.clip(clean + rng.normal(0, 10, clean.shape), 0, 255).astype(np.uint8)
    out = render(noisy, _ops({"op": "denoise", "strength": 10}))
    assert _psnr(out, clean) > _psnr(noisy, clean) + 4


def _grainy_scan_preview() -> tuple[np.ndarray, np.ndarray]:
    """(clean, grainy) working copies (1200 × 900) of a 4000 × 3000 scan: grain a few pixels across
    at full size, area-averaged down, as the studio's working copy has it."""
    rng = np.random.default_rng(4)
    clean = cv2.resize(_photo(1000, 750, seed=3), (4000, 3000), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (3000, 4000)).astype(np.float32), (0, 0), 1.2)
    noisy = clean + (grain / grain.std() * 10)[..., None] + rng.normal(0, 4, clean.shape).astype(np.float32)
    down = functools.partial(cv2.resize, dsize=(1200, 900), interpolation=cv2.INTER_AREA)
    return down(np.clip(clean, 0, 255).astype(np.uint8)), down(np.clip(noisy, 0, 255).astype(np.uint8))


def test_the_denoise_preset_visibly_lowers_grain_in_the_preview() -> None:
    clean, grainy = _grainy_scan_preview()
    preview = PreviewRenderer(grainy, 0.3).render(PRESETS["denoise"].parsed)

    def noise(image: np.ndarray) -> float:  # what is left after taking the clean picture away
        return float((image.astype(np.float32) - clean).std())

    assert noise(preview) < 0.75 * noise(grainy), (noise(preview), noise(grainy))
    assert _psnr(preview, clean) > _psnr(grainy, clean) + 2


def test_sharpen_raises_edge_contrast() -> None:
    soft = cv2.GaussianBlur(_photo(), (0, 0), 2)
    assert _local_std(render(soft, _ops({"op": "sharpen", "amount": 1.5, "radius": 2}))) > 1.2 * _local_std(soft)


def test_inpaint_removes_a_painted_scratch() -> None:
    clean = cv2.GaussianBlur(_photo(), (0, 0), 4)
    scratched = clean.copy()
    cv2.line(scratched, (40, 60), (600, 400), (255, 255, 255), 3)
    scratch = cv2.line(np.zeros(clean.shape[:2], np.uint8), (40, 60), (600, 400), 255, 3) > 0
    stroke = {"points": [[40, 60], [320, 230], [600, 400]], "radius": 4}
    out = render(scratched, _ops({"op": "inpaint", "strokes": [stroke]}))
    before = np.abs(scratched.astype(int) - clean)[scratch].mean()
    after = np.abs(out.astype(int) - clean)[scratch].mean()
    assert before > 60 and after < 8


# Geometry ------------------------------------------------------------------------------------------


def test_rotate_and_flip_are_exact() -> None:
    photo = _photo(64, 48)
    assert np.array_equal(render(photo, _ops({"op": "rotate", "quarter_turns": 1})), np.rot90(photo, -1))
    assert np.array_equal(render(photo, _ops({"op": "rotate", "quarter_turns": 2})), photo[::-1, ::-1])
    assert np.array_equal(render(photo, _ops({"op": "rotate", "quarter_turns": 3})), np.rot90(photo, 1))
    assert np.array_equal(render(photo, _ops({"op": "flip", "axis": "horizontal"})), photo[:, ::-1])
    assert np.array_equal(render(photo, _ops({"op": "flip", "axis": "vertical"})), photo[::-1])


def test_a_crop_after_a_turn_is_in_the_turned_picture_s_coordinates() -> None:
    photo = _photo(64, 48)
    ops = _ops({"op": "rotate", "quarter_turns": 1}, {"op": "crop", "x": 5, "y": 10, "w": 20, "h": 30})
    assert np.array_equal(render(photo, ops), np.rot90(photo, -1)[10:40, 5:25])
    assert output_size((64, 48), ops) == (20, 30)
    clamped = _ops({"op": "crop", "x": 50, "y": 40, "w": 100, "h": 100})
    assert render(photo, clamped).shape == (8, 14, 3) and output_size((64, 48), clamped) == (14, 8)
    with pytest.raises(ValueError, match="outside the picture"):
        render(photo, _ops({"op": "crop", "x": 64, "y": 0, "w": 10, "h": 10}))


def test_crop_returns_exactly_the_requested_box_of_an_exif_rotated_photo(tmp_path: Path) -> None:
    path = tmp_path / "portrait.jpg"
    path.write_bytes(jpeg_bytes(640, 480, orientation=6))  # stored landscape, shown portrait
    with Image.open(path) as image:
        upright = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))
    assert upright.shape == (640, 480, 3) and oriented_size(path) == (480, 640)
    loaded = load_oriented(path)
    assert np.array_equal(loaded, upright)
    crop = _ops({"op": "crop", "x": 50, "y": 100, "w": 200, "h": 300})
    assert np.array_equal(render(loaded, crop), upright[100:400, 50:250])
    # The preview of a half-size working copy shows the same box.
    working = load_oriented(path, max_side=320)
    assert working.shape == (320, 240, 3)
    preview = render(working, crop, scale=0.5)
    assert preview.shape == (150, 100, 3)
    expected = cv2.resize(upright[100:400, 50:250], (100, 150), interpolation=cv2.INTER_AREA)
    assert _psnr(preview, expected) > 30


@pytest.mark.parametrize("scale", [1.0, 0.25])
@pytest.mark.parametrize("angle", [-30.0, 4.5, 45.0])
def test_straighten_leaves_no_empty_corners(angle: float, scale: float) -> None:
    # Grey picture with a one-pixel red frame: anything sampled outside the picture would be
    # red (edge pixels are replicated), so red in the result means an empty corner leaked in.
    full = np.full((600, 800, 3), 128, np.uint8)
    full[[0, -1], :] = full[:, [0, -1]] = (255, 0, 0)
    working = full if scale == 1 else cv2.resize(full[1:-1, 1:-1], (200, 150), interpolation=cv2.INTER_AREA)
    out = render(working, _ops({"op": "straighten", "angle": angle}), scale=scale).astype(int)
    assert np.abs(out - 128).max() <= 1
    width, height = output_size((800, 600), _ops({"op": "straighten", "angle": angle}))
    assert abs(width / height - 800 / 600) < 0.01
    assert out.shape[:2] == (round(height * scale), round(width * scale))


def test_straighten_turns_clockwise_for_a_positive_angle() -> None:
    image = np.zeros((400, 400, 3), np.uint8)
    image[195:205, :] = 255  # a horizontal bar
    out = render(image, _ops({"op": "straighten", "angle": 20}))
    rows = np.nonzero(out[..., 0] > 128)[0]
    cols = np.nonzero(out[..., 0] > 128)[1]
    assert np.corrcoef(cols, rows)[0, 1] > 0.9  # going right, the bar goes down (y grows downwards)


# The pipeline as a whole ---------------------------------------------------------------------------


def test_output_size_matches_the_full_resolution_render() -> None:
    photo = _photo(400, 300)
    ops = _ops({"op": "rotate", "quarter_turns": 1}, {"op": "straighten", "angle": 7},
               {"op": "crop", "x": 20, "y": 30, "w": 150, "h": 200}, {"op": "flip", "axis": "horizontal"},
               {"op": "straighten", "angle": -3})
    height, width = render(photo, ops).shape[:2]
    assert output_size((400, 300), ops) == (width, height)


def test_every_preset_renders_a_visible_change_at_the_same_size() -> None:
    noise = np.zeros((360, 480, 3), np.int8)
    cv2.randn(noise, 0, 8)
    faded = _faded(cv2.add(_photo(480, 360), noise, dtype=cv2.CV_8U))
    for preset in PRESETS.values():
        out = render(faded, preset.parsed)
        assert out.shape == faded.shape
        assert np.abs(out.astype(int) - faded).mean() > 2, preset.label
    assert np.array_equal(render(faded, PRESETS["denoise"].ops), render(faded, PRESETS["denoise"].parsed))


def test_preview_renderer_matches_render_through_a_session_of_edits() -> None:
    working = _photo(600, 450)
    renderer = PreviewRenderer(working, 0.5)
    base = list(dump_ops(PRESETS["restore_old_photo"].parsed))
    edits = [
        base,
        [*base, {"op": "brightness", "value": 10}],
        [*base, {"op": "brightness", "value": 25}],
        [{"op": "crop", "x": 100, "y": 80, "w": 900, "h": 700}, *base, {"op": "brightness", "value": 25}],
        [*base, {"op": "brightness", "value": 25}],
        [*base[:2], {"op": "bilateral", "diameter": 9, "sigma_color": 50, "sigma_space": 6}, *base[3:],
         {"op": "gamma", "value": 1.3}],
        [],
    ]
    for raw in edits:
        ops = parse_ops(raw)
        assert np.array_equal(renderer.render(ops), render(working, ops, scale=0.5)), raw
    assert working.flags.writeable


def test_encode_jpeg_makes_a_jpeg_of_the_same_picture() -> None:
    photo = _photo()
    data = encode_jpeg(photo, quality=80)
    assert data[:2] == b"\xff\xd8"
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert decoded.shape == photo.shape and _psnr(decoded, photo) > 28  # colours not swapped


# Preview and saved render agree --------------------------------------------------------------------


@pytest.fixture(scope="module")
def old_photo_12mp() -> np.ndarray:
    """A 12 MP faded print with film grain."""
    return faded_print(4000, 3000, seed=5)


@pytest.mark.parametrize("name", ["restore_old_photo", "denoise", "crop_straighten_tone"])
def test_the_full_resolution_render_downscaled_matches_the_preview(old_photo_12mp: np.ndarray, name: str) -> None:
    ops = PRESETS[name].parsed if name in PRESETS else _ops(
        {"op": "crop", "x": 311, "y": 207, "w": 3100, "h": 2333}, {"op": "straighten", "angle": 3.7},
        {"op": "auto_levels", "low": 1, "high": 99}, {"op": "brightness", "value": 12},
        {"op": "contrast", "value": 20}, {"op": "gamma", "value": 1.2}, {"op": "saturation", "value": 30},
        {"op": "warmth", "value": 25})
    working = cv2.resize(old_photo_12mp, (1200, 900), interpolation=cv2.INTER_AREA)
    preview = PreviewRenderer(working, 0.3).render(ops)
    full = render(old_photo_12mp, ops)
    assert (full.shape[1], full.shape[0]) == output_size((4000, 3000), ops)
    downscaled = cv2.resize(full, (preview.shape[1], preview.shape[0]), interpolation=cv2.INTER_AREA)
    assert _psnr(downscaled, preview) >= 35
    assert _psnr(working, preview) < 30 if name == "restore_old_photo" else True  # the edit is visible


def test_views_are_rendered_and_bad_input_is_refused() -> None:
    photo = _photo(64, 48)
    turned = np.rot90(photo)  # a non-contiguous view, as numpy hands out
    ops = _ops({"op": "clahe", "clip_limit": 2, "tile_size": 4}, {"op": "brightness", "value": 5})
    assert np.array_equal(render(turned, ops), render(np.ascontiguousarray(turned), ops))
    with pytest.raises(ValueError, match="RGB uint8"):
        render(photo[..., 0], ops)
    with pytest.raises(ValueError, match="Edit 1"):
        render(photo, [{"op": "brightness", "value": 500}])


def test_load_oriented_shrinks_any_format_to_the_requested_long_side(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.fromarray(_photo(900, 600)).save(path)
    assert load_oriented(path, max_side=300).shape == (200, 300, 3)
    assert load_oriented(path, max_side=2000).shape == (600, 900, 3)  # never enlarged
    assert oriented_size(path) == (900, 600)


def test_load_oriented_opens_heic_originals(tmp_path: Path) -> None:
    path = tmp_path / "phone.heic"
    Image.fromarray(_photo(400, 300)).save(path, "HEIF")
    assert load_oriented(path, max_side=200).shape == (150, 200, 3)


def test_a_tone_change_reuses_the_cached_restoration_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    from mediashare.imaging import pipeline
    from mediashare.imaging.ops import Bilateral, Brightness

    calls = []
    original = pipeline._SPATIAL[Bilateral]
    monkeypatch.setitem(pipeline._SPATIAL, Bilateral, lambda frame, op: calls.append(op) or original(frame, op))
    renderer = PreviewRenderer(_photo(600, 450), 0.5)
    restore = PRESETS["restore_old_photo"].parsed
    renderer.render(restore)
    for value in (5.0, 10.0, 15.0):
        renderer.render((*restore, Brightness(value=value)))
    assert len(calls) == 1
    renderer.render((*restore[:-1], Brightness(value=5.0), restore[-1]))  # before the sharpen: re-sharpen only
    assert len(calls) == 1
