"""Face detection: finds the astronaut's face, finds nothing where there is no face."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from mediashare.imaging import faces

# Eileen Collins' face in skimage's astronaut (512×512), as fractions of the picture.
HER_FACE = faces.Box(x=0.33, y=0.12, w=0.2, h=0.2)


def _overlap(a: faces.Box, b: faces.Box) -> float:
    ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    return ix * iy / min(a.w * a.h, b.w * b.h)


def test_the_astronauts_face_is_found_once() -> None:
    [box] = faces.detect(data.astronaut())
    assert _overlap(box, HER_FACE) > 0.6
    assert 0.1 < box.w < 0.35 and 0.1 < box.h < 0.35


def test_the_face_is_found_in_a_large_copy_and_in_grayscale() -> None:
    big = np.kron(data.astronaut(), np.ones((3, 3, 1), dtype=np.uint8))  # 1536 px: analysed smaller
    [box] = faces.detect(big)
    assert _overlap(box, HER_FACE) > 0.6
    [gray] = faces.detect(data.astronaut().mean(axis=2).astype(np.uint8))
    assert _overlap(gray, HER_FACE) > 0.6


@pytest.mark.parametrize("sample", ["rocket", "coffee", "hubble_deep_field"])
def test_pictures_without_faces_give_no_boxes(sample: str) -> None:
    assert faces.detect(getattr(data, sample)()) == []


def test_tiny_pictures_give_no_boxes_and_crops_stay_inside() -> None:
    assert faces.detect(np.zeros((10, 10, 3), dtype=np.uint8)) == []
    picture = data.astronaut()
    cut = faces.crop(picture, faces.Box(x=0.9, y=0.9, w=0.1, h=0.1), side=64)
    assert cut.shape[2] == 3 and max(cut.shape[:2]) <= 64 and min(cut.shape[:2]) > 0
