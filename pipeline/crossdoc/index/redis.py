"""The shared backend of the persistent index: our own layout in Redis, pipelined.

datasketch's Redis storage issues one round trip per band and per key on insert (its
issue #127; `bench/dedup.py` measures it here, see docs/benchmarks.md), so the same
layout is written directly: a set per bucket, a hash per document, every call of a batch
sent in one pipeline.

Keys (prefix `newsclean:crossdoc:`): `meta` (hash: settings, runs), `d:<key>` (hash:
seq, canonical, bands), `b:<band>:<hash>` (set of document keys).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import redis

from pipeline.crossdoc.index.base import Entry, pack_bands, unpack_bands
from pipeline.errors import IndexStoreError

PREFIX = "newsclean:crossdoc:"


class RedisIndex:
    """The shared backend: `url` is a redis://, rediss:// or unix:// URL, reached at once
    (an unreachable server raises `IndexStoreError`, not the first write)."""

    def __init__(self, url: str, max_bucket: int) -> None:
        self.url = url
        self.max_bucket = max_bucket
        try:
            # ${VAR} read from the environment here only, so a password named that way
            # reaches Redis and never the manifest, the logs or a deployment's parameters
            self.db: Any = redis.Redis.from_url(os.path.expandvars(url), socket_connect_timeout=5)
            self.db.ping()
        except (redis.RedisError, ValueError) as exc:
            raise IndexStoreError(f"cannot reach index {url}: {exc}") from exc

    def describe(self) -> str:
        return self.url

    def _guard(self, exc: Exception) -> IndexStoreError:
        return IndexStoreError(f"index {self.url} failed: {exc}")

    def check_settings(self, settings: str) -> None:
        try:
            stored = self.db.hget(PREFIX + "meta", "settings")
            if stored is None:
                self.db.hset(PREFIX + "meta", "settings", settings)
            elif stored.decode() != settings:
                raise IndexStoreError(
                    f"index {self.url} was built with other settings ({stored.decode()}); "
                    "use --reset-index to start over"
                )
        except redis.RedisError as exc:
            raise self._guard(exc) from exc

    def begin_run(self) -> int:
        try:
            return int(self.db.hincrby(PREFIX + "meta", "runs", 1))
        except redis.RedisError as exc:
            raise self._guard(exc) from exc

    def entries(self, keys: Sequence[str]) -> dict[str, Entry]:
        try:
            pipe = self.db.pipeline(transaction=False)
            for key in keys:
                pipe.hmget(PREFIX + "d:" + key, "seq", "canonical", "bands")
            rows = pipe.execute()
        except redis.RedisError as exc:
            raise self._guard(exc) from exc
        found: dict[str, Entry] = {}
        for key, (seq, canonical, bands) in zip(keys, rows, strict=True):
            if seq is not None:
                found[key] = Entry(key, int(seq), canonical.decode(), unpack_bands(bands))
        return found

    def query(self, bands: Sequence[Sequence[int]]) -> list[set[str]]:
        try:
            pipe = self.db.pipeline(transaction=False)
            for doc in bands:
                for band, value in enumerate(doc):
                    pipe.smembers(f"{PREFIX}b:{band}:{value}")
            replies = pipe.execute()
        except redis.RedisError as exc:
            raise self._guard(exc) from exc
        out: list[set[str]] = []
        at = 0
        for doc in bands:
            keys: set[str] = set()
            for members in replies[at : at + len(doc)]:
                keys.update(m.decode() for m in members)
            at += len(doc)
            out.append(keys)
        return out

    def add(self, entries: Sequence[Entry]) -> int:
        if not entries:
            return 0
        try:
            pipe = self.db.pipeline(transaction=False)
            for entry in entries:
                pipe.exists(PREFIX + "d:" + entry.key)
                for band, value in enumerate(entry.bands):
                    pipe.scard(f"{PREFIX}b:{band}:{value}")
            replies = pipe.execute()
            pipe = self.db.pipeline(transaction=False)
            refused = 0
            at = 0
            # sizes as read, then kept up to date here (as the SQLite store does): entries
            # of one batch share buckets, and each must see the ones added before it
            grown: dict[str, int] = {}
            added: set[str] = set()
            for entry in entries:
                exists = replies[at]
                sizes = replies[at + 1 : at + 1 + len(entry.bands)]
                at += 1 + len(entry.bands)
                if exists or entry.key in added:
                    continue
                added.add(entry.key)
                pipe.hset(
                    PREFIX + "d:" + entry.key,
                    mapping={
                        "seq": entry.seq,
                        "canonical": entry.canonical,
                        "bands": pack_bands(entry.bands),
                    },
                )
                for band, (value, read) in enumerate(zip(entry.bands, sizes, strict=True)):
                    bucket = f"{PREFIX}b:{band}:{value}"
                    size = grown.setdefault(bucket, read)
                    if size >= self.max_bucket:
                        refused += 1
                    else:
                        pipe.sadd(bucket, entry.key)
                        grown[bucket] = size + 1
            pipe.execute()
        except redis.RedisError as exc:
            raise self._guard(exc) from exc
        return refused

    def reset(self) -> None:
        try:
            batch: list[bytes] = []
            for name in self.db.scan_iter(match=PREFIX + "*", count=1000):
                batch.append(name)
                if len(batch) >= 1000:
                    self.db.delete(*batch)
                    batch = []
            if batch:
                self.db.delete(*batch)
        except redis.RedisError as exc:
            raise self._guard(exc) from exc

    def close(self) -> None:
        self.db.close()
