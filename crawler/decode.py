"""Content-Encoding decoding with a byte budget: a response body is decoded layer by layer
as it streams in, and no layer may produce more than `limit` bytes.

httpx decodes every layer before the caller sees a byte, so a size limit checked on its
output comes too late for a stacked bomb (`Content-Encoding: gzip, gzip`: a kilobyte on
the wire, gigabytes after two layers). Here each layer is a `zlib` stream read with
`max_length`, so memory stays around `limit` whatever the ratio, and the number of layers
is capped. Only the encodings the crawler asks for (gzip, deflate) are accepted.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

# What the crawler sends as Accept-Encoding; anything else in a response is refused.
ACCEPT_ENCODING = "gzip, deflate"
MAX_LAYERS = 2
_CHUNK = 64 * 1024


class DecodeError(ValueError):
    """The body cannot be decoded within the rules (unknown coding, too many layers,
    corrupt stream)."""


class TooLargeError(ValueError):
    """A layer produced more than the byte budget."""


def encoding_layers(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied
    (identity dropped); a DecodeError for an unsupported coding or too many layers."""
    layers = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
    layers = [c for c in layers if c != "identity"]
    for coding in layers:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise DecodeError(f"unsupported Content-Encoding {coding!r}")
    if len(layers) > MAX_LAYERS:
        raise DecodeError(f"{len(layers)} Content-Encoding layers (at most {MAX_LAYERS})")
    return layers


class _Layer:
    """One zlib layer that never returns more than the budget left."""

    def __init__(self, coding: str, limit: int) -> None:
        self._coding = coding
        self._limit = limit
        self._produced = 0
        self._first = True
        self._inflate = zlib.decompressobj(
            zlib.MAX_WBITS | 16 if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._first and self._coding == "deflate" and data:
            self._first = False
            if data[0] & 0x0F != 8:  # raw deflate without the zlib header (old servers)
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        while not self._inflate.eof:  # bytes after the end of the stream are ignored
            out = self._inflate.decompress(pending, _CHUNK)
            pending = self._inflate.unconsumed_tail
            if not out and not pending:
                return
            yield self._take(out)

    def finish(self) -> Iterator[bytes]:
        # feed() drained every byte zlib could produce, so this is at most a few bytes.
        yield self._take(self._inflate.flush())
        if not self._inflate.eof:
            raise DecodeError(f"the {self._coding} stream ends before its end marker")

    def _take(self, out: bytes) -> bytes:
        self._produced += len(out)
        if self._produced > self._limit:
            raise TooLargeError(f"decodes to more than {self._limit} bytes")
        return out


def decode_stream(
    raw: Iterable[bytes], content_encoding: str | None, limit: int
) -> Iterator[bytes]:
    """Decoded chunks of a body arriving as `raw` chunks; raises TooLargeError as soon as
    the wire bytes or any layer's output exceed `limit`, DecodeError on bad input."""
    layers = [_Layer(coding, limit) for coding in reversed(encoding_layers(content_encoding))]
    received = 0

    def push(data: bytes, depth: int) -> Iterator[bytes]:
        if depth == len(layers):
            yield data
            return
        for out in layers[depth].feed(data):
            yield from push(out, depth + 1)

    def finish(depth: int) -> Iterator[bytes]:
        if depth == len(layers):
            return
        for out in layers[depth].finish():
            yield from push(out, depth + 1)
        yield from finish(depth + 1)

    def decoded() -> Iterator[bytes]:
        for chunk in wire():
            yield from push(chunk, 0)
        yield from finish(0)

    def wire() -> Iterator[bytes]:
        nonlocal received
        for chunk in raw:
            received += len(chunk)
            if received > limit:
                raise TooLargeError(f"is more than {limit} bytes on the wire")
            yield chunk

    try:
        for chunk in decoded():
            if chunk:
                yield chunk
    except zlib.error as error:
        raise DecodeError(f"corrupt {content_encoding} body: {error}") from error
