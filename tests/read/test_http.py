"""HTTP payload decoding and the capped decompressors behind it."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from pipeline.config import ReadConfig
from pipeline.read.bounded import expansion_cap, inflate_capped, unbrotli_capped
from pipeline.read.http import dechunk, decode_payload

BODY = b"<html><body><p>" + b"Words of a page. " * 200 + b"</p></body></html>"


def test_the_cap_is_the_smaller_of_max_bytes_and_the_ratio() -> None:
    config = ReadConfig(max_bytes=5_000_000, max_gzip_ratio=100)
    assert expansion_cap(1000, config) == 1_000_000  # the floor
    assert expansion_cap(20_000, config) == 2_000_000
    assert expansion_cap(1_000_000, config) == 5_000_000
    assert expansion_cap(1_000_000, config, one_document=False) == 100_000_000


@pytest.mark.parametrize(
    ("transfer", "content", "body"),
    [
        (None, None, BODY),
        (None, "gzip", gzip.compress(BODY)),
        (None, "x-gzip", gzip.compress(BODY)),
        (None, "GZIP , identity", gzip.compress(BODY)),
        (None, "deflate", zlib.compress(BODY)),
        (None, "br", brotli.compress(BODY)),
        (None, "gzip, br", brotli.compress(gzip.compress(BODY))),
        (
            "chunked",
            None,
            b"10\r\n" + BODY[:16] + b"\r\n%x\r\n" % (len(BODY) - 16) + BODY[16:] + b"\r\n0\r\n\r\n",
        ),
    ],
)
def test_payloads_are_decoded(transfer: str | None, content: str | None, body: bytes) -> None:
    assert decode_payload(body, transfer, content, ReadConfig()) == BODY


def test_each_coding_step_is_capped() -> None:
    bomb = gzip.compress(b"\0" * 30_000_000)
    reason = decode_payload(bomb, None, "gzip", ReadConfig(max_bytes=2_000_000))
    assert reason == (
        "HTTP content encoding gzip: gzip expands beyond 2000000 bytes (possible gzip bomb; "
        "limits: read.max_bytes, read.max_gzip_ratio)"
    )


@pytest.mark.parametrize(
    ("data", "cap", "fragment"),
    [
        (zlib.compress(b"\0" * 3_000_000), 1_000_000, "deflate expands beyond 1000000"),
        (b"not deflate", 100, "corrupt deflate"),
        (brotli.compress(b"\0" * 3_000_000), 1_000_000, "br expands beyond 1000000"),
        (brotli.compress(BODY)[:-5], 1_000_000, "truncated br"),
        (b"not brotli at all", 100, "corrupt br"),
    ],
)
def test_capped_decoders_name_what_went_wrong(data: bytes, cap: int, fragment: str) -> None:
    decoder = inflate_capped if "deflate" in fragment else unbrotli_capped
    result = decoder(data, cap)
    assert isinstance(result, str) and fragment in result


def test_dechunk_refuses_what_is_not_chunked() -> None:
    result = dechunk(b"<html>not chunked</html>")
    assert isinstance(result, str) and result.startswith("broken chunked transfer encoding")
