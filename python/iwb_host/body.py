# SPDX-License-Identifier: GPL-3.0-or-later
"""Bodies as they are captured, and as they appear in events and cassettes.

A body in JSON is ``{"size": N, "text": "..."}`` for text or
``{"size": N, "base64": "..."}`` for binary data, where ``size`` is the real
size in bytes; ``"truncated": true`` when only the first bytes are kept,
``"incomplete": true`` when the caller stopped reading before the end,
``"decoded": "gzip"`` when the text is the decoded form of a compressed body.
"""
import base64
import zlib

_TEXT_TYPES = ("text/", "json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "csv", "html")


class BodyBuffer:
    """Bytes seen so far, up to @limit bytes (None: all), and the real size."""

    __slots__ = ("limit", "size", "_parts", "_kept")

    def __init__(self, limit=None):
        self.limit = limit
        self.size = 0
        self._parts = []
        self._kept = 0

    def add(self, data):
        if not data:
            return
        n = len(data)
        self.size += n
        if self.limit is None:
            self._parts.append(bytes(data))
            self._kept += n
        elif self._kept < self.limit:
            room = self.limit - self._kept
            chunk = bytes(data[:room])
            self._parts.append(chunk)
            self._kept += len(chunk)

    def value(self):
        return b"".join(self._parts)

    @property
    def truncated(self):
        return self._kept < self.size


def dechunk(data):
    """The payload of a chunked transfer-encoded byte string (as far as it is well formed)."""
    out = bytearray()
    pos = 0
    while pos < len(data):
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        try:
            length = int(data[pos:end].split(b";", 1)[0].strip() or b"0", 16)
        except ValueError:
            return bytes(data)
        if length == 0:
            break
        out += data[end + 2:end + 2 + length]
        pos = end + 2 + length + 2
    return bytes(out)


def decode_content(data, encoding):
    """Decompresses gzip/deflate data; None when it cannot (then the raw bytes are kept)."""
    encoding = (encoding or "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(data, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(data)
            except zlib.error:
                return zlib.decompress(data, -zlib.MAX_WBITS)
    except zlib.error:
        return None
    return None


def looks_textual(content_type, data):
    ct = (content_type or "").lower()
    if ct and not any(t in ct for t in _TEXT_TYPES):
        return False
    if b"\x00" in data[:4096]:
        return False
    return True


def to_json(data, size, content_type=None, truncated=False, limit=None):
    """The JSON form of a body: text when it is valid UTF-8 that looks like text, base64 otherwise."""
    if limit is not None and len(data) > limit:
        data = data[:limit]
        truncated = True
    out = {"size": size}
    text = None
    if looks_textual(content_type, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            # A multi-byte character cut by the limit is still text.
            if truncated and e.start >= len(data) - 3:
                try:
                    text = data[:e.start].decode("utf-8")
                except UnicodeDecodeError:
                    text = None
    if text is not None:
        out["text"] = text
    else:
        out["base64"] = base64.b64encode(data).decode("ascii")
    if truncated:
        out["truncated"] = True
    return out


def from_json(obj):
    """The bytes of a body in JSON form."""
    if not obj:
        return b""
    if "base64" in obj:
        return base64.b64decode(obj["base64"])
    return (obj.get("text") or "").encode("utf-8")
