"""Bytes to text: BOM, then the declared charset, then detection — never a blind UTF-8.

Invalid sequences in otherwise good text are replaced, not fatal, so one bad byte does not
cost a whole article. Binary payloads (images, PDFs, archives) are recognised and refused
with their type named, so the quarantine reason says what the file really was.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
import filetype

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
# Labels that browsers (WHATWG Encoding) map to a superset; decoding with the superset
# is what the page's author saw.
_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
}


class BinaryContentError(ValueError):
    """The bytes are not text in any encoding (an image, a PDF, an archive...)."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedText:
    """Decode `data`, raising `BinaryContentError` when it is not text at all."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return DecodedText(_clean(data[len(bom) :].decode(name, errors="replace")), name)
    kind = filetype.guess(data[:8192])
    if kind is not None and not kind.mime.startswith("text/"):
        raise BinaryContentError(f"binary content ({kind.mime}), not a text or HTML page")
    declared = _declared(data)
    if declared is not None:
        return DecodedText(_clean(data.decode(declared, errors="replace")), declared)
    try:
        return DecodedText(_clean(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise BinaryContentError("binary content: too many control bytes for text")
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        # Mostly-UTF-8 text with a few broken sequences: keep the good text.
        return DecodedText(_clean(data.decode("utf-8", errors="replace")), "utf-8")
    encoding = _SUPERSETS.get(best.encoding.lower(), best.encoding)
    if _utf8_mostly(data):
        encoding = "utf-8"
    return DecodedText(_clean(data.decode(encoding, errors="replace")), encoding)


def _declared(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", errors="ignore").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > 0.05 * len(sample)


def _utf8_mostly(data: bytes) -> bool:
    """True when nearly all non-ASCII bytes form valid UTF-8 (a few broken sequences)."""
    text = data[:200_000].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii > 0 and bad <= max(2, non_ascii // 50)


def _clean(text: str) -> str:
    # NUL bytes break lxml and downstream tools; they carry no text.
    return text.replace("\x00", "")
