"""One-click presets: each is just an ops list the user can then tweak."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mediashare.imaging.ops import (
    AutoLevels,
    AutoWhiteBalance,
    Bilateral,
    Clahe,
    Contrast,
    Denoise,
    Op,
    Revive,
    Sharpen,
    Tone,
    dump_ops,
)


@dataclass(frozen=True)
class Preset:
    """A named ops list; `.ops` is a fresh JSON list (what dump_ops returns) on every access."""

    label: str
    parsed: tuple[Op, ...]

    @property
    def ops(self) -> list[dict[str, Any]]:
        return dump_ops(self.parsed)


PRESETS: dict[str, Preset] = {
    "restore_old_photo": Preset("Restore old photo", (
        AutoLevels(low=0.5, high=99.5),
        Clahe(clip_limit=2.0, tile_size=8),
        Bilateral(diameter=5, sigma_color=30.0, sigma_space=4.0),
        Sharpen(amount=0.5, radius=1.5),
    )),
    "faded_color": Preset("Faded color", (
        AutoWhiteBalance(),
        Revive(strength=0.8),
        Contrast(value=10.0),
    )),
    "black_and_white": Preset("Black & white", (
        Tone(mode="grayscale"),
        AutoLevels(low=1.0, high=99.0),
        Contrast(value=15.0),
    )),
    "denoise": Preset("Denoise", (
        Denoise(strength=12.0),  # visibly cleaner on grainy scans, at the preview's size too
        Sharpen(amount=0.3, radius=1.0),
    )),
}
