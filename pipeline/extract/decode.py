"""Bytes to text: BOM, then the declared charset, then detection — never a blind UTF-8.

Invalid sequences in otherwise good text are replaced, not fatal, so one bad byte does not
cost a whole article. Only real text encodings are used, the ones charset detection chooses
from (less UTF-7): a page may name any Python codec in its `<meta charset>`, and `utf-7` or
`unicode_escape` yield lone surrogates (no valid Unicode), `base64` or `rot13` are not text
encodings at all; such a label is ignored and the encoding detected instead. The text that
leaves is valid Unicode whatever the bytes were (`pipeline.fields.unicode_text`).

Binary payloads (images, PDFs, archives) are recognised and refused with their type named,
so the quarantine reason says what the file really was.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
import filetype
from charset_normalizer.constant import IANA_SUPPORTED

from pipeline.errors import BinaryContentError
from pipeline.fields import unicode_text

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


TEXT_ENCODINGS = frozenset(codecs.lookup(name).name for name in IANA_SUPPORTED) - {"utf-7"}
"""Codec names a declaration may choose: charset-normalizer's, less UTF-7 (which HTML forbids
and which decodes to surrogates)."""

_DECLARATION_BYTES = 32_768
"""How far to look for `<meta charset>`: pages with long inline scripts put it late."""
_DETECT_BYTES = 200_000
"""Sample given to charset detection: enough for any page, bounded for huge ones."""
# Among candidates the detector finds equally clean, the most used on the web first.
_WEB_RANK = {
    name: rank
    for rank, name in enumerate(
        (
            "utf_8",
            "cp1252",
            "cp1251",
            "gb18030",
            "cp932",
            "shift_jis",
            "euc_jp",
            "cp949",
            "euc_kr",
            "big5",
            "cp1250",
            "cp1256",
            "cp1253",
            "cp1254",
            "cp1255",
            "cp874",
            "koi8_r",
            "iso8859_2",
            "iso8859_15",
        )
    )
}


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes) -> DecodedText:
    """Decode `data`, raising `BinaryContentError` when it is not text at all."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if name.startswith("utf-32") and not _decodes(body, name):
                continue  # FF FE 00 00 is also UTF-16 LE's BOM and a NUL character
            return DecodedText(_clean(body.decode(name, errors="replace")), name)
    kind = filetype.guess(data[:8192])
    if kind is not None and not kind.mime.startswith("text/"):
        raise BinaryContentError(f"binary content ({kind.mime}), not a text or HTML page")
    wide = _utf16_without_bom(data)
    if wide is not None:
        return DecodedText(_clean(data.decode(wide, errors="replace")), wide)
    if b"\x00" in data:
        # NULs carry no text (padding, a C string's end); judging the rest keeps the text.
        data = data.replace(b"\x00", b"")
        if not data:
            raise BinaryContentError("binary content: nothing but NUL bytes")
    declared = _declared(data)
    if declared is not None and declared != "utf-8":
        resaved = None if data.isascii() else _strict_utf8(data)
        if resaved is not None:
            # Re-saved as UTF-8 with the old declaration left in: valid UTF-8 with
            # multi-byte sequences is all but impossible by accident in a legacy charset.
            return DecodedText(_clean(resaved), "utf-8")
        return DecodedText(_clean(data.decode(declared, errors="replace")), declared)
    try:
        return DecodedText(_clean(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise BinaryContentError("binary content: too many control bytes for text")
    if _utf8_mostly(data):
        # Mostly-UTF-8 text with a few broken sequences: keep the good text.
        return DecodedText(_clean(data.decode("utf-8", errors="replace")), "utf-8")
    encoding = _detect(data)
    return DecodedText(_clean(data.decode(encoding, errors="replace")), encoding)


def _detect(data: bytes) -> str:
    """charset-normalizer's choice; among candidates it finds equally clean and equally
    plausible as language, the commonest on the web.

    Short Western European text decodes without any "mess" as cp1250, cp1252 and cp1257
    alike; the detector's own order between them is arbitrary, the web's is not.
    """
    results = list(charset_normalizer.from_bytes(data[:_DETECT_BYTES]))
    if not results:
        return "utf-8"
    best = results[0]
    tied = [
        r.encoding
        for r in results
        if r.chaos <= best.chaos + 0.005 and r.coherence >= best.coherence - 0.01
    ]
    ranked = sorted(tied, key=lambda e: _WEB_RANK.get(e, len(_WEB_RANK)))
    chosen = ranked[0] if ranked else best.encoding
    return _SUPERSETS.get(chosen.lower(), chosen)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: ASCII-range text with a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _strict_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _declared(data: bytes) -> str | None:
    head = data[:_DECLARATION_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", errors="ignore").lower()
    label = _SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name not in TEXT_ENCODINGS:
        return None  # not a text encoding (base64, rot13, punycode, unicode_escape...)
    # A declaration readable as ASCII cannot be in UTF-16/32 (WHATWG: treat it as UTF-8).
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > 0.05 * len(sample)


def _utf8_mostly(data: bytes) -> bool:
    """True when nearly all non-ASCII bytes form valid UTF-8 (a few broken sequences)."""
    text = data[:_DETECT_BYTES].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii > 0 and bad <= max(2, non_ascii // 50)


def _clean(text: str) -> str:
    # NUL bytes break lxml and downstream tools; they carry no text.
    return unicode_text(text.replace("\x00", ""))
