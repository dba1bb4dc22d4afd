"""The payload of an archived HTTP response, its transfer and content encodings undone here.

FastWARC's own decoding (`auto_decode`) inflates without a bound — a few kilobytes of
gzip can become gigabytes in memory — and a payload it cannot decode leaves its archive
iterator broken, so the next, good record failed too ("No reader set"). So records are parsed with
`auto_decode="none"` and the payload is decoded here: chunked transfer coding by the
standard library's HTTP client, content codings (gzip, deflate, br) by the capped
decoders of `read.bounded`, each step within `read.max_bytes` and `read.max_gzip_ratio`.
An encoding that cannot be undone is a reason naming it, never an exception.
"""

from __future__ import annotations

import http.client
import io

from pipeline.config import ReadConfig
from pipeline.read.bounded import CONTENT_DECODERS, expansion_cap

_CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
_IDENTITY = ("", "identity")


class _Socket:
    """What `http.client.HTTPResponse` reads a response from: bytes already received."""

    def __init__(self, data: bytes) -> None:
        self._file = io.BytesIO(data)

    def makefile(self, mode: str) -> io.BytesIO:
        return self._file


def dechunk(body: bytes) -> bytes | str:
    """The body of a chunked transfer coding (never larger than `body`); a string is the
    error."""
    response = http.client.HTTPResponse(_Socket(_CHUNKED_HEAD + body))  # type: ignore[arg-type]
    try:
        response.begin()
        return response.read()
    except (http.client.HTTPException, ValueError) as exc:
        return f"broken chunked transfer encoding: {type(exc).__name__}: {exc}"


def decode_payload(
    body: bytes, transfer: str | None, content: str | None, config: ReadConfig
) -> bytes | str:
    """`body` with its `Transfer-Encoding` and `Content-Encoding` undone; a string is the
    reason it cannot be."""
    if transfer and "chunked" in transfer.lower():
        result = dechunk(body)
        if isinstance(result, str):
            return result
        body = result
    codings = [c.strip().lower() for c in (content or "").split(",")]
    for coding in reversed(codings):
        if coding in _IDENTITY:
            continue
        decoder = CONTENT_DECODERS.get(coding)
        if decoder is None:
            return f"unsupported HTTP content encoding {coding!r}"
        result = decoder(body, expansion_cap(len(body), config))
        if isinstance(result, str):
            return f"HTTP content encoding {coding}: {result}"
        body = result
    return body
