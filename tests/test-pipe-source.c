/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pipe sources (iwb-pipe-source.h) with real pipes and threads on the
 * other end: the writer delivers every byte in order to a slow reader and
 * grows the pipe, says EPIPE once when the reader leaves; the reader
 * gathers a line-by-line writer's output into few reads, sees the end of
 * the file, is not held in its wait by a writer that has gone, and is not
 * entered again from a nested main loop.
 */
#define _GNU_SOURCE /* F_GETPIPE_SZ */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "iwb-pipe-source.h"

static guint8
pattern_byte (gsize i)
{
  return (guint8) ((i * 2654435761u) >> 13);
}

/* ---- writer --------------------------------------------------------------- */

typedef struct
{
  gsize    total;
  gsize    chunk;
  gsize    given;
  guint    fills;
  guint    fills_after_end;
  gboolean ended;
  int      done_calls;
  int      errsv;
} Feed;

static GBytes *
feed_fill (gpointer user_data)
{
  Feed *f = user_data;
  gsize n = MIN (f->chunk, f->total - f->given);
  guint8 *data;

  if (f->ended)
    f->fills_after_end++;
  f->fills++;
  if (n == 0)
    {
      f->ended = TRUE;
      return NULL;
    }
  data = g_malloc (n);
  for (gsize i = 0; i < n; i++)
    data[i] = pattern_byte (f->given + i);
  f->given += n;
  return g_bytes_new_take (data, n);
}

static void
feed_done (gpointer user_data,
           int      errsv)
{
  Feed *f = user_data;

  f->done_calls++;
  f->errsv = errsv;
}

typedef struct
{
  int      fd;
  gsize    stop_after;  /* close after this many bytes; 0: read to the end */
  gsize    got;
  gboolean mismatch;
  guint    reads;
} SlowReader;

static gpointer
slow_reader_thread (gpointer data)
{
  SlowReader *r = data;
  static char buf[32 * 1024];

  for (;;)
    {
      gssize n = read (r->fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      for (gssize i = 0; i < n; i++)
        if ((guint8) buf[i] != pattern_byte (r->got + i))
          r->mismatch = TRUE;
      r->got += n;
      r->reads++;
      if (r->stop_after > 0 && r->got >= r->stop_after)
        break;
      g_usleep (300); /* slower than the writer */
    }
  close (r->fd);
  return NULL;
}

static void
test_writer_all (void)
{
  Feed feed = { .total = 3 * 1024 * 1024 + 12345, .chunk = 100 * 1000 };
  SlowReader reader = { 0 };
  int fds[2];
  GSource *source;
  GThread *thread;
  int max_size = 0;
  g_autofree char *max_text = NULL;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_set_fd_nonblocking (fds[1], TRUE, NULL));
  reader.fd = fds[0];
  thread = g_thread_new ("slow-reader", slow_reader_thread, &reader);

  source = iwb_pipe_writer_source_new (fds[1], feed.total, feed_fill, feed_done, &feed);
  g_source_attach (source, NULL);
  /* grown towards the expected size, as far as the system allows */
  if (g_file_get_contents ("/proc/sys/fs/pipe-max-size", &max_text, NULL, NULL))
    max_size = atoi (max_text);
  if (max_size >= 1024 * 1024)
    g_assert_cmpint (fcntl (fds[1], F_GETPIPE_SZ), ==, 1024 * 1024);

  while (feed.done_calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
  close (fds[1]);
  g_thread_join (thread);

  g_assert_cmpint (feed.done_calls, ==, 1);
  g_assert_cmpint (feed.errsv, ==, 0);
  g_assert_cmpuint (feed.fills_after_end, ==, 0);
  g_assert_cmpuint (reader.got, ==, feed.total);
  g_assert_false (reader.mismatch);
}

static gboolean
count_iteration (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_writer_epipe (void)
{
  Feed feed = { .total = 64 * 1024 * 1024, .chunk = 256 * 1024 };
  SlowReader reader = { .stop_after = 300 * 1024 };
  int fds[2];
  GSource *source;
  GThread *thread;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_set_fd_nonblocking (fds[1], TRUE, NULL));
  reader.fd = fds[0];
  thread = g_thread_new ("leaving-reader", slow_reader_thread, &reader);
  source = iwb_pipe_writer_source_new (fds[1], 0, feed_fill, feed_done, &feed);
  g_source_attach (source, NULL);
  while (feed.done_calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  /* nothing more after the one call: no fill, no second done */
  {
    guint fills = feed.fills;
    guint idle_runs = 0;
    guint idle = g_idle_add (count_iteration, &idle_runs);

    while (idle_runs < 50)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (idle);
    g_assert_cmpuint (feed.fills, ==, fills);
  }
  g_assert_cmpint (feed.done_calls, ==, 1);
  g_assert_cmpint (feed.errsv, ==, EPIPE);
  g_assert_false (reader.mismatch);
  g_assert_cmpuint (feed.given, <, feed.total);
  g_source_destroy (source);
  g_source_unref (source);
  close (fds[1]);
}

/* ---- reader --------------------------------------------------------------- */

typedef struct
{
  GString *got;
  guint    reads;
  guint    ends;
  int      errsv;
  gint64   end_time;
  guint    depth;
  guint    max_depth;
  gboolean nest;
} Sink;

static void
sink_read (gpointer  user_data,
           char     *buf,
           gssize    n,
           int       errsv)
{
  Sink *s = user_data;

  s->depth++;
  s->max_depth = MAX (s->max_depth, s->depth);
  if (n > 0)
    {
      g_string_append_len (s->got, buf, n);
      s->reads++;
      if (s->nest)
        /* a dialog's nested main loop, say: the source must not read into
         * the buffer this call is still looking at */
        for (int i = 0; i < 20; i++)
          g_main_context_iteration (NULL, FALSE);
    }
  else
    {
      s->ends++;
      s->errsv = errsv;
      s->end_time = g_get_monotonic_time ();
    }
  s->depth--;
}

typedef struct
{
  int   fd;
  guint lines;
  guint pause_us;
} LineWriter;

static gpointer
line_writer_thread (gpointer data)
{
  LineWriter *w = data;

  for (guint i = 0; i < w->lines; i++)
    {
      char line[64];
      int len = g_snprintf (line, sizeof line, "line %u of the child\n", i);

      g_assert_cmpint (write (w->fd, line, len), ==, len);
      if (w->pause_us)
        g_usleep (w->pause_us);
    }
  close (w->fd);
  return NULL;
}

static void
expect_lines (const char *text,
              guint       lines)
{
  g_autoptr(GString) want = g_string_new (NULL);

  for (guint i = 0; i < lines; i++)
    g_string_append_printf (want, "line %u of the child\n", i);
  g_assert_cmpstr (text, ==, want->str);
}

/* The main loop's iterations until the end of the file came. */
static guint
run_reader (LineWriter *w,
            guint       coalesce_ms,
            Sink       *sink)
{
  guint iterations = 0;
  int fds[2];
  GSource *source;
  GThread *thread;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_set_fd_nonblocking (fds[0], TRUE, NULL));
  w->fd = fds[1];
  sink->got = g_string_new (NULL);
  source = iwb_pipe_reader_source_new (fds[0], 64 * 1024, coalesce_ms, sink_read, sink);
  g_source_attach (source, NULL);
  thread = g_thread_new ("line-writer", line_writer_thread, w);
  while (sink->ends == 0 && iterations < 100000)
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
    }
  g_thread_join (thread);
  g_source_destroy (source);
  g_source_unref (source);
  close (fds[0]);
  return iterations;
}

static void
test_reader_coalesces (void)
{
  /* 600 lines over about 120 ms at least */
  LineWriter w = { .lines = 600, .pause_us = 200 };
  Sink sink = { 0 };
  gint64 start = g_get_monotonic_time ();

  run_reader (&w, 5, &sink);
  expect_lines (sink.got->str, w.lines);
  g_assert_cmpuint (sink.ends, ==, 1);
  g_assert_cmpint (sink.errsv, ==, 0);
  /* one read per wait of 5 ms, give or take, not one per line */
  g_assert_cmpuint (sink.reads, <=, (g_get_monotonic_time () - start) / 5000 + 10);
  g_assert_cmpuint (sink.reads, <, w.lines / 4);
  g_string_free (sink.got, TRUE);
}

static void
test_reader_hangup_ends_wait (void)
{
  /* one short line, then the writer goes: the end of the file must not
   * wait out the (long) delay, nor spin the loop while it waits */
  LineWriter w = { .lines = 1 };
  Sink sink = { 0 };
  gint64 start = g_get_monotonic_time ();
  guint iterations = run_reader (&w, 2000, &sink);

  expect_lines (sink.got->str, 1);
  g_assert_cmpuint (sink.ends, ==, 1);
  g_assert_cmpint (sink.end_time - start, <, 1000 * 1000);
  g_assert_cmpuint (iterations, <, 20);
  g_string_free (sink.got, TRUE);
}

static void
test_reader_not_reentered (void)
{
  LineWriter w = { .lines = 3000, .pause_us = 0 };
  Sink sink = { .nest = TRUE };

  run_reader (&w, 1, &sink);
  expect_lines (sink.got->str, w.lines);
  g_assert_cmpuint (sink.max_depth, ==, 1);
  g_string_free (sink.got, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* a write to a pipe nobody reads says EPIPE, as in the workbench */
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/pipe-source/writer-delivers-all", test_writer_all);
  g_test_add_func ("/pipe-source/writer-epipe-once", test_writer_epipe);
  g_test_add_func ("/pipe-source/reader-coalesces", test_reader_coalesces);
  g_test_add_func ("/pipe-source/reader-hangup-ends-wait", test_reader_hangup_ends_wait);
  g_test_add_func ("/pipe-source/reader-not-reentered", test_reader_not_reentered);
  return g_test_run ();
}
