"""The embedded backend of the persistent index: one SQLite file, no server.

The layout of `base`: a `docs` table (key, seq, canonical, packed band hashes), a
`buckets` table (band, hash, key) and `meta` (settings, runs).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline.crossdoc.index.base import Entry, pack_bands, unpack_bands
from pipeline.errors import IndexStoreError


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit; band hashes are unsigned."""
    return value - (1 << 64) if value >= 1 << 63 else value


@contextmanager
def _store_errors(path: Path, action: str) -> Iterator[None]:
    """A full disk or a corrupt file met after opening the index is an index failure
    (which the run reports and survives), not a crash."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        raise IndexStoreError(f"index {path}: cannot {action}: {exc}") from exc


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
        with _store_errors(self.path, "read its settings"):
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
        with _store_errors(self.path, "start a run"):
            seq = int(self._meta("runs") or 0) + 1
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('runs', ?)", (str(seq),))
            return seq

    def entries(self, keys: Sequence[str]) -> dict[str, Entry]:
        with _store_errors(self.path, "read entries"):
            found: dict[str, Entry] = {}
            for key in keys:
                row = self.db.execute(
                    "SELECT seq, canonical, bands FROM docs WHERE key = ?", (key,)
                ).fetchone()
                if row is not None:
                    found[key] = Entry(key, int(row[0]), str(row[1]), unpack_bands(row[2]))
            return found

    def query(self, bands: Sequence[Sequence[int]]) -> list[set[str]]:
        with _store_errors(self.path, "query buckets"):
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
        with _store_errors(self.path, "add entries"):
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
        with _store_errors(self.path, "reset it"), self.db:
            self.db.execute("DELETE FROM buckets")
            self.db.execute("DELETE FROM docs")
            self.db.execute("DELETE FROM meta")

    def close(self) -> None:
        self.db.close()
