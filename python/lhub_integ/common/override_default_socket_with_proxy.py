# SPDX-License-Identifier: GPL-3.0-or-later
"""Route every socket through the SOCKS5 proxy of ``socks_proxy`` (runs at import).

``socks_proxy`` is a URL with a host and a port (e.g. ``socks5://10.0.0.1:1080``).
Name resolution is replaced by a pass-through so the proxy resolves host names.
"""
import os
import socket
from urllib.parse import urlparse

from lhub_integ._optional import require

try:  # loaded at import, as the SDK does (see lhub_integ/_optional.py)
    import socks
except ModuleNotFoundError:
    socks = None

SOCKS_PROXY_ENV = "socks_proxy"

_original_socket = socket.socket
_original_getaddrinfo = socket.getaddrinfo


def get_proxy():
    """``(host, port)`` from ``socks_proxy``, or None when unset or without host/port."""
    value = os.environ.get(SOCKS_PROXY_ENV, "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "socks5://" + value
    parsed = urlparse(value)
    try:
        port = parsed.port
    except ValueError:
        return None
    if not parsed.hostname or not port:
        return None
    return parsed.hostname, port


def _passthrough_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]


def override_socket():
    """Install the SOCKS5 socket when a proxy is configured; returns True if installed."""
    proxy = get_proxy()
    if proxy is None:
        return False
    pysocks = require(socks, "socks")
    pysocks.set_default_proxy(pysocks.SOCKS5, proxy[0], proxy[1], rdns=True)
    socket.socket = pysocks.socksocket
    socket.getaddrinfo = _passthrough_getaddrinfo
    return True


def remove_socket_override():
    socket.socket = _original_socket
    socket.getaddrinfo = _original_getaddrinfo


override_socket()
