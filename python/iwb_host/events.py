# SPDX-License-Identifier: GPL-3.0-or-later
"""The events channel: one JSON object per line on the descriptor named by IWB_EVENTS_FD."""
import json
import os
import sys
import threading


_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))

# Bytes of event lines written at once (whole lines; a longer line goes alone).
WRITE_CHUNK = 32 * 1024


class EventSink:
    """Writes whole lines under a lock so that events of several threads never interleave.

    The descriptor is made close-on-exec (grandchildren do not inherit it) and is
    independent of stdout/stderr, so an integration that closes or redirects
    those does not disturb it. A process forked from the child stops writing
    (its lines could interleave with ours); a reader that went away turns the
    sink off instead of failing the integration.
    """

    def __init__(self, fd):
        self._fd = fd
        self._lock = threading.Lock()
        self._pid = os.getpid()
        os.set_inheritable(fd, False)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    @classmethod
    def from_env(cls, environ):
        """The sink of IWB_EVENTS_FD, or None (with a note on stderr when the value is unusable)."""
        value = environ.get("IWB_EVENTS_FD")
        if not value:
            return None
        try:
            fd = int(value)
            os.fstat(fd)
        except (ValueError, OSError) as e:
            sys.stderr.write("iwb_host: IWB_EVENTS_FD=%s is not an open file descriptor (%s); "
                             "HTTP capture events are off\n" % (value, e))
            return None
        return cls(fd)

    def _forked(self):
        self._fd = None

    @property
    def enabled(self):
        return self._fd is not None

    @staticmethod
    def encode(event):
        """The line of @event (ASCII JSON, no spaces)."""
        return _ENCODER.encode(event)

    def emit(self, event):
        self.write([self.encode(event)])

    def write(self, lines):
        """Writes lines made by encode(), in order, a few kilobytes per system call.

        Not all in one: a buffer of a whole batch (hundreds of kilobytes) is above
        malloc's mmap threshold, and mapping, faulting in and unmapping it costs
        thirty times what the same lines cost in pieces that fit the heap."""
        if self._fd is None:
            return
        with self._lock:
            fd = self._fd
            if fd is None or os.getpid() != self._pid:
                return
            try:
                start = size = 0
                for i, line in enumerate(lines):
                    size += len(line) + 1
                    if size >= WRITE_CHUNK:
                        self._write_all(fd, lines[start:i + 1])
                        start, size = i + 1, 0
                if start < len(lines):
                    self._write_all(fd, lines[start:])
            except InterruptedError:
                pass
            except OSError:
                # The reader is gone (EPIPE) or the descriptor was closed under us.
                self._fd = None

    @staticmethod
    def _write_all(fd, lines):
        lines.append("")
        view = memoryview("\n".join(lines).encode("ascii"))
        while view:
            written = os.write(fd, view)
            view = view[written:]
