"""Load a data file once and again only when it changes on disk.

Editors change catalogs and the facts file while the assistant runs; answers must follow
within a second, without a restart (docs/editing.md). Checking the mtime on each use is a
single stat() call, cheaper than any file watcher.
"""

import logging
import threading
from pathlib import Path
from typing import Callable, Dict, Generic, Tuple, TypeVar

T = TypeVar("T")
logger = logging.getLogger(__name__)


class FileCache(Generic[T]):
    """Maps a path to ``loader(path)``, re-running the loader when the file's mtime changes."""

    def __init__(self, loader: Callable[[Path], T]) -> None:
        self._loader = loader
        self._entries: Dict[Path, Tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> T:
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = -1
        entry = self._entries.get(path)
        if entry is not None and entry[0] == mtime:
            return entry[1]
        with self._lock:
            try:
                value = self._loader(path)
            except Exception:
                # An editor's half-saved or broken file must not take the assistant down:
                # keep answering from the last good version (make content-check names the error).
                if entry is None:
                    raise
                logger.error("could not reload %s; keeping the previous version", path.name)
                return entry[1]
            self._entries[path] = (mtime, value)
            return value
