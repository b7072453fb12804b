# SPDX-License-Identifier: GPL-3.0-or-later
"""Cassettes: recorded HTTP exchanges in a readable, redacted, git-friendly JSON file.

::

    {
      "iwb_cassette": 1,
      "interactions": [
        {
          "request": {"method": "GET", "url": "https://host/path?a=1",
                      "headers": [["Accept", "*/*"], ...], "body": {"size": 0, "text": ""}},
          "response": {"status": 200, "reason": "OK", "http_version": "HTTP/1.1",
                       "headers": [["Content-Type", "application/json"], ...],
                       "body": {"size": 17, "text": "{\\"ok\\": true}"}}
        },
        {"request": {...}, "error": {"kind": "refused", "message": "..."}}
      ]
    }

Interactions stay in recorded order; keys are sorted and the file is indented,
so a re-recording shows as a small diff. Response bodies are stored decoded
(no Content-Encoding) and whole; secrets are already masked.

Matching (as VCR-style recorders do): method, scheme, host, port, path, query
as a sorted multiset, and body — JSON compared as JSON, form bodies as sorted
multisets, anything else byte for byte. Repeated identical requests get the
recorded answers in order; once they are used up the last one answers again.
"""
import json
import os
import stat
import tempfile
import threading
from urllib.parse import parse_qsl, urlsplit

from iwb_host import body as bodymod

FORMAT = 1
# The largest cassette read (a bigger file is refused with a clear error).
MAX_CASSETTE_BYTES = 256 * 1024 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


class CassetteError(Exception):
    """A cassette that cannot be read or written; the message names the file and what to do."""


def _canonical_body(data, content_type):
    if not data:
        return ("empty",)
    ct = (content_type or "").lower()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ("bytes", data)
    if "x-www-form-urlencoded" in ct:
        return ("form", tuple(sorted(parse_qsl(text, keep_blank_values=True))))
    stripped = text.lstrip()
    if "json" in ct or stripped[:1] in ("{", "["):
        try:
            return ("json", json.dumps(json.loads(text), sort_keys=True, separators=(",", ":")))
        except ValueError:
            pass
    return ("bytes", data)


def request_key(method, url, headers, data):
    """What two requests must share to match (see the module docstring)."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or _DEFAULT_PORTS.get(scheme)
    query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    content_type = ""
    for name, value in headers or ():
        if name.lower() == "content-type":
            content_type = value
    return ((method or "").upper(), scheme, (parts.hostname or "").lower(), port,
            parts.path or "/", query, _canonical_body(data, content_type))


def describe_key_miss(method, url):
    return "%s %s" % (method, url)


def dumps(value, indent=0):
    """Indented JSON with sorted keys where a header (a [name, value] pair) stays on one line."""
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ["%s%s: %s" % (pad, json.dumps(k, ensure_ascii=False), dumps(value[k], indent + 1))
                 for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(not isinstance(v, (dict, list)) for v in value) and len(value) <= 4:
            return json.dumps(value, ensure_ascii=False)
        items = [pad + dumps(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"
    return json.dumps(value, ensure_ascii=False)


def _umask():
    """The process's umask, read without changing it (os.umask would, for a
    moment, in every thread of the integration)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


class Cassette:
    def __init__(self, path, interactions=None):
        self.path = path
        self.interactions = list(interactions or [])
        self._texts = {}   # id(interaction) -> its indented JSON (interactions do not change once added)
        self._lock = threading.RLock()
        self._index = None
        self._cursors = {}

    # -- reading

    @classmethod
    def load(cls, path, again="record it again"):
        """The cassette at @path; CassetteError says what is wrong with it and
        what to do (@again: what to do about a file that is not a cassette)."""
        try:
            # A regular file of bounded size: a FIFO, /dev/zero or a 2 GB
            # file is a clear error, not a hang or all the memory.
            with open(path, "rb", opener=lambda p, fl: os.open(p, fl | os.O_NONBLOCK)) as f:
                st = os.fstat(f.fileno())
                if not stat.S_ISREG(st.st_mode):
                    raise CassetteError("cassette %s is not a regular file (a FIFO, a device or a "
                                        "folder); give the cassette file" % path)
                if st.st_size > MAX_CASSETTE_BYTES:
                    raise CassetteError("cassette %s is larger than %d MiB, the limit; record a "
                                        "smaller one" % (path, MAX_CASSETTE_BYTES >> 20))
                data = f.read(MAX_CASSETTE_BYTES + 1)
            if len(data) > MAX_CASSETTE_BYTES:
                raise CassetteError("cassette %s is larger than %d MiB, the limit; record a "
                                    "smaller one" % (path, MAX_CASSETTE_BYTES >> 20))
            doc = json.loads(data.decode("utf-8"))
        except RecursionError:
            raise CassetteError("cassette %s is nested too deeply to be a cassette; %s" % (path, again)) from None
        except UnicodeDecodeError as e:
            raise CassetteError("cassette %s is not UTF-8 text (byte %d); %s" % (path, e.start, again)) from None
        except FileNotFoundError:
            raise CassetteError("cassette %s does not exist; record one first (IWB_RECORD=%s)"
                                % (path, path)) from None
        except OSError as e:
            raise CassetteError("cannot read cassette %s: %s" % (path, e.strerror or e)) from None
        except ValueError as e:
            raise CassetteError("cassette %s is not valid JSON (%s); %s" % (path, e, again)) from None
        if not isinstance(doc, dict) or doc.get("iwb_cassette") != FORMAT or \
                not isinstance(doc.get("interactions"), list):
            raise CassetteError("%s is not a workbench cassette (expected {\"iwb_cassette\": %d, "
                                "\"interactions\": [...]}); %s" % (path, FORMAT, again))
        for i, item in enumerate(doc["interactions"]):
            req = item.get("request") if isinstance(item, dict) else None
            if not isinstance(req, dict) or not isinstance(req.get("method"), str) or \
                    not isinstance(req.get("url"), str) or \
                    not (isinstance(item.get("response"), dict) or isinstance(item.get("error"), dict)):
                raise CassetteError("cassette %s: interaction %d has no request method and URL or "
                                    "no response; fix it or record again" % (path, i + 1))
        return cls(path, doc["interactions"])

    @classmethod
    def load_or_new(cls, path):
        if not os.path.exists(path):
            return cls(path)
        # Recording adds to the cassette that is there; any other file is kept.
        return cls.load(path, "recording does not overwrite it: move it away or record into "
                              "another file")

    def _build_index(self):
        index = {}
        for item in self.interactions:
            req = item["request"]
            key = request_key(req["method"], req["url"], req.get("headers"),
                              bodymod.from_json(req.get("body")))
            index.setdefault(key, []).append(item)
        self._index = index

    def match(self, key):
        """The next recorded interaction for @key, or None."""
        with self._lock:
            if self._index is None:
                self._build_index()
            answers = self._index.get(key)
            if not answers:
                return None
            n = self._cursors.get(key, 0)
            self._cursors[key] = n + 1
            return answers[min(n, len(answers) - 1)]

    def after_fork(self):
        """In a forked child: a lock of its own (a thread of the parent may have held this one)."""
        self._lock = threading.RLock()

    # -- writing

    def add(self, interaction):
        with self._lock:
            self.interactions.append(interaction)
            self._index = None

    def _text(self):
        """The file's text: dumps() of the document, each interaction serialized once."""
        items = []
        texts = {}
        for item in self.interactions:
            t = self._texts.get(id(item))
            if t is None:
                t = dumps(item, 2)
            texts[id(item)] = t
            items.append("    " + t)
        self._texts = texts
        body = ("[\n" + ",\n".join(items) + "\n  ]") if items else "[]"
        return '{\n  "interactions": %s,\n  "iwb_cassette": %d\n}\n' % (body, FORMAT)

    def save(self):
        """Writes the cassette atomically (a temporary file renamed over it).

        The whole write holds the lock, so that two threads finishing calls at
        once cannot put an older list over a newer one."""
        with self._lock:
            text = self._text()
            # Through a symlink (a cassette kept elsewhere and linked into the
            # folder), the file it points to is replaced and the link stays.
            target = os.path.realpath(self.path)
            folder = os.path.dirname(target)
            try:
                fd, tmp = tempfile.mkstemp(prefix=".cassette-", suffix=".tmp", dir=folder)
            except OSError as e:
                raise CassetteError("cannot write cassette %s: %s" % (self.path, e.strerror or e)) from None
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                    f.flush()
                    os.fsync(f.fileno())
                try:
                    os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
                except FileNotFoundError:
                    os.chmod(tmp, 0o666 & ~_umask())
                os.replace(tmp, target)
            except OSError as e:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise CassetteError("cannot write cassette %s: %s" % (self.path, e.strerror or e)) from None
