"""The persistent index, opened from its config string."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pipeline.crossdoc.index.base import IndexStore
from pipeline.crossdoc.index.sqlite import SqliteIndex
from pipeline.errors import IndexStoreError

DEFAULT_DIR = ".crossdoc-index"


DEFAULT_FILE = "index.sqlite"


def open_index(spec: str, out: Path, max_bucket: int) -> IndexStore | None:
    """`spec` from config: "" (local default), "off", a path, or a redis:// URL."""
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
