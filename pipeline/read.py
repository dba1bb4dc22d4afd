"""Turn command-line inputs into raw documents, accounting for every one of them.

Inputs are files, folders (walked recursively, in sorted order so runs are reproducible)
and glob patterns. Anything that is not a regular file, cannot be read, or is a broken
or oversized gzip becomes a `Quarantine` with the reason instead of an exception.
"""

from __future__ import annotations

import glob
import os
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import ReadConfig
from pipeline.model import Quarantine, RawDocument

GZIP_MAGIC = b"\x1f\x8b"


class InputError(ValueError):
    """A command-line input that names nothing at all (bad argument, not bad data)."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """A path found from the inputs; `source` is how the user would recognise it."""

    source: str
    path: Path


def expand_inputs(inputs: Sequence[str]) -> Iterator[InputFile | Quarantine]:
    """Yield every file under the inputs once, in a stable order.

    Symlinked folders are not followed (no loops); symlinks to files are read. Special
    files (FIFOs, sockets, devices) are reported, never opened: opening a FIFO blocks.
    """
    seen: set[str] = set()
    for given in inputs:
        matches = _match(given)
        if not matches:
            raise InputError(f"input not found: {given}")
        for match in matches:
            for item in _walk(match):
                key = item.source
                if key in seen:
                    continue
                seen.add(key)
                yield item


def _match(given: str) -> list[str]:
    if os.path.lexists(given):
        return [given]
    if glob.has_magic(given):
        return sorted(glob.glob(given, recursive=True))
    return []


def _walk(path_str: str) -> Iterator[InputFile | Quarantine]:
    path = Path(path_str)
    try:
        st = path.lstat()
    except OSError as exc:
        yield Quarantine(path_str, f"cannot stat: {exc.strerror}", "read")
        return
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.stat()
        except OSError:
            yield Quarantine(path_str, "broken or looping symbolic link", "read")
            return
        if stat.S_ISDIR(target.st_mode):
            yield Quarantine(path_str, "symbolic link to a folder: not followed", "read")
            return
        st = target
    if stat.S_ISDIR(st.st_mode):
        try:
            children = sorted(os.listdir(path))
        except OSError as exc:
            yield Quarantine(path_str, f"cannot list folder: {exc.strerror}", "read")
            return
        for child in children:
            yield from _walk(os.path.join(path_str, child))
        return
    if not stat.S_ISREG(st.st_mode):
        yield Quarantine(path_str, f"not a regular file ({_kind(st.st_mode)})", "read")
        return
    yield InputFile(path_str, path)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def iter_documents(
    item: InputFile | Quarantine, config: ReadConfig
) -> Iterator[RawDocument | Quarantine]:
    """Every document held by one input: one for a page, many for an archive.

    Container formats plug in here; a plain (or gzipped) page yields exactly one item.
    """
    if isinstance(item, Quarantine):
        yield item
        return
    yield read_file(item, config)


def read_file(item: InputFile, config: ReadConfig) -> RawDocument | Quarantine:
    """Read one file, transparently decompressing gzip (sniffed by magic bytes)."""
    try:
        size = item.path.stat().st_size
        if size > config.max_bytes:
            return Quarantine(
                item.source,
                f"file too large: {size} bytes > read.max_bytes={config.max_bytes}",
                "read",
            )
        with open(item.path, "rb") as fh:
            data = fh.read(config.max_bytes + 1)
    except OSError as exc:
        return Quarantine(item.source, f"cannot read: {exc.strerror}", "read")
    return decode_container(item.source, data, config)


def decode_container(source: str, data: bytes, config: ReadConfig) -> RawDocument | Quarantine:
    """Undo gzip layers (nested gzip too) within the size caps."""
    layers = 0
    while data[:2] == GZIP_MAGIC:
        layers += 1
        if layers > 3:
            return Quarantine(source, "gzip nested more than 3 levels deep", "read")
        cap = min(config.max_bytes, max(len(data) * config.max_gzip_ratio, 1_000_000))
        result = gunzip_capped(data, cap)
        if isinstance(result, str):
            return Quarantine(source, result, "read")
        data = result
    if len(data) > config.max_bytes:
        return Quarantine(
            source, f"input too large: over read.max_bytes={config.max_bytes} bytes", "read"
        )
    return RawDocument(source=source, data=data)


def gunzip_capped(data: bytes, cap: int) -> bytes | str:
    """Decompress every gzip member, stopping past `cap` bytes; a string is the error."""
    out = bytearray()
    remaining = data
    try:
        while remaining:
            decomp = zlib.decompressobj(wbits=31)
            pending = remaining
            while not decomp.eof:
                room = cap + 1 - len(out)
                chunk = decomp.decompress(pending, room)
                out += chunk
                if len(out) > cap:
                    return f"gzip expands beyond {cap} bytes (possible gzip bomb)"
                pending = decomp.unconsumed_tail
                if not pending and len(chunk) < room and not decomp.eof:
                    return "truncated gzip: the stream ends before its end marker"
            remaining = decomp.unused_data.lstrip(b"\x00")
            if remaining[:2] != GZIP_MAGIC:
                break
    except zlib.error as exc:
        return f"corrupt gzip: {exc}"
    return bytes(out)
