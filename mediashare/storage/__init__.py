"""Where media bytes live. This package owns every path: callers hold keys, never file names."""

from mediashare.storage.local import LocalStorage, StorageError

__all__ = ["LocalStorage", "StorageError"]
