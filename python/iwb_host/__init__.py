# SPDX-License-Identifier: GPL-3.0-or-later
"""iwb_host: the workbench's bootstrap inside an integration's child process.

The workbench starts ``python3 -m iwb_host.launch SHIM ARGS...`` (SHIM such as
``lhub_integ.shim_exec``) instead of ``python3 -m SHIM ARGS...``. The launcher
installs hooks on ``http.client`` — which ``requests``, ``urllib3`` (1.26 and
2.x), ``urllib.request`` and plain ``http.client`` all go through, HTTPS
included — then runs SHIM with ``runpy`` as ``__main__``. Stdout, stderr, the
exit status and the ``[result]`` protocol are the shim's, untouched.

Environment (the launcher removes the IWB_* variables below from ``os.environ``
before the shim runs, so that the integration sees the environment it would
have without the capture):

``IWB_EVENTS_FD=N``
    An open, writable descriptor (a pipe). One JSON object per line per HTTP
    exchange, written whole under a lock; made close-on-exec. Unset: no events.
    The calling thread only hands a finished exchange over; a writer thread
    redacts it and writes its event (batches gathered for at most 0.1 s, in
    the order the exchanges finished), and every event is out before the
    process ends (atexit, and os._exit). A forked process writes none.
    An event::

        {"event": "http", "id": 1, "pid": 4242, "thread": "MainThread", "thread_id": 140...,
         "started": "2026-12-04T16:20:00.123Z", "method": "GET",
         "url": "https://host:8443/api?x=1", "http_version": "HTTP/1.1",
         "request": {"headers": [["Host", "host:8443"], ...], "body": BODY},
         "response": {"status": 200, "reason": "OK", "http_version": "HTTP/1.1",
                      "headers": [[name, value], ...], "body": BODY},
         "timings": {"dns": ms, "connect": ms, "tls": ms, "sent": ms, "first_byte": ms,
                     "total": ms},
         "reused_connection": false, "replayed": false,
         "error": {"kind": KIND, "message": "...", "reason": "..."}}

    ``response`` is absent when none came, ``error`` when none happened.
    Timings are milliseconds; ``dns``/``connect``/``tls`` are null on a reused
    connection (``tls`` also for plain HTTP); ``sent``, ``first_byte`` and
    ``total`` count from the start of the exchange (the connect, when the
    connection was opened for it). KIND is one of ``refused``, ``dns``,
    ``timeout``, ``certificate`` (``reason``: the verification message, e.g.
    "self-signed certificate"), ``tls``, ``reset``, ``closed``,
    ``not_recorded`` (strict replay) or ``error``.
    BODY is ``{"size": N, "text": "..."}`` or ``{"size": N, "base64": "..."}``
    with ``"truncated": true`` past IWB_CAPTURE_BODY_LIMIT bytes (default
    262144), ``"decoded": "gzip"`` when a compressed body is shown decoded,
    ``"incomplete": true`` when the caller stopped reading before its end
    (the body is what the caller read, as it read it).

``IWB_SECRET_PARAMS=ID1,ID2``
    Names of environment variables (parameter ids) holding secret values
    (password, encryptedFile). Every form of each value — raw, URL-encoded,
    JSON-escaped, HTML-escaped, base64 (also inside Basic auth), in cookies —
    becomes ``[redacted]`` in URLs, headers, bodies and error texts, before an
    event or a cassette is written. Authorization, Proxy-Authorization, Cookie
    and Set-Cookie values, and headers and query parameters with API-key style
    names (``X-Api-Key``, ``token``, ``secret``...), are masked whatever their
    value (``Bearer [redacted]``, ``session=[redacted]``). An encryptedFile's
    value names a file (joined to ``INTEGRATIONS_FILES_PATH``): what the file
    holds (its text, stripped, and each line of 16 characters or more) is
    redacted the same way, since that is what the integration sends.

``IWB_RECORD=FILE``
    Record: every finished exchange is appended to the cassette FILE (created
    when missing, kept and extended when it exists — several validations and
    runs make one cassette; ``IWB_RECORD_FRESH=1`` starts it empty). The file
    is rewritten atomically at most every 0.25 s while calls go on and at
    exit (an ``os._exit`` may lose the calls of its last 0.25 s). Format and matching rules:
    ``iwb_host/cassette.py``. Failed calls are recorded with their error and
    replayed as the same kind of error.

``IWB_REPLAY=FILE`` [``IWB_REPLAY_STRICT=1``]
    Replay: connections are never opened; each request is redacted like a
    recorded one, matched (method, scheme, host, port, path, query as a
    multiset, body — JSON as JSON, forms as multisets) against FILE, and the
    recorded response is served from memory. Repeated requests get the
    recorded answers in order, then the last one again. An unrecorded request:
    strict — fails with ``iwb_host.exchange.NotRecordedError`` (a
    ConnectionError) "METHOD URL was not recorded in the cassette FILE ...",
    and any other network connection attempt fails the same way; lenient —
    goes to the network on a connection of its own and a line
    "iwb replay: METHOD URL was not recorded in FILE; sent to the network"
    goes to stderr. Events of replayed exchanges have ``"replayed": true``.

``IWB_HOST_SPEEDUPS=FOLDER`` or ``IWB_HOST_SPEEDUPS=0``
    Where the compiled accelerator ``_speedups`` (``_speedups.c``, built by
    meson for the workbench's interpreter) is looked for; unset: this
    package's folder (an installed tree has it there), ``0``: the Python
    hooks alone. It loads only into the interpreter it was built for (its
    file name carries that interpreter's ABI) and takes the common path of a
    call on an open connection; the events are the same either way. The
    workbench sets it to its build tree when it runs from there.

``IWB_HIDE_BUNDLED_SDK=1``
    The folder iwb_host was imported from is taken off ``sys.path`` before
    SHIM runs, so the interpreter's own ``lhub_integ`` (the real SDK) is used
    even when that folder (PYTHONPATH) also holds the bundled runtime.

``IWB_GATE=1``
    The workbench started the process ahead of the run (while it still reads
    the rows): before anything else, the launcher reads the line ``IWB-GO``
    from stdin and only then installs the hooks and runs SHIM (whose stdin
    goes on after that line). End of stdin instead: the run did not start,
    exit 0, nothing of the integration (or the cassette) is touched. Any
    other first line is a setup error.

Setup errors (unreadable or invalid cassette, IWB_RECORD with IWB_REPLAY,
a bad IWB_CAPTURE_BODY_LIMIT) print ``iwb_host: WHAT`` on stderr and exit 2
before the shim runs; a bad IWB_EVENTS_FD only turns events off (a note on
stderr). Usage errors exit 64.
"""
