"""Turn command-line inputs into raw documents, accounting for every one of them.

Inputs are files, folders (walked recursively, in sorted order so runs are reproducible)
and glob patterns. Anything that is not a regular file, cannot be read, or is a broken
or oversized gzip becomes a `Quarantine` with the reason instead of an exception.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from pipeline.config import ReadConfig
from pipeline.model import Quarantine, RawDocument, Stage
from pipeline.read.archive import archive_kind, iter_archive
from pipeline.read.bounded import expansion_cap, gunzip_capped
from pipeline.read.inputs import InputFile, file_kind
from pipeline.read.magic import GZIP_MAGIC


def iter_documents(
    item: InputFile | Quarantine, config: ReadConfig
) -> Iterator[RawDocument | Quarantine]:
    """Every document held by one input: one for a page, many for an archive.

    Container formats plug in here; a plain (or gzipped) page yields exactly one item.
    """
    if isinstance(item, Quarantine):
        yield item
        return
    kind = archive_kind(item.path)
    if kind is not None:
        yield from iter_archive(kind, item.source, item.path, config)
        return
    yield read_file(item, config)


def read_file(item: InputFile, config: ReadConfig) -> RawDocument | Quarantine:
    """Read one file, transparently decompressing gzip (sniffed by magic bytes)."""
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since it was listed, opening it
        # must not hang; fstat then tells what was really opened.
        fd = os.open(item.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return Quarantine(
                    item.source, f"not a regular file ({file_kind(st.st_mode)})", Stage.READ
                )
            if st.st_size > config.max_bytes:
                return Quarantine(
                    item.source,
                    f"file too large: {st.st_size} bytes > read.max_bytes={config.max_bytes}",
                    Stage.READ,
                )
            data = fh.read(config.max_bytes + 1)
    except OSError as exc:
        return Quarantine(item.source, f"cannot read: {exc.strerror}", Stage.READ)
    return decode_container(item.source, data, config)


def decode_container(source: str, data: bytes, config: ReadConfig) -> RawDocument | Quarantine:
    """Undo gzip layers (nested gzip too), each within the caps of `read.bounded`."""
    layers = 0
    while data[:2] == GZIP_MAGIC:
        layers += 1
        if layers > 3:
            return Quarantine(source, "gzip nested more than 3 levels deep", Stage.READ)
        result = gunzip_capped(data, expansion_cap(len(data), config))
        if isinstance(result, str):
            return Quarantine(source, result, Stage.READ)
        data = result
    if len(data) > config.max_bytes:
        return Quarantine(
            source, f"input too large: over read.max_bytes={config.max_bytes} bytes", Stage.READ
        )
    return RawDocument(source=source, data=data)
