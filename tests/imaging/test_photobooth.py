"""The photo-booth quad: size, placement, border and strip."""

from __future__ import annotations

import numpy as np
import pytest

from mediashare.imaging import photobooth


def _frames(width: int = 64, height: int = 48) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(4)]


def test_quad_is_twice_the_frame_and_each_quadrant_is_its_frame() -> None:
    frames = _frames()
    out = photobooth.quad(frames)
    assert out.shape == (96, 128, 3)
    for index, frame in enumerate(frames):
        assert np.array_equal(photobooth.quadrant(out, index, frame_size=(64, 48)), frame)


def test_borders_surround_and_separate_the_frames_in_their_color() -> None:
    frames = _frames()
    out = photobooth.quad(frames, border=5, color=(200, 10, 30))
    assert out.shape == (2 * 48 + 15, 2 * 64 + 15, 3)
    for index, frame in enumerate(frames):
        assert np.array_equal(photobooth.quadrant(out, index, frame_size=(64, 48), border=5), frame)
    assert (out[:5] == (200, 10, 30)).all() and (out[:, 69:74] == (200, 10, 30)).all()
    assert (out[-5:] == (200, 10, 30)).all()


def test_a_caption_adds_a_strip_with_text_below_the_grid() -> None:
    frames = _frames()
    out = photobooth.quad(frames, border=4, caption="Party", date="2026-11-21")
    strip = photobooth.strip_height(48)
    assert out.shape == (2 * 48 + 12 + strip, 2 * 64 + 12, 3)
    assert np.array_equal(photobooth.quadrant(out, 3, frame_size=(64, 48), border=4), frames[3])
    below = out[2 * 48 + 12:]
    assert (below != 255).any(), "the strip shows text"
    assert (below == 255).mean() > 0.5, "on the border color"


@pytest.mark.parametrize("frames", [_frames()[:3], [*_frames()[:3], np.zeros((48, 60, 3), np.uint8)]])
def test_three_shots_or_mixed_sizes_are_refused(frames: list[np.ndarray]) -> None:
    with pytest.raises(ValueError):
        photobooth.quad(frames)


def test_a_border_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="border"):
        photobooth.quad(_frames(), border=-1)
