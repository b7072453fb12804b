/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Pipe sources: see iwb-pipe-source.h.
 *
 * Why not GIO's asynchronous streams: each of their reads and writes makes
 * a poll source of its own, and adding or removing one signals the main
 * context (an eventfd write), so a run of 100,000 rows cost the main loop
 * thousands of extra system calls. A writer waiting for room in a pipe is
 * also woken by every read the child makes (a few kilobytes each), a
 * wake-up the child pays for. These sources keep one GPollFD for their
 * whole life and do their waiting in prepare(): while a source waits, its
 * poll record asks for no event (poll() still reports a hung-up pipe, which
 * ends the wait).
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "iwb-pipe-source.h"

#define PIPE_MAX_GROW    (1024 * 1024)
#define WRITE_MIN_DELAY  1000   /* µs */
#define WRITE_FIRST_DELAY 4000  /* µs */

typedef struct
{
  GSource  source;
  GPollFD      pfd;
  int          fd;
  GIOCondition events;
  gint64       resume_us;  /* 0: wait for the fd; else act at this time, the fd not polled */
  gboolean     ended;
  gboolean     busy;       /* in dispatch (a nested main loop must not read into the buffer) */
} PipeSource;

static gboolean
pipe_prepare (GSource *source,
              gint    *timeout)
{
  PipeSource *p = (PipeSource *) source;
  gint64 now;

  *timeout = -1;
  p->pfd.events = 0;
  if (p->ended || p->busy)
    return FALSE;
  if (p->resume_us == 0)
    {
      p->pfd.events = p->events;
      return FALSE;
    }
  now = g_source_get_time (source);
  if (now >= p->resume_us)
    {
      *timeout = 0;
      return TRUE;
    }
  /* rounded up: waking a little early would only spin */
  *timeout = (gint) MIN ((p->resume_us - now + 999) / 1000, G_MAXINT);
  return FALSE;
}

static gboolean
pipe_check (GSource *source)
{
  PipeSource *p = (PipeSource *) source;

  if (p->ended || p->busy)
    return FALSE;
  if (p->resume_us == 0)
    return p->pfd.revents != 0;
  /* The other end went away: nothing is worth waiting for (and poll()
   * would report it at every iteration of the wait). */
  if (p->pfd.revents & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    return TRUE;
  return g_source_get_time (source) >= p->resume_us;
}

static void
pipe_source_init (PipeSource   *p,
                  int           fd,
                  GIOCondition  events,
                  const char   *name)
{
  p->fd = fd;
  p->events = events | G_IO_HUP | G_IO_ERR;
  p->pfd.fd = fd;
  p->pfd.events = p->events;
  g_source_add_poll (&p->source, &p->pfd);
  g_source_set_static_name (&p->source, name);
  /* GLib takes the poll records of a source that cannot recurse out of the
   * context for each dispatch and puts them back after, and each of these
   * signals the context (two eventfd writes, one more poll). `busy` keeps
   * a nested main loop out instead. */
  g_source_set_can_recurse (&p->source, TRUE);
}

gsize
iwb_pipe_grow (int   fd,
               gsize bytes)
{
  int size = 64 * 1024;

#ifdef F_GETPIPE_SZ
  int now = fcntl (fd, F_GETPIPE_SZ);

  if (now > 0)
    size = now;
  if (bytes > (gsize) size)
    {
      int want = (int) MIN (bytes, PIPE_MAX_GROW);

      /* refused past /proc/sys/fs/pipe-max-size or the user's pipe quota:
       * the pipe stays as it is */
      if (fcntl (fd, F_SETPIPE_SZ, want) >= 0 && (now = fcntl (fd, F_GETPIPE_SZ)) > 0)
        size = now;
    }
#endif
  return (gsize) size;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct
{
  PipeSource       pipe;
  char            *buf;
  gsize            size;
  guint            coalesce_ms;
  IwbPipeReadFunc  func;
  gpointer         user_data;
} ReaderSource;

static gboolean
reader_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     data)
{
  ReaderSource *r = (ReaderSource *) source;
  gssize n;
  int errsv;

  do
    n = read (r->pipe.fd, r->buf, r->size);
  while (n < 0 && errno == EINTR);
  errsv = n < 0 ? errno : 0;
  if (n < 0 && (errsv == EAGAIN || errsv == EWOULDBLOCK))
    {
      r->pipe.resume_us = 0;
      return G_SOURCE_CONTINUE;
    }
  if (n <= 0)
    r->pipe.ended = TRUE;
  r->pipe.busy = TRUE;
  r->func (r->user_data, r->buf, n, errsv);
  r->pipe.busy = FALSE;
  if (n <= 0 || g_source_is_destroyed (source))
    return G_SOURCE_REMOVE;
  if ((gsize) n == r->size)
    /* more is waiting: at the next iteration, without a poll */
    r->pipe.resume_us = g_source_get_time (source);
  else if ((gsize) n < r->size / 4 && r->coalesce_ms > 0)
    r->pipe.resume_us = g_get_monotonic_time () + (gint64) r->coalesce_ms * 1000;
  else
    r->pipe.resume_us = 0;
  return G_SOURCE_CONTINUE;
}

static void
reader_finalize (GSource *source)
{
  g_free (((ReaderSource *) source)->buf);
}

static GSourceFuncs reader_funcs = {
  .prepare = pipe_prepare,
  .check = pipe_check,
  .dispatch = reader_dispatch,
  .finalize = reader_finalize,
};

GSource *
iwb_pipe_reader_source_new (int             fd,
                            gsize           size,
                            guint           coalesce_ms,
                            IwbPipeReadFunc func,
                            gpointer        user_data)
{
  GSource *source;
  ReaderSource *r;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  source = g_source_new (&reader_funcs, sizeof (ReaderSource));
  r = (ReaderSource *) source;
  r->buf = g_malloc (size + 1);
  r->size = size;
  r->coalesce_ms = coalesce_ms;
  r->func = func;
  r->user_data = user_data;
  pipe_source_init (&r->pipe, fd, G_IO_IN, "[iwb] pipe reader");
  return source;
}

/* ---- writing -------------------------------------------------------------- */

typedef struct
{
  PipeSource       pipe;
  GBytes          *pending;
  gsize            offset;
  gsize            pipe_size;
  gint64           delay_us;
  gint64           max_delay_us;
  IwbPipeFillFunc  fill;
  IwbPipeDoneFunc  done;
  gpointer         user_data;
} WriterSource;

static gboolean
writer_stop (WriterSource *w,
             int           errsv)
{
  w->pipe.ended = TRUE;
  g_clear_pointer (&w->pending, g_bytes_unref);
  w->done (w->user_data, errsv);
  return G_SOURCE_REMOVE;
}

static GBytes *
writer_fill (WriterSource *w)
{
  GBytes *bytes;

  w->pipe.busy = TRUE;
  bytes = w->fill (w->user_data);
  w->pipe.busy = FALSE;
  return bytes;
}

static gboolean
writer_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     data)
{
  WriterSource *w = (WriterSource *) source;
  gsize written = 0;

  for (;;)
    {
      const char *bytes;
      gsize len;
      gssize n;

      if (w->pending == NULL)
        {
          w->pending = writer_fill (w);
          w->offset = 0;
          if (g_source_is_destroyed (source))
            return G_SOURCE_REMOVE;
          if (w->pending == NULL)
            return writer_stop (w, 0);
        }
      bytes = g_bytes_get_data (w->pending, &len);
      if (w->offset >= len)
        {
          g_clear_pointer (&w->pending, g_bytes_unref);
          continue;
        }
      if (written >= 4 * w->pipe_size)
        {
          /* a reader as fast as we are: let the loop breathe, then on */
          w->pipe.resume_us = g_source_get_time (source);
          return G_SOURCE_CONTINUE;
        }
      n = write (w->pipe.fd, bytes + w->offset, len - w->offset);
      if (n > 0)
        {
          w->offset += n;
          written += n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      return writer_stop (w, n < 0 ? errno : EIO);
    }

  /* The pipe is full. Come back when the reader has had time to take about
   * half of it: sooner when it took most of it since the last time (it may
   * have waited), later when it took little. */
  if (written >= w->pipe_size * 3 / 4)
    w->delay_us = MAX (WRITE_MIN_DELAY, w->delay_us / 2);
  else if (written < w->pipe_size / 4)
    w->delay_us = MIN (w->max_delay_us, w->delay_us * 2);
  w->pipe.resume_us = g_get_monotonic_time () + w->delay_us;
  return G_SOURCE_CONTINUE;
}

static void
writer_finalize (GSource *source)
{
  g_clear_pointer (&((WriterSource *) source)->pending, g_bytes_unref);
}

static GSourceFuncs writer_funcs = {
  .prepare = pipe_prepare,
  .check = pipe_check,
  .dispatch = writer_dispatch,
  .finalize = writer_finalize,
};

GSource *
iwb_pipe_writer_source_new (int             fd,
                            gsize           expected_bytes,
                            IwbPipeFillFunc fill,
                            IwbPipeDoneFunc done,
                            gpointer        user_data)
{
  GSource *source;
  WriterSource *w;
  int size;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (fill != NULL && done != NULL, NULL);

  size = (int) iwb_pipe_grow (fd, expected_bytes);

  source = g_source_new (&writer_funcs, sizeof (WriterSource));
  w = (WriterSource *) source;
  w->pipe_size = (gsize) size;
  /* what a reader taking 16 KiB a millisecond empties, at most */
  w->max_delay_us = MAX (WRITE_MIN_DELAY, (gint64) size * 1000 / (16 * 1024));
  w->delay_us = MIN (WRITE_FIRST_DELAY, w->max_delay_us);
  w->fill = fill;
  w->done = done;
  w->user_data = user_data;
  pipe_source_init (&w->pipe, fd, G_IO_OUT, "[iwb] pipe writer");
  /* the first write at once */
  w->pipe.resume_us = 1;
  return source;
}
