"""The persistent cross-run index of documents (`base`), in SQLite or Redis, opened from
its config string."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pipeline.crossdoc.index.base import Entry, IndexStore
from pipeline.crossdoc.index.sqlite import SqliteIndex
from pipeline.errors import IndexStoreError

__all__ = ["Entry", "IndexStore", "open_index"]

DEFAULT_DIR = ".crossdoc-index"
"""The default index's folder, under the output folder."""
DEFAULT_FILE = "index.sqlite"


def open_index(spec: str, out: Path, max_bucket: int) -> IndexStore | None:
    """The index `spec` names (`crossdoc.index` in the config), or None for "off".

    "" is the local default, a SQLite file under `out` (named relative to it in the
    manifest); a path is a SQLite file there; a redis://, rediss:// or unix:// URL is a
    Redis server, shared between machines. Buckets hold at most `max_bucket` keys.
    Raises `IndexStoreError` for another URL scheme or an index that cannot be opened.
    """
    if spec == "off":
        return None
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from pipeline.crossdoc.index.redis import RedisIndex

        return RedisIndex(spec, max_bucket)
    if "://" in spec:
        raise IndexStoreError(f"unsupported index URL {urlparse(spec).scheme}://")
    if spec:
        return SqliteIndex(Path(spec), max_bucket)
    # named relative to the output folder, so manifests of equal runs are equal
    return SqliteIndex(
        out / DEFAULT_DIR / DEFAULT_FILE, max_bucket, f"{DEFAULT_DIR}/{DEFAULT_FILE}"
    )
