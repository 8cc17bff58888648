"""Live progress of long jobs, kept in Redis (the cache) so any web process can show it."""

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError


@dataclass
class Progress:
    """Rows, bytes and phase of one import; `save()` at most every `interval` seconds."""

    key: str
    total_bytes: int = 0
    phase: str = "queued"
    rows: int = 0
    rejected: int = 0
    bytes_done: int = 0
    started: float = field(default_factory=time.time)
    updated: float = 0.0
    interval: float = 0.5
    # Called on every update, e.g. to redraw a command's progress bar.
    listener: Callable[["Progress"], None] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "listener"}

    def update(self, *, force: bool = False, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        if self.listener is not None:
            self.listener(self)
        now = time.time()
        if force or now - self.updated >= self.interval:
            self.updated = now
            # Progress is a convenience: the import itself must not fail for it.
            with contextlib.suppress(RedisError):
                cache.set(self.key, self.as_dict(), timeout=24 * 3600)

    @staticmethod
    def read(key: str) -> dict[str, Any] | None:
        try:
            return cache.get(key)
        except RedisError:
            return None


def describe(progress: dict[str, Any] | None) -> dict[str, Any]:
    """Percent done, rows per second and seconds left, for the page and the command."""
    if not progress:
        return {"percent": 0, "rate": 0, "eta": None, "rows": 0, "phase": "waiting"}
    elapsed = max(time.time() - progress["started"], 1e-6)
    total, done = progress.get("total_bytes") or 0, progress.get("bytes_done") or 0
    fraction = min(done / total, 1.0) if total else 0.0
    rate = progress["rows"] / elapsed
    eta = (elapsed / fraction - elapsed) if 0 < fraction < 1 else None
    if progress["phase"] != "reading":
        fraction = 1.0 if progress["phase"] in ("done", "indexing", "activating") else fraction
    return {
        "percent": round(100 * fraction, 1),
        "rate": round(rate),
        "eta": round(eta) if eta is not None else None,
        "rows": progress["rows"],
        "rejected": progress.get("rejected", 0),
        "phase": progress["phase"],
    }
