/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb_host._speedups: the common path of the capture hooks, in C.
 *
 * An optional accelerator of iwb_host.hooks, built for the interpreter the
 * workbench was built with (hooks._load_speedups(): any other interpreter,
 * or a build without Python's headers, runs the Python hooks alone, with
 * the same events). Each C hook takes the path of a call on an open
 * connection (a request written with a target such as "/path", its header
 * block and body sent as bytes, its response read) and does there what the
 * Python hook does; every other case (the first request of a connection, a
 * connect in between, a str or file body, an exchange left open, a thread
 * threading does not know, any failure's bookkeeping) goes to the Python
 * hook itself, which stays the definition.
 *
 * The exchanges are iwb_host's Python objects (Exchange, BodyBuffer,
 * _ConnState, LastSeen: classes with __slots__), read and written through
 * their slots' offsets, as their member descriptors do. What this saves is
 * not so much the hooks' instructions as what they touch: called once per
 * request between the thousands of calls `requests` makes, the Python
 * hooks ran cold every time (their bytecode, frames and attribute lookups).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

typedef enum
{
  HOOK_PUTREQUEST,
  HOOK_ENDHEADERS,
  HOOK_SEND,
  HOOK_GETRESPONSE,
  HOOK_READ,
  HOOK_READINTO,
  HOOK_CLOSE,
} HookKind;

typedef struct
{
  PyObject_HEAD
  vectorcallfunc vectorcall;
  HookKind kind;
  PyObject *orig;       /* the method of http.client */
  PyObject *fallback;   /* the Python hook: every case the C path does not take */
  PyObject *name;
} Hook;

/* -- what configure() was given ------------------------------------------- */

static PyObject *g_host;             /* the Host */
static PyTypeObject *g_exchange;     /* iwb_host.exchange.Exchange */
static PyTypeObject *g_body;         /* iwb_host.body.BodyBuffer */
static PyTypeObject *g_state;        /* iwb_host.hooks._ConnState */
static PyObject *g_last;             /* host.last (a LastSeen) */
static PyObject *g_open;             /* host._open */
static PyObject *g_ids;              /* exchange._ids (itertools.count) */
static PyObject *g_threads;          /* threading._active */
static PyObject *g_compat32;         /* email's compat32 policy, or None */
static PyObject *g_request_limit;    /* host.request_limit */
static PyObject *g_response_limit;   /* host.response_limit */
static PyObject *g_iso_seconds;      /* exchange._iso_seconds */
static PyObject *g_flags[4];         /* report._FLAGS, by (reused, replayed) */
static PyObject *g_reused_timings;   /* report._REUSED_TIMINGS */
/* the line's fixed pieces */
static PyObject *lit_head, *lit_started, *lit_first_byte, *lit_total, *lit_close, *lit_empty;
static Py_ssize_t g_shared_body_max = 4096;
static unsigned long long g_made;    /* exchanges the C path made (made()) */
static Py_ssize_t g_max_queued = 1000;

/* Slot offsets, by class. */
#define EXCHANGE_SLOTS(X) \
  X (host) X (id) X (t0) X (wall) X (thread) X (thread_id) X (method) X (url) X (http_version) \
  X (_header_lines) X (_conn_buffer) X (_buffer_start) X (_req_headers) X (req_body) X (status) \
  X (reason) X (resp_version) X (_resp_raw) X (_resp_headers) X (resp_body) X (dns) X (connect) \
  X (tls) X (sent_ns) X (first_byte_ns) X (total_ns) X (reused) X (error) X (replayed) X (done) \
  X (incomplete)
#define BODY_SLOTS(X) X (limit) X (size) X (_parts) X (_kept)
#define STATE_SLOTS(X) X (current) X (header_block) X (send_depth) X (pending) X (url_host) X (url_prefix)
#define LAST_SLOTS(X) X (lines) X (raw) X (req) X (resp)

#define DECLARE_EX(n) static Py_ssize_t ex_##n;
#define DECLARE_BODY(n) static Py_ssize_t body_##n;
#define DECLARE_ST(n) static Py_ssize_t st_##n;
#define DECLARE_LAST(n) static Py_ssize_t last_##n;
EXCHANGE_SLOTS (DECLARE_EX)
BODY_SLOTS (DECLARE_BODY)
STATE_SLOTS (DECLARE_ST)
LAST_SLOTS (DECLARE_LAST)

#define SLOT(obj, off) (*(PyObject **) ((char *) (obj) + (off)))

/* Attribute names of other objects, interned once. */
#define NAMES(X) \
  X (_iwb_state) X (host) X (_http_vsn) X (_buffer) X (fail) X (finish) X (_iwb_ex) X (_iwb_depth) \
  X (fp) X (headers_sent) X (response) X (_writer_pid) X (pid) X (_pending) X (_woken) \
  X (_wake_writer) X (flush) X (_submit) X (append) X (pop) X (status) X (reason) X (msg) \
  X (version) X (length) X (_headers) X (policy) X (_name) X (__name__) X (incomplete) X (add) \
  X (_last_lines) X (_last_request_head) X (_bodies) X (_pid_part) X (_threads) X (_request_parts) \
  X (_last_raw) X (_last_response_head) X (_response_parts)
#define DECLARE_NAME(n) static PyObject *s_##n;
NAMES (DECLARE_NAME)

static PyObject *s_http11;   /* "HTTP/1.1" */
static PyObject *s_http10;   /* "HTTP/1.0" */
static PyObject *s_head;     /* "HEAD" */
static PyObject *i_0, *i_10, *i_11;
static PyObject *kw_incomplete;   /* ("incomplete",) */

/* Replaces a slot's value (a new reference to @value is kept). */
static inline void
slot_set (PyObject *obj, Py_ssize_t off, PyObject *value)
{
  PyObject **p = (PyObject **) ((char *) obj + off);
  PyObject *old = *p;

  Py_INCREF (value);
  *p = value;
  Py_XDECREF (old);
}

/* Steals @value (NULL: an error is set, nothing changes). */
static inline int
slot_take (PyObject *obj, Py_ssize_t off, PyObject *value)
{
  PyObject **p = (PyObject **) ((char *) obj + off);
  PyObject *old;

  if (value == NULL)
    return -1;
  old = *p;
  *p = value;
  Py_XDECREF (old);
  return 0;
}

/* A slot that must hold a value (__init__ set them all); NULL with an error otherwise. */
static inline PyObject *
slot_get (PyObject *obj, Py_ssize_t off, const char *name)
{
  PyObject *value = SLOT (obj, off);

  if (value == NULL)
    PyErr_Format (PyExc_AttributeError, "%s", name);
  return value;
}

#define EX_GET(ex, n) slot_get ((ex), ex_##n, #n)

static long long
monotonic_ns (void)
{
  struct timespec ts;

  /* time.perf_counter_ns() on Linux (hooks._load_speedups() checks it) */
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static PyObject *
wall_seconds (void)
{
  struct timespec ts;
  long long ns;

  /* time.time() */
  clock_gettime (CLOCK_REALTIME, &ts);
  ns = (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
  if (ns % 1000000000LL == 0)
    return PyFloat_FromDouble ((double) (ns / 1000000000LL));
  return PyFloat_FromDouble ((double) ns / 1e9);
}

static PyObject *
call_fallback (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  return PyObject_Vectorcall (h->fallback, args, nargsf, kwnames);
}

static PyObject *
call_orig (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  return PyObject_Vectorcall (h->orig, args, nargsf, kwnames);
}

/* An attribute, or NULL with no error set when it is missing. */
static PyObject *
get_optional (PyObject *obj, PyObject *name)
{
  PyObject *value = PyObject_GetAttr (obj, name);

  if (value == NULL && PyErr_ExceptionMatches (PyExc_AttributeError))
    PyErr_Clear ();
  return value;
}

/* @ex.@off = now - @ex.t0 */
static int
set_ns_since_start (PyObject *ex, Py_ssize_t off, long long now)
{
  PyObject *t0 = EX_GET (ex, t0);
  long long start;

  if (t0 == NULL)
    return -1;
  start = PyLong_AsLongLong (t0);
  if (start == -1 && PyErr_Occurred ())
    return -1;
  return slot_take (ex, off, PyLong_FromLongLong (now - start));
}

/* Exchange.request_sent() */
static int
request_sent (PyObject *ex)
{
  if (SLOT (ex, ex_sent_ns) != Py_None)
    return 0;
  return set_ns_since_start (ex, ex_sent_ns, monotonic_ns ());
}

/* BodyBuffer(@limit) */
static PyObject *
new_body (PyObject *limit)
{
  PyObject *buf = g_body->tp_alloc (g_body, 0);

  if (buf == NULL)
    return NULL;
  slot_set (buf, body_limit, limit);
  slot_set (buf, body_size, i_0);
  slot_set (buf, body__kept, i_0);
  if (slot_take (buf, body__parts, PyList_New (0)) < 0)
    {
      Py_DECREF (buf);
      return NULL;
    }
  return buf;
}

/* BodyBuffer.add(@data) */
static int
body_add (PyObject *buf, PyObject *data)
{
  Py_buffer view;
  PyObject *size, *limit, *parts, *kept, *chunk;
  Py_ssize_t n, keep;
  int rc = -1;

  if (!Py_IS_TYPE (buf, g_body))
    {
      PyObject *r = PyObject_CallMethodOneArg (buf, s_add, data);  /* not a BodyBuffer */

      Py_XDECREF (r);
      return r == NULL ? -1 : 0;
    }
  if (PyObject_GetBuffer (data, &view, PyBUF_SIMPLE) < 0)
    return -1;
  n = view.len;
  if (n == 0)
    {
      PyBuffer_Release (&view);
      return 0;
    }
  if ((size = slot_get (buf, body_size, "size")) == NULL ||
      (limit = slot_get (buf, body_limit, "limit")) == NULL ||
      (parts = slot_get (buf, body__parts, "_parts")) == NULL ||
      (kept = slot_get (buf, body__kept, "_kept")) == NULL)
    goto out;
  {
    Py_ssize_t s = PyLong_AsSsize_t (size), k = PyLong_AsSsize_t (kept);

    if ((s == -1 || k == -1) && PyErr_Occurred ())
      goto out;
    if (slot_take (buf, body_size, PyLong_FromSsize_t (s + n)) < 0)
      goto out;
    if (limit == Py_None)
      keep = n;
    else
      {
        Py_ssize_t lim = PyLong_AsSsize_t (limit);

        if (lim == -1 && PyErr_Occurred ())
          goto out;
        if (k >= lim)
          {
            rc = 0;
            goto out;
          }
        keep = lim - k < n ? lim - k : n;
      }
    if (keep == n && PyBytes_CheckExact (data))
      {
        Py_INCREF (data);
        chunk = data;
      }
    else if ((chunk = PyBytes_FromStringAndSize (view.buf, keep)) == NULL)
      goto out;
    rc = PyList_Append (parts, chunk);
    Py_DECREF (chunk);
    if (rc == 0)
      rc = slot_take (buf, body__kept, PyLong_FromSsize_t (k + keep));
  }
out:
  PyBuffer_Release (&view);
  return rc;
}

/* exchange._shared_body(buf, last): what the next body is compared with (borrowed) */
static PyObject *
shared_body (PyObject *buf, PyObject *last)
{
  PyObject *parts = SLOT (buf, body__parts);
  PyObject *part;
  int equal;

  if (parts == NULL || !PyList_CheckExact (parts) || PyList_GET_SIZE (parts) != 1)
    return last;
  part = PyList_GET_ITEM (parts, 0);
  if (!PyBytes_CheckExact (part) || PyBytes_GET_SIZE (part) > g_shared_body_max)
    return last;
  if (part == last)
    return last;
  equal = PyObject_RichCompareBool (part, last, Py_EQ);
  if (equal < 0)
    return NULL;
  if (equal)
    {
      Py_INCREF (last);
      PyList_SET_ITEM (parts, 0, last);
      Py_DECREF (part);
      return last;
    }
  return part;
}

/* One piece of exchange._share(): @ex's piece takes @last's when equal, else
 * becomes @last's. */
static int
share_piece (PyObject *ex, Py_ssize_t ex_off, Py_ssize_t last_off, int when_truthy)
{
  PyObject *mine = SLOT (ex, ex_off);
  PyObject *theirs = SLOT (g_last, last_off);
  int skip, equal;

  if (mine == NULL || theirs == NULL)
    return 0;
  if (when_truthy)
    {
      skip = PyObject_Not (mine);
      if (skip < 0)
        return -1;
    }
  else
    skip = mine == Py_None;
  if (skip || mine == theirs)
    return 0;
  equal = PyObject_RichCompareBool (mine, theirs, Py_EQ);
  if (equal < 0)
    return -1;
  if (equal)
    slot_set (ex, ex_off, theirs);
  else
    slot_set (g_last, last_off, mine);
  return 0;
}

static int
share_body (PyObject *ex, Py_ssize_t ex_off, Py_ssize_t last_off)
{
  PyObject *buf = SLOT (ex, ex_off);
  PyObject *previous = SLOT (g_last, last_off);
  PyObject *next;

  if (buf == NULL || buf == Py_None || previous == NULL)
    return 0;
  if (!Py_IS_TYPE (buf, g_body))
    return 0;
  next = shared_body (buf, previous);
  if (next == NULL)
    return -1;
  if (next != previous)
    slot_set (g_last, last_off, next);
  return 0;
}

/* exchange._share(ex, host.last) */
static int
share (PyObject *ex)
{
  if (share_piece (ex, ex__header_lines, last_lines, 0) < 0 ||
      share_piece (ex, ex__resp_raw, last_raw, 1) < 0 ||
      share_body (ex, ex_req_body, last_req) < 0 ||
      share_body (ex, ex_resp_body, last_resp) < 0)
    return -1;
  return 0;
}

/* Host.exchange_done(ex) */
static int
exchange_done (PyObject *ex)
{
  PyObject *id = EX_GET (ex, id);
  PyObject *writer_pid = NULL, *pid = NULL, *queue = NULL, *r;
  int same, woken, rc = -1;

  if (id == NULL)
    return -1;
  if (PyDict_CheckExact (g_open))
    {
      if (PyDict_DelItem (g_open, id) < 0)
        {
          if (!PyErr_ExceptionMatches (PyExc_KeyError))
            return -1;
          PyErr_Clear ();
        }
    }
  else if ((r = PyObject_CallMethodObjArgs (g_open, s_pop, id, Py_None, NULL)) == NULL)
    return -1;
  else
    Py_DECREF (r);
  if ((writer_pid = PyObject_GetAttr (g_host, s__writer_pid)) == NULL ||
      (pid = PyObject_GetAttr (g_host, s_pid)) == NULL)
    goto out;
  same = PyObject_RichCompareBool (writer_pid, pid, Py_EQ);
  if (same < 0)
    goto out;
  if (!same)
    {
      r = PyObject_CallMethodOneArg (g_host, s__submit, ex);
      Py_XDECREF (r);
      rc = r == NULL ? -1 : 0;
      goto out;
    }
  if ((queue = PyObject_GetAttr (g_host, s__pending)) == NULL)
    goto out;
  r = PyObject_CallMethodOneArg (queue, s_append, ex);
  if (r == NULL)
    goto out;
  Py_DECREF (r);
  {
    PyObject *w = PyObject_GetAttr (g_host, s__woken);

    if (w == NULL)
      goto out;
    woken = PyObject_IsTrue (w);
    Py_DECREF (w);
  }
  if (woken < 0)
    goto out;
  if (!woken)
    {
      r = PyObject_CallMethodNoArgs (g_host, s__wake_writer);
      if (r == NULL)
        goto out;
      Py_DECREF (r);
    }
  {
    Py_ssize_t queued = PyObject_Length (queue);

    if (queued < 0)
      goto out;
    if (queued > g_max_queued)
      {
        r = PyObject_CallMethodNoArgs (g_host, s_flush);
        if (r == NULL)
          goto out;
        Py_DECREF (r);
      }
  }
  rc = 0;
out:
  Py_XDECREF (writer_pid);
  Py_XDECREF (pid);
  Py_XDECREF (queue);
  return rc;
}

/* Exchange.finish() (complete) */
static int
finish (PyObject *ex)
{
  if (SLOT (ex, ex_done) == Py_True)
    return 0;
  slot_set (ex, ex_done, Py_True);
  slot_set (ex, ex_incomplete, Py_False);
  if (set_ns_since_start (ex, ex_total_ns, monotonic_ns ()) < 0)
    return -1;
  if (SLOT (ex, ex__header_lines) == Py_None)
    {
      PyObject *r = PyObject_CallMethodNoArgs (ex, s_headers_sent);

      if (r == NULL)
        return -1;
      Py_DECREF (r);
    }
  if (share (ex) < 0)
    return -1;
  return exchange_done (ex);
}

/* The Python hooks' `except BaseException as e: ex.fail(e); [st.current = None;] raise`:
 * called with the exception set, returns NULL with it set again. */
static PyObject *
failed (PyObject *ex, PyObject *st)
{
  PyObject *type, *value, *tb, *r;

  PyErr_Fetch (&type, &value, &tb);
  PyErr_NormalizeException (&type, &value, &tb);
  if (tb != NULL && value != NULL)
    PyException_SetTraceback (value, tb);
  r = PyObject_CallMethodOneArg (ex, s_fail, value != NULL ? value : Py_None);
  if (r == NULL)
    {
      /* as in Python: the hook's own error, with the call's as its context */
      PyObject *t2, *v2, *tb2;

      PyErr_Fetch (&t2, &v2, &tb2);
      PyErr_NormalizeException (&t2, &v2, &tb2);
      if (v2 != NULL && value != NULL)
        {
          Py_INCREF (value);
          PyException_SetContext (v2, value);
        }
      Py_XDECREF (type);
      Py_XDECREF (value);
      Py_XDECREF (tb);
      PyErr_Restore (t2, v2, tb2);
      return NULL;
    }
  Py_DECREF (r);
  if (st != NULL)
    slot_set (st, st_current, Py_None);
  PyErr_Restore (type, value, tb);
  return NULL;
}

/* The connection's state (borrowed from the connection's attribute, held by
 * @owned) when it is one of ours: 1; 0 when there is none (or not ours). */
static int
conn_state (PyObject *conn, PyObject **owned)
{
  PyObject *st = PyObject_GetAttr (conn, s__iwb_state);

  *owned = NULL;
  if (st == NULL)
    return -1;
  if (!Py_IS_TYPE (st, g_state))
    {
      Py_DECREF (st);
      return 0;
    }
  *owned = st;
  return 1;
}

/* The exchange in progress on @st (borrowed), or NULL: none, or done. */
static PyObject *
exchange_in_progress (PyObject *st)
{
  PyObject *ex = SLOT (st, st_current);

  if (ex == NULL || ex == Py_None || !Py_IS_TYPE (ex, g_exchange) || SLOT (ex, ex_done) != Py_False)
    return NULL;
  return ex;
}

/* Exchange(host, method, url): NULL with no error when threading does not
 * know the calling thread (the Python hook makes it then). */
static PyObject *
new_exchange (PyObject *method, PyObject *url)
{
  PyObject *ident, *thread, *name, *ex, *id, *t0;

  ident = PyLong_FromUnsignedLong (PyThread_get_thread_ident ());
  if (ident == NULL)
    return NULL;
  thread = PyDict_GetItemWithError (g_threads, ident);   /* threading.current_thread() */
  if (thread == NULL || (name = get_optional (thread, s__name)) == NULL)
    {
      Py_DECREF (ident);
      return NULL;
    }
  ex = g_exchange->tp_alloc (g_exchange, 0);
  id = ex != NULL ? PyIter_Next (g_ids) : NULL;
  t0 = id != NULL ? PyLong_FromLongLong (monotonic_ns ()) : NULL;
  if (t0 == NULL)
    {
      if (!PyErr_Occurred ())
        PyErr_SetString (PyExc_RuntimeError, "the exchange ids ran out");
      Py_XDECREF (id);
      Py_XDECREF (ex);
      Py_DECREF (name);
      Py_DECREF (ident);
      return NULL;
    }
  g_made++;
  /* exactly as Exchange.__init__ (test_iwb_host_speedups compares the two) */
  slot_set (ex, ex_host, g_host);
  slot_take (ex, ex_id, id);
  slot_take (ex, ex_t0, t0);
  slot_take (ex, ex_thread, name);
  slot_take (ex, ex_thread_id, ident);
  slot_set (ex, ex_method, method);
  slot_set (ex, ex_url, url);
  slot_set (ex, ex_http_version, Py_None);
  slot_set (ex, ex__conn_buffer, Py_None);
  slot_set (ex, ex__buffer_start, i_0);
  slot_set (ex, ex__header_lines, Py_None);
  slot_set (ex, ex__req_headers, Py_None);
  slot_set (ex, ex_status, Py_None);
  slot_set (ex, ex_reason, Py_None);
  slot_set (ex, ex_resp_version, Py_None);
  slot_set (ex, ex__resp_raw, Py_None);
  slot_set (ex, ex_resp_body, Py_None);
  slot_set (ex, ex_dns, Py_None);
  slot_set (ex, ex_connect, Py_None);
  slot_set (ex, ex_tls, Py_None);
  slot_set (ex, ex_sent_ns, Py_None);
  slot_set (ex, ex_first_byte_ns, Py_None);
  slot_set (ex, ex_total_ns, Py_None);
  slot_set (ex, ex_reused, Py_True);
  slot_set (ex, ex_error, Py_None);
  slot_set (ex, ex_replayed, Py_False);
  slot_set (ex, ex_done, Py_False);
  slot_set (ex, ex_incomplete, Py_False);
  if (slot_take (ex, ex_wall, wall_seconds ()) < 0 ||
      slot_take (ex, ex__resp_headers, PyList_New (0)) < 0 ||
      slot_take (ex, ex_req_body, new_body (g_request_limit)) < 0)
    {
      Py_DECREF (ex);
      return NULL;
    }
  return ex;
}

static PyObject *
hook_putrequest (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  PyObject *conn, *method, *url, *st, *cur, *prefix, *url_host, *conn_host, *full, *ex;
  PyObject *vsn, *buffer, *result = NULL;
  int ours, eleven;

  if (PyVectorcall_NARGS (nargsf) < 3)
    return call_fallback (h, args, nargsf, kwnames);
  conn = args[0];
  method = args[1];
  url = args[2];
  if (!PyUnicode_CheckExact (url) || PyUnicode_GET_LENGTH (url) == 0 ||
      PyUnicode_READ_CHAR (url, 0) != '/')
    return call_fallback (h, args, nargsf, kwnames);
  ours = conn_state (conn, &st);
  if (ours <= 0)
    return ours < 0 ? NULL : call_fallback (h, args, nargsf, kwnames);
  /* The common case: no exchange left open, nothing pending from a connect,
   * and the URL prefix of the connection's host known. */
  cur = SLOT (st, st_current);
  prefix = SLOT (st, st_url_prefix);
  url_host = SLOT (st, st_url_host);
  if (cur == NULL || prefix == NULL || url_host == NULL || SLOT (st, st_pending) != Py_None ||
      !PyUnicode_CheckExact (prefix) ||
      (cur != Py_None && (!Py_IS_TYPE (cur, g_exchange) || SLOT (cur, ex_done) != Py_True)))
    goto fallback;
  conn_host = PyObject_GetAttr (conn, s_host);
  if (conn_host == NULL)
    goto out;
  Py_DECREF (conn_host);    /* still held by the connection: only its identity counts */
  if (conn_host != url_host)
    goto fallback;
  if ((full = PyUnicode_Concat (prefix, url)) == NULL)
    goto out;
  ex = new_exchange (method, full);
  Py_DECREF (full);
  if (ex == NULL)
    {
      if (PyErr_Occurred ())
        goto out;
      goto fallback;
    }
  vsn = get_optional (conn, s__http_vsn);
  if (vsn == NULL && PyErr_Occurred ())
    goto out_ex;
  eleven = vsn == NULL ? 1 : PyObject_RichCompareBool (vsn, i_11, Py_EQ);
  Py_XDECREF (vsn);
  if (eleven < 0)
    goto out_ex;
  slot_set (ex, ex_http_version, eleven ? s_http11 : s_http10);
  buffer = get_optional (conn, s__buffer);
  if (buffer == NULL && PyErr_Occurred ())
    goto out_ex;
  if (buffer != NULL && buffer != Py_None)
    {
      Py_ssize_t len = PyObject_Length (buffer);

      if (len < 0 || slot_take (ex, ex__buffer_start, PyLong_FromSsize_t (len)) < 0)
        {
          Py_DECREF (buffer);
          goto out_ex;
        }
      slot_set (ex, ex__conn_buffer, buffer);
    }
  Py_XDECREF (buffer);
  slot_set (st, st_current, ex);
  slot_set (st, st_header_block, Py_False);
  /* Host.exchange_started(ex) */
  if (PyObject_SetItem (g_open, SLOT (ex, ex_id), ex) < 0)
    goto out_ex;
  result = call_orig (h, args, nargsf, kwnames);
  if (result == NULL)
    failed (ex, st);
out_ex:
  Py_DECREF (ex);
out:
  Py_DECREF (st);
  return result;
fallback:
  Py_DECREF (st);
  return call_fallback (h, args, nargsf, kwnames);
}

/* Exchange.headers_sent() */
static int
headers_sent (PyObject *ex)
{
  PyObject *buffer = SLOT (ex, ex__conn_buffer);
  PyObject *start;
  Py_ssize_t from;

  if (buffer == NULL || buffer == Py_None)
    return 0;
  if ((start = EX_GET (ex, _buffer_start)) == NULL)
    return -1;
  from = PyLong_AsSsize_t (start);
  if (from == -1 && PyErr_Occurred ())
    return -1;
  if (slot_take (ex, ex__header_lines, PySequence_GetSlice (buffer, from + 1, PY_SSIZE_T_MAX)) < 0)
    return -1;
  slot_set (ex, ex__conn_buffer, Py_None);
  return 0;
}

/* What endheaders, send and getresponse do first, as their Python hooks do:
 * no state of ours on the connection (args[0]) -> the Python hook; no
 * exchange in progress -> the original method. Either way *@result is what
 * the call returns (NULL with an error) and 0 is returned. Otherwise 1, with
 * new references to the state in *@st and the exchange in *@ex. */
static int
exchange_call (Hook              *h,
               PyObject *const   *args,
               size_t             nargsf,
               PyObject          *kwnames,
               PyObject         **st,
               PyObject         **ex,
               PyObject         **result)
{
  int ours = conn_state (args[0], st);

  *ex = NULL;
  *result = NULL;
  if (ours <= 0)
    {
      if (ours == 0)
        *result = call_fallback (h, args, nargsf, kwnames);
      return 0;
    }
  *ex = exchange_in_progress (*st);
  if (*ex == NULL)
    {
      Py_CLEAR (*st);
      *result = call_orig (h, args, nargsf, kwnames);
      return 0;
    }
  Py_INCREF (*ex);
  return 1;
}

static PyObject *
hook_endheaders (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  PyObject *st, *ex, *result;

  if (PyVectorcall_NARGS (nargsf) < 1)
    return call_fallback (h, args, nargsf, kwnames);
  if (!exchange_call (h, args, nargsf, kwnames, &st, &ex, &result))
    return result;
  slot_set (st, st_header_block, Py_True);
  if (headers_sent (ex) < 0)
    goto out;
  result = call_orig (h, args, nargsf, kwnames);
  slot_set (st, st_header_block, Py_False);
  if (result == NULL)
    failed (ex, st);
  else if (request_sent (ex) < 0)
    Py_CLEAR (result);
out:
  Py_DECREF (ex);
  Py_DECREF (st);
  return result;
}

static int
add_send_depth (PyObject *st, long delta)
{
  PyObject *depth = slot_get (st, st_send_depth, "send_depth");
  long d;

  if (depth == NULL)
    return -1;
  d = PyLong_AsLong (depth);
  if (d == -1 && PyErr_Occurred ())
    return -1;
  return slot_take (st, st_send_depth, PyLong_FromLong (d + delta));
}

static PyObject *
hook_send (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  PyObject *st, *ex, *data, *body, *depth, *result;
  int nested;

  /* bytes only: a str is encoded, a file-like body read as it is sent (in Python) */
  if (PyVectorcall_NARGS (nargsf) != 2 || kwnames != NULL || !PyBytes_CheckExact (args[1]))
    return call_fallback (h, args, nargsf, kwnames);
  data = args[1];
  if (!exchange_call (h, args, nargsf, kwnames, &st, &ex, &result))
    return result;
  /* inside a send of ours (a body sent piece by piece): the original */
  depth = SLOT (st, st_send_depth);
  nested = depth == NULL ? 1 : PyObject_IsTrue (depth);
  if (nested != 0)
    {
      if (nested > 0)
        result = call_orig (h, args, nargsf, kwnames);
      goto out;
    }
  if (add_send_depth (st, 1) < 0)
    goto out;
  body = SLOT (ex, ex_req_body);
  if (body == NULL || !Py_IS_TYPE (body, g_body))
    {
      PyErr_SetString (PyExc_TypeError, "the exchange's request body is not a BodyBuffer");
      failed (ex, st);
      goto out_depth;
    }
  if (SLOT (st, st_header_block) == Py_True)
    {
      /* the header block (its lines were taken at endheaders): only what may
       * follow its blank line is body */
      const char *bytes = PyBytes_AS_STRING (data);
      Py_ssize_t len = PyBytes_GET_SIZE (data);
      const char *blank = len >= 4 ? memmem (bytes, (size_t) len, "\r\n\r\n", 4) : NULL;

      slot_set (st, st_header_block, Py_False);
      if (blank != NULL && blank + 4 < bytes + len)
        {
          PyObject *rest = PyBytes_FromStringAndSize (blank + 4, bytes + len - (blank + 4));

          if (rest == NULL || body_add (body, rest) < 0)
            {
              Py_XDECREF (rest);
              failed (ex, st);
              goto out_depth;
            }
          Py_DECREF (rest);
        }
    }
  else if (body_add (body, data) < 0)
    {
      failed (ex, st);
      goto out_depth;
    }
  result = call_orig (h, args, nargsf, kwnames);
  if (result == NULL)
    failed (ex, st);
out_depth:
  {
    PyObject *type, *value, *tb;

    PyErr_Fetch (&type, &value, &tb);
    if (add_send_depth (st, -1) < 0)
      {
        if (type != NULL)
          PyErr_Clear ();
        else
          {
            Py_CLEAR (result);
            PyErr_Fetch (&type, &value, &tb);
          }
      }
    PyErr_Restore (type, value, tb);
  }
out:
  Py_DECREF (ex);
  Py_DECREF (st);
  return result;
}

/* Exchange.response(status, reason, version, msg); -1 when the message is
 * not one of http.client's (the Python method does it then) */
static int
response_fast (PyObject *ex, PyObject *status, PyObject *reason, PyObject *version, PyObject *msg)
{
  PyObject *raw, *policy;
  PyObject *first;

  raw = get_optional (msg, s__headers);
  if (raw == NULL && PyErr_Occurred ())
    return -2;
  policy = raw != NULL ? get_optional (msg, s_policy) : NULL;
  if (policy == NULL && PyErr_Occurred ())
    {
      Py_XDECREF (raw);
      return -2;
    }
  if (raw == NULL || !PyList_CheckExact (raw) || policy == NULL || policy != g_compat32)
    {
      Py_XDECREF (raw);
      Py_XDECREF (policy);
      return -1;
    }
  Py_DECREF (policy);
  if (set_ns_since_start (ex, ex_first_byte_ns, monotonic_ns ()) < 0)
    {
      Py_DECREF (raw);
      return -2;
    }
  first = SLOT (ex, ex_first_byte_ns);
  if (SLOT (ex, ex_sent_ns) == Py_None)
    slot_set (ex, ex_sent_ns, first);
  slot_set (ex, ex_status, status);
  slot_set (ex, ex_reason, reason);
  slot_set (ex, ex_resp_version, version);
  slot_take (ex, ex__resp_raw, raw);
  slot_set (ex, ex__resp_headers, Py_None);
  return slot_take (ex, ex_resp_body, new_body (g_response_limit)) < 0 ? -2 : 0;
}

static PyObject *
hook_getresponse (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  PyObject *st, *ex, *response, *version, *status = NULL, *reason = NULL, *msg = NULL;
  PyObject *fp = NULL, *length = NULL, *vstr;
  int ten, at_end, rc;
  long code;

  /* getresponse(self) only: urllib3 1.26 tries getresponse(buffering=True)
   * first and relies on the TypeError, which the Python hook raises */
  if (PyVectorcall_NARGS (nargsf) != 1 || kwnames != NULL)
    return call_fallback (h, args, nargsf, kwnames);
  if (!exchange_call (h, args, nargsf, kwnames, &st, &ex, &response))
    return response;
  if (request_sent (ex) < 0)
    goto out;
  response = call_orig (h, args, nargsf, kwnames);
  if (response == NULL)
    {
      failed (ex, st);
      goto out;
    }
  slot_set (st, st_current, Py_None);
  version = get_optional (response, s_version);
  if (version == NULL && PyErr_Occurred ())
    goto error;
  ten = version != NULL ? PyObject_RichCompareBool (version, i_10, Py_EQ) : 0;
  Py_XDECREF (version);
  if (ten < 0)
    goto error;
  vstr = ten ? s_http10 : s_http11;
  if ((status = PyObject_GetAttr (response, s_status)) == NULL ||
      (reason = PyObject_GetAttr (response, s_reason)) == NULL ||
      (msg = PyObject_GetAttr (response, s_msg)) == NULL)
    goto error;
  rc = response_fast (ex, status, reason, vstr, msg);
  if (rc == -2)
    goto error;
  if (rc == -1)
    {
      PyObject *margs[5] = { ex, status, reason, vstr, msg };
      PyObject *r = PyObject_VectorcallMethod (s_response, margs, 5 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);

      if (r == NULL)
        goto error;
      Py_DECREF (r);
    }
  if ((fp = PyObject_GetAttr (response, s_fp)) == NULL ||
      (length = PyObject_GetAttr (response, s_length)) == NULL)
    goto error;
  /* http.client's status is an int; anything else is none of these */
  code = PyLong_Check (status) ? PyLong_AsLong (status) : 0;
  if (code == -1 && PyErr_Occurred ())
    PyErr_Clear ();
  at_end = fp == Py_None || (PyLong_Check (length) && PyObject_RichCompareBool (length, i_0, Py_EQ) == 1) ||
           code == 204 || code == 304 || (code >= 100 && code < 200);
  if (!at_end)
    {
      PyObject *method = EX_GET (ex, method);

      if (method == NULL || (at_end = PyObject_RichCompareBool (method, s_head, Py_EQ)) < 0)
        goto error;
    }
  if (at_end ? finish (ex) < 0 : PyObject_SetAttr (response, s__iwb_ex, ex) < 0)
    goto error;
  goto out;
error:
  Py_CLEAR (response);
out:
  Py_XDECREF (status);
  Py_XDECREF (reason);
  Py_XDECREF (msg);
  Py_XDECREF (fp);
  Py_XDECREF (length);
  Py_DECREF (ex);
  Py_DECREF (st);
  return response;
}

static PyObject *
hook_read (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  Py_ssize_t nargs = PyVectorcall_NARGS (nargsf);
  PyObject *resp, *ex, *depth, *result, *body, *fp;
  int rc = 0;

  /* readinto(b) with b positional; b=... in Python */
  if (nargs < 1 || (h->kind == HOOK_READINTO && (nargs != 2 || kwnames != NULL)))
    return call_fallback (h, args, nargsf, kwnames);
  resp = args[0];
  if ((ex = PyObject_GetAttr (resp, s__iwb_ex)) == NULL)
    return NULL;
  if (ex == Py_None || (Py_IS_TYPE (ex, g_exchange) && SLOT (ex, ex_done) == Py_True))
    {
      Py_DECREF (ex);
      return call_orig (h, args, nargsf, kwnames);
    }
  if (!Py_IS_TYPE (ex, g_exchange) || SLOT (ex, ex_done) != Py_False)
    {
      Py_DECREF (ex);
      return call_fallback (h, args, nargsf, kwnames);
    }
  if ((depth = PyObject_GetAttr (resp, s__iwb_depth)) == NULL)
    {
      Py_DECREF (ex);
      return NULL;
    }
  Py_DECREF (depth);
  if (depth != Py_False)
    {
      Py_DECREF (ex);
      return depth == Py_True ? call_orig (h, args, nargsf, kwnames) : call_fallback (h, args, nargsf, kwnames);
    }
  if (PyObject_SetAttr (resp, s__iwb_depth, Py_True) < 0)
    {
      Py_DECREF (ex);
      return NULL;
    }
  result = call_orig (h, args, nargsf, kwnames);
  if (result == NULL)
    {
      PyObject *type, *value, *tb;

      PyErr_Fetch (&type, &value, &tb);
      if (PyObject_SetAttr (resp, s__iwb_depth, Py_False) < 0)
        PyErr_Clear ();
      PyErr_Restore (type, value, tb);
      failed (ex, NULL);
      Py_DECREF (ex);
      return NULL;
    }
  if (PyObject_SetAttr (resp, s__iwb_depth, Py_False) < 0)
    goto error;
  body = SLOT (ex, ex_resp_body);
  if (body == NULL)
    {
      PyErr_SetString (PyExc_AttributeError, "resp_body");
      goto error;
    }
  if (h->kind == HOOK_READINTO)
    {
      Py_ssize_t n = PyLong_Check (result) ? PyLong_AsSsize_t (result) : 0;

      if (n == -1 && PyErr_Occurred ())
        goto error;
      if (n > 0)
        {
          PyObject *view = PyMemoryView_FromObject (args[1]);
          PyObject *part = view != NULL ? PySequence_GetSlice (view, 0, n) : NULL;

          rc = part != NULL ? body_add (body, part) : -1;
          Py_XDECREF (part);
          Py_XDECREF (view);
        }
    }
  else
    {
      int some = PyObject_IsTrue (result);

      rc = some < 0 ? -1 : some ? body_add (body, result) : 0;
    }
  if (rc < 0 || (fp = PyObject_GetAttr (resp, s_fp)) == NULL)
    goto error;
  Py_DECREF (fp);
  if (fp == Py_None && finish (ex) < 0)
    goto error;
  Py_DECREF (ex);
  return result;
error:
  Py_DECREF (ex);
  Py_DECREF (result);
  return NULL;
}

static PyObject *
hook_close (Hook *h, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  PyObject *result, *type, *value, *tb, *ex;

  if (PyVectorcall_NARGS (nargsf) != 1 || kwnames != NULL)
    return call_fallback (h, args, nargsf, kwnames);
  result = call_orig (h, args, nargsf, kwnames);
  /* finally: an exchange whose response was not read to its end */
  PyErr_Fetch (&type, &value, &tb);
  ex = PyObject_GetAttr (args[0], s__iwb_ex);
  if (ex != NULL && ex != Py_None &&
      !(Py_IS_TYPE (ex, g_exchange) && SLOT (ex, ex_done) == Py_True))
    {
      PyObject *margs[2] = { ex, Py_True };
      PyObject *r = PyObject_VectorcallMethod (s_finish, margs, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                               kw_incomplete);

      if (r == NULL)
        {
          Py_XDECREF (type);
          Py_XDECREF (value);
          Py_XDECREF (tb);
          Py_XDECREF (result);
          Py_DECREF (ex);
          return NULL;
        }
      Py_DECREF (r);
    }
  if (ex == NULL)
    {
      Py_XDECREF (type);
      Py_XDECREF (value);
      Py_XDECREF (tb);
      Py_XDECREF (result);
      return NULL;
    }
  Py_DECREF (ex);
  PyErr_Restore (type, value, tb);
  return result;
}

static PyObject *
hook_vectorcall (PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  Hook *h = (Hook *) callable;

  if (g_host == NULL)
    return call_fallback (h, args, nargsf, kwnames);
  switch (h->kind)
    {
    case HOOK_PUTREQUEST:
      return hook_putrequest (h, args, nargsf, kwnames);
    case HOOK_ENDHEADERS:
      return hook_endheaders (h, args, nargsf, kwnames);
    case HOOK_SEND:
      return hook_send (h, args, nargsf, kwnames);
    case HOOK_GETRESPONSE:
      return hook_getresponse (h, args, nargsf, kwnames);
    case HOOK_READ:
    case HOOK_READINTO:
      return hook_read (h, args, nargsf, kwnames);
    case HOOK_CLOSE:
      return hook_close (h, args, nargsf, kwnames);
    default:
      return call_fallback (h, args, nargsf, kwnames);
    }
}

static PyObject *
hook_descr_get (PyObject *self, PyObject *obj, PyObject *type)
{
  if (obj == NULL)
    {
      Py_INCREF (self);
      return self;
    }
  return PyMethod_New (self, obj);
}

static int
hook_traverse (Hook *h, visitproc visit, void *arg)
{
  Py_VISIT (h->orig);
  Py_VISIT (h->fallback);
  return 0;
}

static int
hook_clear (Hook *h)
{
  Py_CLEAR (h->orig);
  Py_CLEAR (h->fallback);
  Py_CLEAR (h->name);
  return 0;
}

static void
hook_dealloc (Hook *h)
{
  PyObject_GC_UnTrack (h);
  hook_clear (h);
  PyObject_GC_Del (h);
}

static PyObject *
hook_repr (Hook *h)
{
  return PyUnicode_FromFormat ("<iwb_host capture hook %S>", h->name);
}

static PyObject *
hook_get_wrapped (Hook *h, void *closure)
{
  Py_INCREF (h->orig);
  return h->orig;
}

static PyObject *
hook_get_name (Hook *h, void *closure)
{
  Py_INCREF (h->name);
  return h->name;
}

static PyGetSetDef hook_getset[] = {
  { "__wrapped__", (getter) hook_get_wrapped, NULL, "the method of http.client", NULL },
  { "__name__", (getter) hook_get_name, NULL, NULL, NULL },
  { NULL },
};

static PyTypeObject HookType = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "iwb_host._speedups.Hook",
  .tp_basicsize = sizeof (Hook),
  .tp_dealloc = (destructor) hook_dealloc,
  .tp_vectorcall_offset = offsetof (Hook, vectorcall),
  .tp_call = PyVectorcall_Call,
  .tp_repr = (reprfunc) hook_repr,
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
              Py_TPFLAGS_METHOD_DESCRIPTOR,
  .tp_traverse = (traverseproc) hook_traverse,
  .tp_clear = (inquiry) hook_clear,
  .tp_descr_get = hook_descr_get,
  .tp_getset = hook_getset,
};

static const char *const kind_names[] = {
  "putrequest", "endheaders", "send", "getresponse", "read", "readinto", "close", NULL,
};

static PyObject *
speedups_hook (PyObject *module, PyObject *args)
{
  const char *kind;
  PyObject *orig, *fallback;
  Hook *h;
  int k;

  if (!PyArg_ParseTuple (args, "sOO:hook", &kind, &orig, &fallback))
    return NULL;
  for (k = 0; kind_names[k] != NULL && strcmp (kind_names[k], kind) != 0; k++)
    ;
  if (kind_names[k] == NULL)
    return PyErr_Format (PyExc_ValueError, "no C hook for %s", kind);
  if (!PyCallable_Check (orig) || !PyCallable_Check (fallback))
    return PyErr_Format (PyExc_TypeError, "hook(): orig and fallback must be callable");
  h = PyObject_GC_New (Hook, &HookType);
  if (h == NULL)
    return NULL;
  h->vectorcall = hook_vectorcall;
  h->kind = (HookKind) k;
  Py_INCREF (orig);
  h->orig = orig;
  Py_INCREF (fallback);
  h->fallback = fallback;
  h->name = get_optional (fallback, s___name__);
  if (h->name == NULL && (PyErr_Occurred () || (h->name = PyUnicode_FromString (kind)) == NULL))
    {
      Py_DECREF (h);
      return NULL;
    }
  PyObject_GC_Track (h);
  return (PyObject *) h;
}

/* The offset of @type's slot @name (a member descriptor of an object slot). */
static int
slot_offset (PyTypeObject *type, const char *name, Py_ssize_t *offset)
{
  PyObject *descr = PyObject_GetAttrString ((PyObject *) type, name);
  PyMemberDef *member;

  if (descr == NULL)
    return -1;
  if (!Py_IS_TYPE (descr, &PyMemberDescr_Type))
    {
      PyErr_Format (PyExc_TypeError, "%s.%s is not a slot", type->tp_name, name);
      Py_DECREF (descr);
      return -1;
    }
  member = ((PyMemberDescrObject *) descr)->d_member;
  if (member->type != T_OBJECT_EX || (member->flags & READONLY))
    {
      PyErr_Format (PyExc_TypeError, "%s.%s is not a writable object slot", type->tp_name, name);
      Py_DECREF (descr);
      return -1;
    }
  *offset = member->offset;
  Py_DECREF (descr);
  return 0;
}

static int
keep_type (PyObject *obj, PyTypeObject **where)
{
  if (!PyType_Check (obj))
    {
      PyErr_SetString (PyExc_TypeError, "configure(): a class was expected");
      return -1;
    }
  Py_INCREF (obj);
  Py_XSETREF (*where, (PyTypeObject *) obj);
  return 0;
}

static void
keep (PyObject *obj, PyObject **where)
{
  Py_INCREF (obj);
  Py_XSETREF (*where, obj);
}

static PyObject *
speedups_configure (PyObject *module, PyObject *args)
{
  PyObject *host, *exchange, *body, *state, *ids, *threads, *compat32, *iso_seconds, *flags, *timings;
  PyObject *last, *open_, *request_limit, *response_limit;
  Py_ssize_t shared_body_max, max_queued;

  if (!PyArg_ParseTuple (args, "OOOOOO!OO!O!Unn:configure", &host, &exchange, &body, &state, &ids,
                         &PyDict_Type, &threads, &compat32, &PyDict_Type, &iso_seconds,
                         &PyTuple_Type, &flags, &timings, &shared_body_max, &max_queued))
    return NULL;
  if (PyTuple_GET_SIZE (flags) != 4)
    return PyErr_Format (PyExc_ValueError, "configure(): 4 flag texts were expected");
  for (int i = 0; i < 4; i++)
    {
      if (!PyUnicode_CheckExact (PyTuple_GET_ITEM (flags, i)))
        return PyErr_Format (PyExc_TypeError, "configure(): the flag texts are strings");
      keep (PyTuple_GET_ITEM (flags, i), &g_flags[i]);
    }
  keep (iso_seconds, &g_iso_seconds);
  keep (timings, &g_reused_timings);
  if (keep_type (exchange, &g_exchange) < 0 || keep_type (body, &g_body) < 0 ||
      keep_type (state, &g_state) < 0)
    return NULL;
#define OFFSET(type, prefix, n) if (slot_offset (type, #n, &prefix##_##n) < 0) return NULL;
#define OFFSET_EX(n) OFFSET (g_exchange, ex, n)
#define OFFSET_BODY(n) OFFSET (g_body, body, n)
#define OFFSET_ST(n) OFFSET (g_state, st, n)
  EXCHANGE_SLOTS (OFFSET_EX)
  BODY_SLOTS (OFFSET_BODY)
  STATE_SLOTS (OFFSET_ST)
  if ((last = PyObject_GetAttrString (host, "last")) == NULL)
    return NULL;
#define OFFSET_LAST(n) if (slot_offset (Py_TYPE (last), #n, &last_##n) < 0) { Py_DECREF (last); return NULL; }
  LAST_SLOTS (OFFSET_LAST)
  Py_XSETREF (g_last, last);
  if ((open_ = PyObject_GetAttrString (host, "_open")) == NULL)
    return NULL;
  Py_XSETREF (g_open, open_);
  if ((request_limit = PyObject_GetAttrString (host, "request_limit")) == NULL)
    return NULL;
  Py_XSETREF (g_request_limit, request_limit);
  if ((response_limit = PyObject_GetAttrString (host, "response_limit")) == NULL)
    return NULL;
  Py_XSETREF (g_response_limit, response_limit);
  keep (ids, &g_ids);
  keep (threads, &g_threads);
  keep (compat32, &g_compat32);
  g_shared_body_max = shared_body_max;
  g_max_queued = max_queued;
  keep (host, &g_host);
  Py_RETURN_NONE;
}

static PyObject *
speedups_new_exchange (PyObject *module, PyObject *args)
{
  PyObject *method, *url, *ex;

  if (!PyArg_ParseTuple (args, "UU:new_exchange", &method, &url))
    return NULL;
  if (g_host == NULL)
    return PyErr_Format (PyExc_RuntimeError, "new_exchange(): not configured");
  ex = new_exchange (method, url);
  if (ex == NULL && !PyErr_Occurred ())
    Py_RETURN_NONE;
  return ex;
}


/* -- the event line (the writer thread) ----------------------------------- */

/* The one part of a BodyBuffer as bytes (b"" for none), borrowed; NULL with no
 * error when it is kept in several parts or truncated (Python joins those). */
static PyObject *
body_bytes (PyObject *buf, PyObject *empty)
{
  PyObject *parts, *size, *kept;
  int truncated;

  if (buf == NULL || !Py_IS_TYPE (buf, g_body))
    return NULL;
  parts = SLOT (buf, body__parts);
  size = SLOT (buf, body_size);
  kept = SLOT (buf, body__kept);
  if (parts == NULL || size == NULL || kept == NULL || !PyList_CheckExact (parts))
    return NULL;
  truncated = PyObject_RichCompareBool (kept, size, Py_LT);
  if (truncated != 0)
    {
      if (truncated < 0)
        PyErr_Clear ();
      return NULL;
    }
  if (PyList_GET_SIZE (parts) == 0)
    return empty;
  if (PyList_GET_SIZE (parts) == 1 && PyBytes_CheckExact (PyList_GET_ITEM (parts, 0)))
    return PyList_GET_ITEM (parts, 0);
  return NULL;
}

/* @cache[(items...)] (borrowed), or NULL with no error when it is not there */
static PyObject *
cached (PyObject *cache, Py_ssize_t n, PyObject **items)
{
  PyObject *key, *value;

  if (cache == NULL || !PyDict_CheckExact (cache))
    return NULL;
  key = PyTuple_New (n);
  if (key == NULL)
    return NULL;
  for (Py_ssize_t i = 0; i < n; i++)
    {
      Py_INCREF (items[i]);
      PyTuple_SET_ITEM (key, i, items[i]);
    }
  value = PyDict_GetItemWithError (cache, key);
  Py_DECREF (key);
  return value;
}

/* report._ms_json(ns) as a new string, or NULL (with an error, or none when
 * @ns is no int: Python does it then) */
static PyObject *
ms_json (PyObject *ns)
{
  long long v, q;
  PyObject *f, *text;

  if (ns == Py_None)
    return PyUnicode_FromString ("null");
  if (!PyLong_CheckExact (ns))
    return NULL;
  v = PyLong_AsLongLong (ns);
  if (v == -1 && PyErr_Occurred ())
    {
      PyErr_Clear ();
      return NULL;
    }
  if (v < 0 || v > (1LL << 52))
    return NULL;
  q = (v + 500) / 1000;
  f = PyFloat_FromDouble ((double) q / 1000.0);
  if (f == NULL)
    return NULL;
  text = PyObject_Repr (f);
  Py_DECREF (f);
  return text;
}

/* exchange.iso_utc_ms(wall) between quotes, or NULL with no error when the
 * second is not in its cache yet (Python formats it then) */
static PyObject *
started_json (PyObject *wall)
{
  double w, whole, frac, us;
  long long seconds;
  PyObject *key, *prefix;

  if (!PyFloat_CheckExact (wall))
    return NULL;
  w = PyFloat_AS_DOUBLE (wall);
  frac = modf (w, &whole);
  us = nearbyint (frac * 1e6);     /* round(): half to even, as the FPU rounds by default */
  seconds = (long long) whole;
  if (us >= 1000000)
    {
      seconds++;
      us -= 1000000;
    }
  else if (us < 0)
    {
      seconds--;
      us += 1000000;
    }
  key = PyLong_FromLongLong (seconds);
  if (key == NULL)
    return NULL;
  prefix = PyDict_GetItemWithError (g_iso_seconds, key);
  Py_DECREF (key);
  if (prefix == NULL || !PyUnicode_CheckExact (prefix))
    return NULL;
  return PyUnicode_FromFormat ("\"%U.%03dZ\"", prefix, (int) ((long long) us / 1000));
}

/* EventLines.line(ex) when every piece of it is in the EventLines' caches (an
 * exchange like the one before it, without an error, on an open connection);
 * None otherwise, and EventLines.line() makes it (and fills the caches). */
static PyObject *
speedups_event_line (PyObject *module, PyObject *args)
{
  PyObject *lines, *ex, *empty = NULL, *result = NULL;
  PyObject *parts[20] = { NULL };
  PyObject *owned[5] = { NULL };
  Py_ssize_t n = 0;

  if (!PyArg_ParseTuple (args, "OO:event_line", &lines, &ex))
    return NULL;
  if (g_host == NULL || !Py_IS_TYPE (ex, g_exchange))
    Py_RETURN_NONE;
  {
    PyObject *last_lines = NULL, *head = NULL, *bodies = NULL, *pid_part = NULL, *threads = NULL;
    PyObject *request_parts = NULL, *last_raw = NULL, *rhead = NULL, *response_parts = NULL;
    PyObject *req_data, *req_size, *body_text, *key[6], *pid, *thread_part, *request_part;
    PyObject *started, *sent = NULL, *first = NULL, *total = NULL, *id_text = NULL, *flags;
    PyObject *response_part = NULL;
    PyObject *dns = SLOT (ex, ex_dns), *conn = SLOT (ex, ex_connect), *tls = SLOT (ex, ex_tls);
    PyObject *reused = SLOT (ex, ex_reused), *replayed = SLOT (ex, ex_replayed);
    PyObject *status = SLOT (ex, ex_status), *error = SLOT (ex, ex_error);
    PyObject *header_lines = SLOT (ex, ex__header_lines);
    int miss = 1;

    if (dns != Py_None || conn != Py_None || tls != Py_None || error != Py_None || header_lines == NULL ||
        header_lines == Py_None || reused == NULL || replayed == NULL || status == NULL)
      Py_RETURN_NONE;
    if ((last_lines = PyObject_GetAttr (lines, s__last_lines)) == NULL ||
        (head = PyObject_GetAttr (lines, s__last_request_head)) == NULL ||
        (bodies = PyObject_GetAttr (lines, s__bodies)) == NULL ||
        (pid_part = PyObject_GetAttr (lines, s__pid_part)) == NULL ||
        (threads = PyObject_GetAttr (lines, s__threads)) == NULL ||
        (request_parts = PyObject_GetAttr (lines, s__request_parts)) == NULL)
      goto done;
    empty = PyBytes_FromStringAndSize (NULL, 0);
    if (empty == NULL)
      goto done;
    /* the request: its header lines are the ones of the line before (shared) */
    if (last_lines != header_lines || !PyTuple_CheckExact (head) || PyTuple_GET_SIZE (head) != 3 ||
        PyTuple_GET_ITEM (head, 2) != Py_False)
      goto done;
    req_data = body_bytes (SLOT (ex, ex_req_body), empty);
    if (req_data == NULL)
      goto done;
    req_size = SLOT (SLOT (ex, ex_req_body), body_size);
    key[0] = req_data; key[1] = req_size; key[2] = PyTuple_GET_ITEM (head, 1); key[3] = Py_False;
    key[4] = Py_None; key[5] = Py_False;
    body_text = cached (bodies, 6, key);
    if (body_text == NULL)
      goto done;
    /* this process's pid and the thread, as written before */
    if (!PyTuple_CheckExact (pid_part) || PyTuple_GET_SIZE (pid_part) != 2)
      goto done;
    pid = PyObject_GetAttr (g_host, s_pid);
    if (pid == NULL)
      goto done;
    Py_DECREF (pid);      /* held by the host; compared by value */
    if (PyObject_RichCompareBool (PyTuple_GET_ITEM (pid_part, 0), pid, Py_EQ) != 1)
      goto done;
    key[0] = SLOT (ex, ex_thread);
    key[1] = SLOT (ex, ex_thread_id);
    if (key[0] == NULL || key[1] == NULL || (thread_part = cached (threads, 2, key)) == NULL)
      goto done;
    key[0] = SLOT (ex, ex_method);
    key[1] = SLOT (ex, ex_url);
    key[2] = SLOT (ex, ex_http_version);
    key[3] = PyTuple_GET_ITEM (head, 0);
    key[4] = body_text;
    if (key[0] == NULL || key[1] == NULL || key[2] == NULL ||
        (request_part = cached (request_parts, 5, key)) == NULL)
      goto done;
    if ((started = started_json (SLOT (ex, ex_wall))) == NULL)
      goto done;
    owned[0] = started;
    if ((sent = ms_json (SLOT (ex, ex_sent_ns))) == NULL ||
        (first = ms_json (SLOT (ex, ex_first_byte_ns))) == NULL ||
        (total = ms_json (SLOT (ex, ex_total_ns))) == NULL)
      goto done;
    owned[1] = sent;
    owned[2] = first;
    owned[3] = total;
    if ((id_text = PyObject_Repr (SLOT (ex, ex_id))) == NULL)
      goto done;
    owned[4] = id_text;
    flags = g_flags[(reused == Py_True ? 0 : 2) + (replayed == Py_True ? 1 : 0)];
    /* the response: its headers are the ones of the line before (shared), and no
     * content encoding to decode */
    if (status != Py_None)
      {
        PyObject *resp_data, *resp_size, *resp_body = SLOT (ex, ex_resp_body);
        PyObject *raw = SLOT (ex, ex__resp_raw), *incomplete = SLOT (ex, ex_incomplete);

        if ((last_raw = PyObject_GetAttr (lines, s__last_raw)) == NULL ||
            (rhead = PyObject_GetAttr (lines, s__last_response_head)) == NULL ||
            (response_parts = PyObject_GetAttr (lines, s__response_parts)) == NULL)
          goto done;
        if (raw == NULL || raw == Py_None || raw != last_raw || !PyTuple_CheckExact (rhead) ||
            PyTuple_GET_SIZE (rhead) != 3 || PyObject_IsTrue (PyTuple_GET_ITEM (rhead, 2)) != 0 ||
            incomplete == NULL)
          goto done;
        resp_data = body_bytes (resp_body, empty);
        if (resp_data == NULL)
          goto done;
        resp_size = SLOT (resp_body, body_size);
        key[0] = resp_data; key[1] = resp_size; key[2] = PyTuple_GET_ITEM (rhead, 1); key[3] = Py_False;
        key[4] = Py_None; key[5] = incomplete;
        if ((body_text = cached (bodies, 6, key)) == NULL)
          goto done;
        key[0] = status;
        key[1] = SLOT (ex, ex_reason);
        key[2] = SLOT (ex, ex_resp_version);
        key[3] = PyTuple_GET_ITEM (rhead, 0);
        key[4] = body_text;
        if (key[1] == NULL || key[2] == NULL || (response_part = cached (response_parts, 5, key)) == NULL)
          goto done;
      }
    parts[n++] = lit_head;
    parts[n++] = id_text;
    parts[n++] = PyTuple_GET_ITEM (pid_part, 1);
    parts[n++] = thread_part;
    parts[n++] = lit_started;
    parts[n++] = started;
    parts[n++] = request_part;
    parts[n++] = g_reused_timings;
    parts[n++] = sent;
    parts[n++] = lit_first_byte;
    parts[n++] = first;
    parts[n++] = lit_total;
    parts[n++] = total;
    parts[n++] = flags;
    if (response_part != NULL)
      parts[n++] = response_part;
    parts[n++] = lit_close;
    miss = 0;
    {
      PyObject *list = PyList_New (n);

      if (list != NULL)
        {
          for (Py_ssize_t i = 0; i < n; i++)
            {
              if (parts[i] == NULL)
                {
                  Py_CLEAR (list);
                  break;
                }
              Py_INCREF (parts[i]);
              PyList_SET_ITEM (list, i, parts[i]);
            }
        }
      if (list != NULL)
        {
          result = PyUnicode_Join (lit_empty, list);
          Py_DECREF (list);
        }
    }
  done:
    Py_XDECREF (last_lines);
    Py_XDECREF (head);
    Py_XDECREF (bodies);
    Py_XDECREF (pid_part);
    Py_XDECREF (threads);
    Py_XDECREF (request_parts);
    Py_XDECREF (last_raw);
    Py_XDECREF (rhead);
    Py_XDECREF (response_parts);
    for (int i = 0; i < 5; i++)
      Py_XDECREF (owned[i]);
    Py_XDECREF (empty);
    if (result == NULL && PyErr_Occurred ())
      return NULL;
    if (result == NULL || miss)
      {
        Py_XDECREF (result);
        Py_RETURN_NONE;
      }
    return result;
  }
}

static PyObject *
speedups_made (PyObject *module, PyObject *unused)
{
  return PyLong_FromUnsignedLongLong (g_made);
}

static PyMethodDef speedups_methods[] = {
  { "made", speedups_made, METH_NOARGS,
    "made(): how many exchanges the C hooks made so far (the rest were the Python hooks')" },
  { "hook", speedups_hook, METH_VARARGS,
    "hook(kind, orig, fallback): a method that runs @kind's common path in C, @fallback (the "
    "Python hook) otherwise" },
  { "configure", speedups_configure, METH_VARARGS,
    "configure(host, Exchange, BodyBuffer, _ConnState, ids, threading._active, compat32, "
    "iso_seconds, flags, reused_timings, shared_body_max, max_queued): what the C hooks "
    "report to, and the pieces of the event line" },
  { "event_line", speedups_event_line, METH_VARARGS,
    "event_line(lines, ex): EventLines.line(ex) when all its pieces are in @lines' caches, else None" },
  { "new_exchange", speedups_new_exchange, METH_VARARGS,
    "new_exchange(method, url): the Exchange the C hooks make (for the tests), or None "
    "when threading does not know this thread" },
  { NULL },
};

static struct PyModuleDef speedups_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "iwb_host._speedups",
  .m_doc = "The capture hooks' common path in C (see iwb_host.hooks).",
  .m_size = -1,
  .m_methods = speedups_methods,
};

PyMODINIT_FUNC PyInit__speedups (void);

PyMODINIT_FUNC
PyInit__speedups (void)
{
#define INTERN(n) if ((s_##n = PyUnicode_InternFromString (#n)) == NULL) return NULL;
  NAMES (INTERN)
#undef INTERN
  if ((s_http11 = PyUnicode_InternFromString ("HTTP/1.1")) == NULL ||
      (s_http10 = PyUnicode_InternFromString ("HTTP/1.0")) == NULL ||
      (s_head = PyUnicode_InternFromString ("HEAD")) == NULL ||
      (i_0 = PyLong_FromLong (0)) == NULL ||
      (i_10 = PyLong_FromLong (10)) == NULL || (i_11 = PyLong_FromLong (11)) == NULL ||
      (kw_incomplete = PyTuple_Pack (1, s_incomplete)) == NULL ||
      (lit_head = PyUnicode_InternFromString ("{\"event\":\"http\",\"id\":")) == NULL ||
      (lit_started = PyUnicode_InternFromString (",\"started\":")) == NULL ||
      (lit_first_byte = PyUnicode_InternFromString (",\"first_byte\":")) == NULL ||
      (lit_total = PyUnicode_InternFromString (",\"total\":")) == NULL ||
      (lit_close = PyUnicode_InternFromString ("}")) == NULL ||
      (lit_empty = PyUnicode_InternFromString ("")) == NULL)
    return NULL;
  if (PyType_Ready (&HookType) < 0)
    return NULL;
  return PyModule_Create (&speedups_module);
}
