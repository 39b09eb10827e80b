"""MediaShare: keep, restore, organize, stream and share photos and videos."""

__version__ = "0.1.0"
