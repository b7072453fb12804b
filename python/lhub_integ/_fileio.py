# SPDX-License-Identifier: GPL-3.0-or-later
"""Output channel of the shims: PipeIO (stdout lines) or FileIO (JSON lines file).

FileIO is active when ``__lh_integration_output_data_json_file_path`` is non-empty
after stripping.  Then, from the moment ``lhub_integ`` is imported, ``sys.stdout``
and ``sys.stderr`` are replaced by line loggers; every complete printed line is a
pending entry, and every *result* appends a pending entry and flushes one JSON
line ``{"result", "stdout", "stderr", "original_lhub_id"}`` to the output file.
Whatever is printed after the last result is never written anywhere.
"""
import io
import json
import os
import sys

OUTPUT_FILE_ENV = "__lh_integration_output_data_json_file_path"

_STDOUT = "stdout"
_STDERR = "stderr"
_RESULT = "result"


class _Collector:
    def __init__(self, path):
        self.path = path
        self.file = open(path, "wb")
        self.pending = []

    def add_line(self, stream, line):
        self.pending.append((stream, line, None))

    def add_result(self, result, original_lhub_id=None):
        self.pending.append((_RESULT, result, original_lhub_id))
        self.flush()

    def flush(self):
        results = [value for kind, value, _ in self.pending if kind == _RESULT]
        ids = []
        for kind, _, lhub_id in self.pending:
            if kind == _RESULT and lhub_id is not None and lhub_id not in ids:
                ids.append(lhub_id)
        record = {
            "result": results[0] if len(results) == 1 else results,
            "stdout": "\n".join(v for kind, v, _ in self.pending if kind == _STDOUT),
            "stderr": "\n".join(v for kind, v, _ in self.pending if kind == _STDERR),
            "original_lhub_id": ids[0] if len(ids) == 1 else None,
        }
        self.pending = []
        self.file.write((json.dumps(record) + "\n").encode("utf-8"))
        self.file.flush()


class _BinaryAdapter(io.RawIOBase):
    """``sys.stdout.buffer`` of a line logger: bytes are decoded as UTF-8 and logged."""

    def __init__(self, logger):
        super().__init__()
        self._logger = logger

    def writable(self):
        return True

    def write(self, data):
        self._logger.write(bytes(data).decode("utf-8", "replace"))
        return len(data)


class _LineLogger(io.TextIOBase):
    """A text stream that turns every complete line into a pending entry."""

    def __init__(self, collector, stream, original):
        super().__init__()
        self._collector = collector
        self._stream = stream
        self._original = original
        self._partial = ""
        self.buffer = _BinaryAdapter(self)

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        data = self._partial + text
        lines = data.split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._collector.add_line(self._stream, line)
        return len(text)

    def flush(self):
        pass


_collector = None


def fileio_enabled():
    return _collector is not None


def install_from_environment():
    """Start FileIO capture when the output-file variable is set (once per process)."""
    global _collector
    if _collector is not None:
        return
    path = os.environ.get(OUTPUT_FILE_ENV, "").strip()
    if not path:
        return
    _collector = _Collector(path)
    sys.stdout = _LineLogger(_collector, _STDOUT, sys.stdout)
    sys.stderr = _LineLogger(_collector, _STDERR, sys.stderr)


def emit_result(result, original_lhub_id=None):
    """Send one result: to the FileIO file as-is, else as a `[result]` line on stdout.

    ``result`` is JSON text (a str) or an object (serialised here for PipeIO; FileIO
    keeps it as an object, e.g. the instantiation-error dict).
    """
    if _collector is not None:
        _collector.add_result(result, original_lhub_id)
        return
    text = result if isinstance(result, str) else json.dumps(result)
    if original_lhub_id is not None:
        line = "[result][meta]%s[/meta]%s" % (json.dumps({"original_lhub_id": original_lhub_id}), text)
    else:
        line = "[result] %s" % (text,)
    out = sys.stdout
    out.write(line + "\n")
    out.flush()

