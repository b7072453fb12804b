# SPDX-License-Identifier: GPL-3.0-or-later
"""Redaction of secrets before anything leaves the child.

A :class:`Redactor` knows the values of the secret parameters (password and
encryptedFile parameters, named by the parent in ``IWB_SECRET_PARAMS``) and
replaces every form one of them can take — raw, URL-encoded (``%XX`` and
``+``), JSON-escaped, HTML-escaped, base64 (also inside a base64 token such as
Basic auth's ``user:password``) — with :data:`MARK`. Credential headers
(Authorization, Proxy-Authorization, Cookie, Set-Cookie and API-key style
names) and API-key style query parameters are masked whatever their value.
"""
import base64
import binascii
import json
import re
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

MARK = "[redacted]"
# Shorter values would mask ordinary words everywhere; they are still masked
# where they are a whole header, query or form value (see _value_is_secret).
MIN_FREE_TEXT = 3

_AUTH_HEADERS = frozenset(("authorization", "proxy-authorization"))
_COOKIE_HEADERS = frozenset(("cookie", "set-cookie"))
# Challenges and CORS lists name schemes and header names, not secrets.
_NOT_SECRET_HEADERS = frozenset(("www-authenticate", "proxy-authenticate"))
_KEYISH = re.compile(
    r"(api[-_]?key|apikey|access[-_]?key|secret|token|passw(or)?d|passwd|pwd|auth|"
    r"session|signature|credential|private[-_]?key)", re.IGNORECASE)
_B64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")


def is_keyish(name):
    """True for a header or parameter name that carries a credential."""
    lower = name.lower()
    if lower in _NOT_SECRET_HEADERS or lower.startswith("access-control-"):
        return False
    return bool(_KEYISH.search(name))


# html.escape()'s replacements (quote=True), without importing html and its entity
# table (3 ms of every capturing child's start-up).
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _html_escape(text):
    return text.translate(_HTML_ESCAPES)


def _forms(secret):
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        # as requests (requote_uri) and urllib3 (paths) percent-encode a URL they are given
        quote(secret, safe="!#$%&'()*+,/:;=?@[]~"),
        quote(secret, safe="!$&'()*+,;=:@/~"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        _html_escape(secret),
    }
    raw = secret.encode("utf-8")
    forms.add(base64.b64encode(raw).decode("ascii").rstrip("="))
    forms.add(base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="))
    # JSON inside a JSON string (an API that echoes a request body, or quotes it in an
    # error message): every form escaped once more, e.g. p\\u00e4ss for päss.
    for form in list(forms):
        forms.add(json.dumps(form)[1:-1])
        forms.add(json.dumps(form, ensure_ascii=False)[1:-1])
    return {f for f in forms if f}


def _b64_fingerprints(secret):
    """What the standard base64 of any byte stream holding @secret (UTF-8) contains.

    For each of the 3 alignments of the secret's bytes in the stream, the base64
    characters whose 6 bits all come from the secret: a base64 text that decodes
    to something holding the secret contains one of them (after the characters a
    lenient decoder skips are taken out, see Redactor._b64_possible)."""
    raw = secret.encode("utf-8")
    out = set()
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + raw).decode("ascii")
        first = -(-8 * k // 6)               # ceil(8k / 6): the first character of the secret's bits alone
        end = (8 * (k + len(raw))) // 6      # the characters whose bits end within the secret
        if end > first:
            out.add(enc[first:end])
    return out


# What base64.b64decode() keeps of a token (it skips "-" and "_") and what
# base64.urlsafe_b64decode() reads ("-" as "+", "_" as "/"): see _b64_possible.
_URLSAFE_AS_STANDARD = str.maketrans("-_", "+/")
_URLSAFE_AS_STANDARD_B = bytes.maketrans(b"-_", b"+/")
_CACHE_MAX = 512


class Redactor:
    """Masks the given secret values (and credential headers) in text and bytes.

    Every pass first checks, with plain substring searches, whether a form of a
    secret (or the base64 of one, in any alignment) can be in the value at all;
    most values hold none and are returned as they are, without a regular
    expression or a decoding pass. Header values and URLs seen before are
    answered from small caches (the secrets do not change during a run)."""

    def __init__(self, secrets=()):
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._secret_set = frozenset(self.secrets)
        free = [s for s in self.secrets if len(s) >= MIN_FREE_TEXT]
        forms = set()
        for secret in free:
            forms |= _forms(secret)
        ordered = sorted(forms, key=len, reverse=True)
        self._free = free
        self._forms = tuple(ordered)
        self._bforms = tuple(f.encode("utf-8") for f in ordered)
        fingerprints = set()
        for secret in free:
            fingerprints |= _b64_fingerprints(secret)
        self._fingerprints = tuple(sorted(fingerprints))
        self._bfingerprints = tuple(f.encode("ascii") for f in self._fingerprints)
        # A secret holding U+FFFD could match the replacement of undecodable bytes:
        # then every base64 token is decoded, as without the fast check.
        self._b64_always = any("\ufffd" in s for s in free)
        self._re = re.compile("|".join(re.escape(f) for f in ordered)) if ordered else None
        self._bre = (re.compile(b"|".join(re.escape(f) for f in self._bforms))
                     if ordered else None)
        self.max_form = max((len(f) for f in self._bforms), default=0)
        self._header_cache = {}
        self._url_cache = {}

    @property
    def active(self):
        return bool(self.secrets)

    def _b64_possible(self, value):
        """False when no base64 token of @value (str) can decode to a text holding a secret.

        _b64_sub decodes a token with b64decode (which skips "-" and "_") and
        with urlsafe_b64decode (which reads them as "+" and "/"); a secret in
        the decoded bytes means one of its fingerprints is in the token so read,
        hence in @value read the same way."""
        if self._b64_always:
            return True
        prints = self._fingerprints
        for f in prints:
            if f in value:
                return True
        if "-" in value or "_" in value:
            skipped = value.replace("-", "").replace("_", "")
            urlsafe = value.translate(_URLSAFE_AS_STANDARD)
            for f in prints:
                if f in skipped or f in urlsafe:
                    return True
        return False

    def _maybe_in_bytes(self, value):
        """False when neither a form of a secret nor base64 holding one can be in @value (bytes)."""
        for f in self._bforms:
            if f in value:
                return True
        if self._b64_always:
            return True
        prints = self._bfingerprints
        for f in prints:
            if f in value:
                return True
        if b"-" in value or b"_" in value:
            skipped = value.replace(b"-", b"").replace(b"_", b"")
            urlsafe = value.translate(_URLSAFE_AS_STANDARD_B)
            for f in prints:
                if f in skipped or f in urlsafe:
                    return True
        return False

    def _value_is_secret(self, value):
        return value in self._secret_set

    def _b64_sub(self, match):
        token = match.group(0)
        padded = token + "=" * (-len(token) % 4)
        candidates = [(base64.b64decode, padded), (base64.urlsafe_b64decode, padded)]
        if "-" in token or "_" in token:
            # b64decode skips "-" and "_": read without them, padded for what is left.
            kept = token.rstrip("=").replace("-", "").replace("_", "")
            candidates.append((base64.b64decode, kept + "=" * (-len(kept) % 4)))
        for decoder, text in candidates:
            try:
                decoded = decoder(text.encode("ascii"))
            except (binascii.Error, ValueError):
                continue
            text = decoded.decode("utf-8", "replace")
            if any(s in text for s in self._free):
                return MARK
        return token

    def text(self, value):
        """@value with every form of every secret replaced by MARK."""
        if not value or self._re is None:
            return value
        if self._b64_possible(value):
            # Whole base64 tokens first: base64("user:" + secret) may contain base64(secret).
            value = _B64_TOKEN.sub(self._b64_sub, value)
            return self._re.sub(MARK, value)
        for f in self._forms:
            if f in value:
                return self._re.sub(MARK, value)
        return value

    def data(self, value):
        """The same for bytes: text bodies go through text(), binary ones get a byte-level pass."""
        if not value or self._re is None:
            return value
        # Nothing to mask (the common case): the same bytes, neither decoded nor copied.
        # A form of a secret in the text is its UTF-8 in the bytes, and the base64
        # characters are ASCII: the checks on bytes see all that text() would.
        if not self._maybe_in_bytes(value):
            return value
        try:
            return self.text(value.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            return self._bre.sub(MARK.encode("ascii"), value)

    def strip_partial(self, value):
        """Drop a tail of @value (bytes) that could be the start of a secret cut by truncation."""
        if self._bre is None or not value:
            return value
        tail = value[-self.max_form:]
        for secret in self._free:
            for form in _forms(secret):
                raw = form.encode("utf-8")
                for k in range(min(len(raw) - 1, len(tail)), 1, -1):
                    if tail.endswith(raw[:k]):
                        return value[:-k]
        return value

    def header(self, name, value):
        """The value of header @name as it may leave the child."""
        lower = name.lower()
        if lower in _AUTH_HEADERS:
            scheme, sep, rest = value.strip().partition(" ")
            return "%s %s" % (scheme, MARK) if sep and rest else MARK
        if lower == "cookie":
            return "; ".join(_mask_pair(part.strip()) for part in value.split(";") if part.strip())
        if lower == "set-cookie":
            first, sep, attributes = value.partition(";")
            return _mask_pair(first.strip()) + (sep + self.text(attributes) if sep else "")
        if is_keyish(name) or self._value_is_secret(value.strip()):
            return MARK
        return self.text(value)

    def headers(self, pairs):
        cache = self._header_cache
        out = []
        for name, value in pairs:
            key = (name, value)
            masked = cache.get(key)
            if masked is None:
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                masked = cache[key] = self.header(name, value)
            out.append([name, masked])
        return out

    def query(self, query):
        """A query string (or form body) with key-ish parameters and secret values masked."""
        if not query:
            return query
        parts = []
        for part in query.split("&"):
            name, sep, value = part.partition("=")
            if sep and (is_keyish(_unquote_name(name)) or self._value_is_secret(_unquote_value(value))):
                parts.append(name + "=" + MARK)
            else:
                parts.append(self.text(part))
        return "&".join(parts)

    def url(self, url):
        """@url with secrets masked in its path, query and fragment (and userinfo)."""
        if not url:
            return url
        cache = self._url_cache
        masked = cache.get(url)
        if masked is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            masked = cache[url] = self._url(url)
        return masked

    def _url(self, url):
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.text(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = MARK + "@" + netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, self.text(netloc), self.text(parts.path),
                           self.query(parts.query), self.text(parts.fragment)))


def _unquote_name(name):
    return unquote_plus(name)


def _unquote_value(value):
    return unquote_plus(value)


def _mask_pair(pair):
    name, sep, _ = pair.partition("=")
    return name + "=" + MARK if sep else MARK
