/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every byte iwb prints goes through one filter: stdout and stderr are
 * replaced by streams (fopencookie) that replace each form of a secret
 * value (iwb-redact.h) with "[secret]" before writing to fd 1 / fd 2. So
 * no print site can forget the mask: the integration's log lines, row
 * errors, exceptions and results, the reports and the JSON outputs alike.
 *
 * A secret may be cut between two writes: text is held back until the end
 * of its line (or, when a secret holds a line break, until it is longer
 * than the longest form), and the rest is written by iwb_cli_redact_flush()
 * or when the stream is closed at exit. With no secret, bytes go through
 * unchanged and at once. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "iwb-cli-common.h"
#include "iwb-redact.h"

#define MARKER "[secret]"

typedef struct
{
  int      fd;
  GString *pending;
  int      write_errno;  /* of the first write() that failed (atomic) */
} Sink;

static GMutex lock;
static GPtrArray *secrets;   /* the values */
static GPtrArray *needles;   /* their forms, longest first */
static gboolean needles_span_lines;
static Sink sinks[2] = { { 1, NULL, 0 }, { 2, NULL, 0 } };

static void
write_all (Sink       *sink,
           const char *data,
           gsize       len)
{
  /* After a failure nothing more is written (a closed pipe stays closed);
   * the error is kept for iwb_cli_redact_stdout_errno(). */
  if (g_atomic_int_get (&sink->write_errno) != 0)
    return;
  while (len > 0)
    {
      ssize_t n = write (sink->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_atomic_int_set (&sink->write_errno, n < 0 ? errno : EIO);
          return;
        }
      data += n;
      len -= (gsize) n;
    }
}

/* Lock held. Writes what can be written of @sink->pending (all of it when
 * @final). */
static void
drain (Sink     *sink,
       gboolean  final)
{
  g_autofree char *red = NULL;
  const char *text;
  gsize len, safe;

  if (sink->pending->len == 0)
    return;
  if (needles == NULL || needles->len == 0)
    {
      write_all (sink, sink->pending->str, sink->pending->len);
      g_string_truncate (sink->pending, 0);
      return;
    }
  red = iwb_redact_text (needles, sink->pending->str, MARKER);
  text = red ? red : sink->pending->str;
  len = strlen (text);
  if (final)
    safe = len;
  else if (needles_span_lines)
    {
      gsize keep = iwb_redact_needles_max (needles) - 1;

      safe = len > keep ? len - keep : 0;
    }
  else
    {
      /* no form holds a line break: whole lines are safe */
      safe = 0;
      for (gsize i = len; i > 0; i--)
        if (text[i - 1] == '\n' || text[i - 1] == '\r')
          {
            safe = i;
            break;
          }
    }
  write_all (sink, text, safe);
  {
    g_autofree char *rest = g_strdup (text + safe);

    g_string_assign (sink->pending, rest);
  }
}

static ssize_t
sink_write (void       *cookie,
            const char *buf,
            size_t      size)
{
  Sink *sink = cookie;
  size_t taken = size;  /* all of it, always: what is not written now is pending */

  g_mutex_lock (&lock);
  if (needles == NULL || needles->len == 0)
    {
      write_all (sink, buf, size);
      g_mutex_unlock (&lock);
      return (ssize_t) taken;
    }
  /* a NUL would end the text for the search: write it as it is */
  for (const char *nul = memchr (buf, '\0', size); nul != NULL; nul = memchr (buf, '\0', size))
    {
      size_t i = (size_t) (nul - buf);

      g_string_append_len (sink->pending, buf, (gssize) i);
      drain (sink, TRUE);
      write_all (sink, "", 1);
      buf += i + 1;
      size -= i + 1;
    }
  g_string_append_len (sink->pending, buf, (gssize) size);
  drain (sink, FALSE);
  g_mutex_unlock (&lock);
  return (ssize_t) taken;
}

static int
sink_close (void *cookie)
{
  Sink *sink = cookie;

  g_mutex_lock (&lock);
  drain (sink, TRUE);
  g_mutex_unlock (&lock);
  return 0;
}

void
iwb_cli_redact_install (void)
{
  cookie_io_functions_t io = { NULL, sink_write, NULL, sink_close };
  FILE *out, *err;

  if (sinks[0].pending != NULL)
    return;
  sinks[0].pending = g_string_new (NULL);
  sinks[1].pending = g_string_new (NULL);
  out = fopencookie (&sinks[0], "w", io);
  err = fopencookie (&sinks[1], "w", io);
  if (out == NULL || err == NULL)
    return;
  /* as the real ones: stdout buffered by line on a terminal, stderr not */
  setvbuf (out, NULL, isatty (1) ? _IOLBF : _IOFBF, BUFSIZ);
  setvbuf (err, NULL, _IONBF, 0);
  fflush (stdout);
  fflush (stderr);
  stdout = out;
  stderr = err;
}

void
iwb_cli_redact_add_secret (const char *value)
{
  g_autoptr(GPtrArray) forms = NULL;

  if (value == NULL || *value == '\0')
    return;
  /* what is already buffered is flushed before the new needles apply */
  fflush (stdout);
  fflush (stderr);
  g_mutex_lock (&lock);
  if (secrets == NULL)
    secrets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < secrets->len; i++)
    if (g_str_equal (secrets->pdata[i], value))
      {
        g_mutex_unlock (&lock);
        return;
      }
  g_ptr_array_add (secrets, g_strdup (value));
  g_ptr_array_add (secrets, NULL);
  g_clear_pointer (&needles, g_ptr_array_unref);
  needles = iwb_redact_needles_new ((const char * const *) secrets->pdata);
  g_ptr_array_remove_index (secrets, secrets->len - 1);
  needles_span_lines = FALSE;
  for (guint i = 0; i < needles->len; i++)
    if (strpbrk (needles->pdata[i], "\r\n") != NULL)
      needles_span_lines = TRUE;
  g_mutex_unlock (&lock);
}

void
iwb_cli_redact_flush (void)
{
  fflush (stdout);
  fflush (stderr);
  g_mutex_lock (&lock);
  for (guint i = 0; i < G_N_ELEMENTS (sinks); i++)
    if (sinks[i].pending != NULL)
      drain (&sinks[i], TRUE);
  g_mutex_unlock (&lock);
}

int
iwb_cli_redact_stdout_errno (void)
{
  return g_atomic_int_get (&sinks[0].write_errno);
}
