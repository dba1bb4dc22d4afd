"""The first bytes that name a container, whatever the file is called."""

from __future__ import annotations

GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of every gzip member (RFC 1952)."""


WARC_MAGIC = b"WARC/1."


GZIP_MEMBER = GZIP_MAGIC + b"\x08"
