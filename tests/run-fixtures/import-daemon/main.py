# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Daemon at import fixture
description: Importing this module forks, double-forks a setsid daemon deaf to SIGTERM and then hangs: nothing may outlive the load
"""
import os
import signal
import time


def _daemonize():
    """fork, setsid, fork; the daemon ignores SIGTERM."""
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(r)
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.write(w, b"up\n")
            os.close(w)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            while True:
                time.sleep(1)
        os._exit(0)
    os.close(w)
    os.read(r, 8)
    os.close(r)


_daemonize()
# a plain forked child too, still in the loader's group
if os.fork() == 0:
    while True:
        time.sleep(1)

_tmp = os.environ.get("TMPDIR")
if _tmp:
    with open(os.path.join(_tmp, "started"), "w") as _f:
        _f.write("%d\n" % os.getpid())

# the load never ends: the workbench is killed meanwhile
while True:
    time.sleep(1)
