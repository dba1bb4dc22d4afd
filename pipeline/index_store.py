"""The persistent cross-run index of documents: LSH band hashes and ids, nothing more.

A later run must deduplicate its documents against everything seen before, but memory
must stay bounded at any corpus size, so the index holds neither texts nor signatures:
per document its key, the run that first saw it, the id of its canonical, and its band
hashes (as datasketch's own LSH keeps them, to know what to remove); per band hash the
keys in that bucket. Agreement of band hashes gives an *estimate* of the Jaccard with a
document of an earlier run (`estimate_jaccard`), which is all that can be verified
without the earlier text.

Two backends share one layout: SQLite under the output folder (embedded, no server) and
Redis (`index_redis.py`, shared between machines). Buckets are capped at `max_bucket`
keys; inserts that a cap refused are counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

DEFAULT_DIR = ".crossdoc-index"
DEFAULT_FILE = "index.sqlite"


class IndexStoreError(OSError):
    """The index cannot be opened, or was built with other LSH settings."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index remembers of one document."""

    key: str
    seq: int
    """The run (1, 2, ...) that first saw this document."""
    canonical: str
    """The output id of the canonical article of its cluster when it was first seen."""
    bands: tuple[int, ...]


class IndexStore(Protocol):
    """One layout, two backends. `settings` fixes the banding the hashes were made with."""

    def describe(self) -> str: ...

    def check_settings(self, settings: str) -> None: ...

    def begin_run(self) -> int: ...

    def entries(self, keys: Sequence[str]) -> dict[str, Entry]: ...

    def query(self, bands: Sequence[Sequence[int]]) -> list[set[str]]: ...

    def add(self, entries: Sequence[Entry]) -> int: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


def estimate_jaccard(a: Sequence[int], b: Sequence[int], rows: int) -> float:
    """A band agrees with probability s**rows, so s ≈ (agreeing share) ** (1/rows)."""
    if not a or len(a) != len(b):
        return 0.0
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    return float((agree / len(a)) ** (1.0 / rows))


def open_index(spec: str, out: Path, max_bucket: int) -> IndexStore | None:
    """`spec` from config: "" (local default), "off", a path, or a redis:// URL."""
    if spec == "off":
        return None
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from pipeline.index_redis import RedisIndex

        return RedisIndex(spec, max_bucket)
    if "://" in spec:
        raise IndexStoreError(f"unsupported index URL {urlparse(spec).scheme}://")
    if spec:
        return SqliteIndex(Path(spec), max_bucket)
    # named relative to the output folder, so manifests of equal runs are equal
    return SqliteIndex(
        out / DEFAULT_DIR / DEFAULT_FILE, max_bucket, f"{DEFAULT_DIR}/{DEFAULT_FILE}"
    )


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit; band hashes are unsigned."""
    return value - (1 << 64) if value >= 1 << 63 else value


def pack_bands(bands: Sequence[int]) -> bytes:
    return b"".join(int(b).to_bytes(8, "little") for b in bands)


def unpack_bands(blob: bytes) -> tuple[int, ...]:
    return tuple(int.from_bytes(blob[i : i + 8], "little") for i in range(0, len(blob), 8))


class SqliteIndex:
    """The embedded backend: one SQLite file, WAL journal, one transaction per write."""

    def __init__(self, path: Path, max_bucket: int, label: str | None = None) -> None:
        self.path = path
        self.label = label or str(path)
        self.max_bucket = max_bucket
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS docs (
                    key TEXT PRIMARY KEY, seq INTEGER NOT NULL,
                    canonical TEXT NOT NULL, bands BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS buckets (
                    band INTEGER NOT NULL, hash INTEGER NOT NULL, key TEXT NOT NULL,
                    PRIMARY KEY (band, hash, key)) WITHOUT ROWID;
                """
            )
        except (OSError, sqlite3.Error) as exc:
            raise IndexStoreError(f"cannot open index {path}: {exc}") from exc

    def describe(self) -> str:
        return f"sqlite:{self.label}"

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def check_settings(self, settings: str) -> None:
        stored = self._meta("settings")
        if stored is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('settings', ?)", (settings,))
        elif stored != settings:
            raise IndexStoreError(
                f"index {self.path} was built with other settings ({stored}); "
                "use --reset-index to start over"
            )

    def begin_run(self) -> int:
        seq = int(self._meta("runs") or 0) + 1
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('runs', ?)", (str(seq),))
        return seq

    def entries(self, keys: Sequence[str]) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        for key in keys:
            row = self.db.execute(
                "SELECT seq, canonical, bands FROM docs WHERE key = ?", (key,)
            ).fetchone()
            if row is not None:
                found[key] = Entry(key, int(row[0]), str(row[1]), unpack_bands(row[2]))
        return found

    def query(self, bands: Sequence[Sequence[int]]) -> list[set[str]]:
        out: list[set[str]] = []
        for doc in bands:
            keys: set[str] = set()
            for band, value in enumerate(doc):
                rows = self.db.execute(
                    "SELECT key FROM buckets WHERE band = ? AND hash = ? LIMIT ?",
                    (band, _signed(value), self.max_bucket),
                )
                keys.update(str(r[0]) for r in rows)
            out.append(keys)
        return out

    def add(self, entries: Sequence[Entry]) -> int:
        refused = 0
        # bucket sizes counted once per bucket and then kept up to date here: copies of
        # one story share their buckets, and a COUNT per insert was quadratic in them
        sizes: dict[tuple[int, int], int] = {}
        with self.db:
            for entry in entries:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO docs VALUES (?, ?, ?, ?)",
                    (entry.key, entry.seq, entry.canonical, pack_bands(entry.bands)),
                )
                if cur.rowcount == 0:
                    continue
                for band, value in enumerate(entry.bands):
                    bucket = (band, _signed(value))
                    size = sizes.get(bucket)
                    if size is None:
                        size = self.db.execute(
                            "SELECT COUNT(*) FROM buckets WHERE band = ? AND hash = ?", bucket
                        ).fetchone()[0]
                    if size >= self.max_bucket:
                        sizes[bucket] = size
                        refused += 1
                        continue
                    cur = self.db.execute(
                        "INSERT OR IGNORE INTO buckets VALUES (?, ?, ?)", (*bucket, entry.key)
                    )
                    sizes[bucket] = size + cur.rowcount
        return refused

    def reset(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM buckets")
            self.db.execute("DELETE FROM docs")
            self.db.execute("DELETE FROM meta")

    def close(self) -> None:
        self.db.close()


__all__ = [
    "Entry",
    "IndexStore",
    "IndexStoreError",
    "SqliteIndex",
    "estimate_jaccard",
    "open_index",
    "pack_bands",
    "unpack_bands",
]
