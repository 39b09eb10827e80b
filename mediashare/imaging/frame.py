"""The picture being rendered: its pixels at the working size and its size at full resolution."""

from __future__ import annotations

import numpy as np


class Frame:
    """Pixels at the working size plus the full-resolution size they stand for; sx, sy and scale
    convert full-resolution lengths to working pixels."""

    __slots__ = ("full_h", "full_w", "pixels")

    def __init__(self, pixels: np.ndarray, full_w: int, full_h: int) -> None:
        self.pixels, self.full_w, self.full_h = pixels, full_w, full_h

    @property
    def sx(self) -> float:
        return self.pixels.shape[1] / self.full_w

    @property
    def sy(self) -> float:
        return self.pixels.shape[0] / self.full_h

    @property
    def scale(self) -> float:
        return (self.sx + self.sy) / 2
