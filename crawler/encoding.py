"""Bytes to text for fetched pages.

Which charset a page is in comes, in order of trust, from a byte-order mark, from the
bytes themselves when they are valid UTF-8 (servers often label UTF-8 pages
`iso-8859-1`), from the HTTP header, from `<meta charset>` / `<meta http-equiv>`, and
last from charset-normalizer's guess. Old Vietnamese pages in windows-1258 spell letters
as a base letter plus a combining tone mark, so every result is NFC-normalised.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

# How far into the document a <meta> charset declaration is looked for (HTML sniffs 1024
# bytes; real pages put a lot of markup first, so allow more).
META_SNIFF_BYTES = 8192

# Labels whose HTML meaning differs from Python's codec of the same name (WHATWG Encoding).
_HTML_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "windows-1258": "cp1258",
    "x-user-defined": "cp1252",
    "unicode": "utf-16",
}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    cleaned = _HTML_LABEL_ALIASES.get(cleaned, cleaned)
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        logger.debug("unknown charset label %r", label)
        return None


def charset_from_header(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return codec_for(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:META_SNIFF_BYTES])
    return codec_for(match.group(1).decode("ascii", "ignore")) if match else None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def detect_charset(body: bytes, content_type: str | None = None) -> str:
    """The codec to decode `body` with (see the module docstring for the order)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return "utf-8-sig" if codec == "utf-8" else codec
    header = charset_from_header(content_type)
    meta = charset_from_meta(body)
    declared = [c for c in (header, meta) if c]
    if body.isascii():
        return declared[0] if declared else "utf-8"
    # Valid UTF-8 with non-ASCII bytes is almost never anything else; a header claiming
    # a single-byte charset for it is the usual server misconfiguration.
    if _decodes(body, "utf-8") and not any(c.startswith("utf-16") for c in declared):
        if header and header != "utf-8":
            logger.debug("bytes are UTF-8 but the header says %s; using UTF-8", header)
        return "utf-8"
    for codec in declared:
        if codec != "utf-8" and _decodes(body, codec):
            return codec
    guess = from_bytes(body[: 256 * 1024]).best()
    if guess is not None:
        return codec_for(guess.encoding) or "utf-8"
    return declared[0] if declared else "utf-8"


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode a fetched page to NFC text; undecodable bytes become U+FFFD."""
    codec = detect_charset(body, content_type)
    text = body.decode(codec, errors="replace")
    return unicodedata.normalize("NFC", text)
