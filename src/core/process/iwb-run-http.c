/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun, the HTTP side: the child runs under python/iwb_host (the capture
 * host: `python3 -m iwb_host.launch SHIM ARGS...`), which reports each HTTP
 * exchange the integration makes as one JSON line on the events pipe (the
 * child's fd 3), redacted in the child. Each line becomes an
 * IWB_RUN_EVENT_HTTP event and, where the run's events are delivered, an
 * item of iwb_run_get_exchanges(). The mode (live, record, replay) becomes
 * the host's IWB_RECORD / IWB_REPLAY / IWB_REPLAY_STRICT.
 *
 * Bounded: at most exchange_limit exchanges (and IWB_RUN_EXCHANGE_BYTES of
 * their event text) are kept and emitted; the rest are counted
 * (IwbRunCounts.http_dropped) and a warning says so at the end. A line
 * that is not a valid event is a WARNING event (the first few; then
 * counted), never fatal.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "iwb-error.h"
#include "iwb-redact.h"
#include "iwb-run-private.h"

#define MAX_MALFORMED_WARNINGS 5

void
iwb_run_set_http_mode (IwbRun      *self,
                       IwbHttpMode  mode,
                       const char  *cassette,
                       gboolean     strict)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (mode == IWB_HTTP_MODE_LIVE || (cassette != NULL && cassette[0] != '\0'));

  self->http_mode = mode;
  g_clear_pointer (&self->cassette, g_free);
  /* The child runs in the integration folder: a relative path means the
   * caller's working directory. */
  if (mode != IWB_HTTP_MODE_LIVE)
    self->cassette = g_canonicalize_filename (cassette, NULL);
  self->replay_strict = mode == IWB_HTTP_MODE_REPLAY && strict;
}

IwbHttpMode
iwb_run_get_http_mode (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), IWB_HTTP_MODE_LIVE);
  return self->http_mode;
}

const char *
iwb_run_get_cassette_path (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->cassette;
}

gboolean
iwb_run_get_replay_strict (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), FALSE);
  return self->replay_strict;
}

void
iwb_run_add_secret_param (IwbRun     *self,
                          const char *id)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (id != NULL);

  /* A comma would split the list the host reads. */
  if (id[0] == '\0' || strchr (id, ',') != NULL)
    return;
  if (self->secret_params == NULL)
    self->secret_params = g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (self->secret_params, id, g_str_equal, NULL))
    g_ptr_array_add (self->secret_params, g_strdup (id));
}

void
iwb_run_set_capture (IwbRun   *self,
                     gboolean  capture)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->capture = !!capture;
}

void
iwb_run_set_exchange_limit (IwbRun *self,
                            guint   max_exchanges)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->exchange_limit = max_exchanges;
}

GListModel *
iwb_run_get_exchanges (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->exchanges);
}

/* The class handler of "event" (G_SIGNAL_RUN_LAST): it runs where the
 * event is delivered, after the ordinary handlers. A session's run relays
 * its events from its worker thread, stopping the emission there, so the
 * list only changes on the caller's context. */
void
_iwb_run_event_default (IwbRun      *self,
                        IwbRunEvent *event)
{
  if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_HTTP)
    g_list_store_append (self->exchanges, iwb_run_event_get_exchange (event));
}

/* ---------------------------------------------------------------------- */
/* Starting                                                               */

/* Before anything starts: the cassette must be there to replay, and its
 * folder there to record into. */
gboolean
_iwb_run_http_check (IwbRun  *self,
                     GError **error)
{
  g_autofree char *dir = NULL;
  gboolean not_a_file;
  GStatBuf st;

  if (!self->capture && self->http_mode != IWB_HTTP_MODE_LIVE)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("Recording or replaying HTTP calls needs the capture host; it was turned "
                     "off for this run"));
      return FALSE;
    }
  /* a FIFO, a device, a socket (a folder is said apart when recording) */
  not_a_file = self->cassette != NULL && g_file_test (self->cassette, G_FILE_TEST_EXISTS) &&
               !g_file_test (self->cassette, G_FILE_TEST_IS_REGULAR);
  switch (self->http_mode)
    {
    case IWB_HTTP_MODE_REPLAY:
      if (g_stat (self->cassette, &st) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                       _("The cassette %s cannot be read: %s"), self->cassette, g_strerror (saved));
          return FALSE;
        }
      if (not_a_file)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                       _("The cassette %s to replay is not a regular file (a folder, a FIFO or a "
                         "device); give the cassette file"), self->cassette);
          return FALSE;
        }
      if (!g_file_test (self->cassette, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("The cassette %s to replay does not exist; record one first "
                         "(--record %s against the live service) or give the right path"),
                       self->cassette, self->cassette);
          return FALSE;
        }
      if (g_access (self->cassette, R_OK) != 0)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                       _("The cassette %s cannot be read: %s"), self->cassette, g_strerror (errno));
          return FALSE;
        }
      break;
    case IWB_HTTP_MODE_RECORD:
      dir = g_path_get_dirname (self->cassette);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("Cannot record into %s: the folder %s does not exist; create it or "
                         "choose another cassette path"), self->cassette, dir);
          return FALSE;
        }
      if (g_file_test (self->cassette, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                       _("Cannot record into %s: it is a folder; give a file name such as "
                         "%s/cassette.json"), self->cassette, self->cassette);
          return FALSE;
        }
      if (not_a_file)
        {
          /* A cassette is read back for replay and kept in git: a device,
           * a FIFO or a socket cannot be one (and is never replaced). */
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                       _("Cannot record into %s: it is not a regular file (a FIFO, a device or "
                         "a socket); give a file name such as cassette.json"), self->cassette);
          return FALSE;
        }
      break;
    case IWB_HTTP_MODE_LIVE:
    default:
      break;
    }
  return TRUE;
}

/* The child's command: `INTERPRETER -m iwb_host.launch SHIM` (capture) or
 * `INTERPRETER -m SHIM`; the caller adds the shim's arguments. */
void
_iwb_run_http_add_argv (IwbRun     *self,
                        GPtrArray  *argv,
                        const char *interpreter,
                        const char *shim)
{
  g_ptr_array_add (argv, (gpointer) interpreter);
  g_ptr_array_add (argv, (gpointer) "-m");
  if (self->capture)
    g_ptr_array_add (argv, (gpointer) "iwb_host.launch");
  g_ptr_array_add (argv, (gpointer) shim);
}

/* The host's variables, added to @extra (KEY=VALUE strings) before the
 * caller's own (iwb_run_set_env() wins). */
void
_iwb_run_http_add_env (IwbRun    *self,
                       GPtrArray *extra)
{
  g_auto(GStrv) secrets = NULL;

  if (!self->capture)
    return;
  /* iwb_host lives beside the bundled lhub_integ: with the interpreter's
   * own SDK the folder goes on the path for the host only, and the host
   * takes it off again before the shim imports lhub_integ. */
  if (iwb_python_get_sdk (self->python) == IWB_SDK_INSTALLED)
    {
      g_ptr_array_add (extra, g_strdup_printf ("PYTHONPATH=%s", iwb_python_get_runtime_dir ()));
      g_ptr_array_add (extra, g_strdup ("IWB_HIDE_BUNDLED_SDK=1"));
    }
  /* the host's C accelerator, for the capture children only: the integration
   * of a run without capture sees none of the host's variables */
  if (iwb_python_get_capture_speedups () != NULL)
    g_ptr_array_add (extra, g_strdup_printf ("IWB_HOST_SPEEDUPS=%s", iwb_python_get_capture_speedups ()));
  secrets = _iwb_run_secret_ids (self);
  for (guint i = 0; self->secret_params != NULL && i < self->secret_params->len; i++)
    if (!g_strv_contains ((const char * const *) secrets, self->secret_params->pdata[i]))
      {
        guint n = g_strv_length (secrets);

        secrets = g_renew (char *, secrets, n + 2);
        secrets[n] = g_strdup (self->secret_params->pdata[i]);
        secrets[n + 1] = NULL;
      }
  if (secrets[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", secrets);

      g_ptr_array_add (extra, g_strdup_printf ("IWB_SECRET_PARAMS=%s", joined));
    }
  switch (self->http_mode)
    {
    case IWB_HTTP_MODE_RECORD:
      g_ptr_array_add (extra, g_strdup_printf ("IWB_RECORD=%s", self->cassette));
      break;
    case IWB_HTTP_MODE_REPLAY:
      g_ptr_array_add (extra, g_strdup_printf ("IWB_REPLAY=%s", self->cassette));
      if (self->replay_strict)
        g_ptr_array_add (extra, g_strdup ("IWB_REPLAY_STRICT=1"));
      break;
    case IWB_HTTP_MODE_LIVE:
    default:
      break;
    }
}

IwbChildFlags
_iwb_run_http_child_flags (IwbRun *self)
{
  return self->capture ? IWB_CHILD_FLAGS_EVENTS_PIPE : IWB_CHILD_FLAGS_NONE;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                */

static void
malformed (IwbRun     *self,
           const char *what)
{
  self->http_malformed++;
  if (self->http_malformed <= MAX_MALFORMED_WARNINGS)
    _iwb_run_emit_warning (self, _("An HTTP capture event from the child was not understood "
                                   "and was skipped: %s"), what);
}

/* The forms of the values of the secret inputs (the ids the host redacts). */
static GPtrArray *
secret_needles_new (IwbRun *self)
{
  g_auto(GStrv) ids = _iwb_run_secret_ids (self);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; ids[i] != NULL; i++)
    if (g_hash_table_lookup (self->values, ids[i]) != NULL)
      g_ptr_array_add (values, g_strdup (g_hash_table_lookup (self->values, ids[i])));
  for (guint i = 0; self->secret_params != NULL && i < self->secret_params->len; i++)
    if (g_hash_table_lookup (self->values, self->secret_params->pdata[i]) != NULL)
      g_ptr_array_add (values, g_strdup (g_hash_table_lookup (self->values, self->secret_params->pdata[i])));
  /* an encryptedFile's value names a file: its content is the secret */
  for (guint i = 0, n = values->len; i < n; i++)
    iwb_redact_add_file_secrets (values, self->files_dir, values->pdata[i]);
  g_ptr_array_add (values, NULL);
  return iwb_redact_needles_new ((const char * const *) values->pdata);
}

GPtrArray *
iwb_run_dup_secret_needles (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);

  return secret_needles_new (self);
}

GPtrArray *
_iwb_run_secret_needles (IwbRun *self)
{
  if (self->http_needles == NULL)
    self->http_needles = secret_needles_new (self);
  return self->http_needles;
}

void
_iwb_run_on_event_line (IwbRun     *self,
                        const char *text,
                        gsize       len,
                        guint64     dropped)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHttpExchange) exchange = NULL;
  g_autoptr(IwbRunEvent) event = NULL;
  g_autofree char *redacted = NULL;

  if (len == 0 && dropped == 0)
    return;
  if (dropped > 0)
    {
      g_autofree char *what = g_strdup_printf (_("an event of %llu bytes is longer than the "
                                                 "line limit (%llu bytes)"),
                                               (unsigned long long) (len + dropped),
                                               (unsigned long long) self->line_limit);
      malformed (self, what);
      return;
    }
  /* Over the limit: counted, not parsed (a flood costs no memory). */
  if (self->counts.http_exchanges >= self->exchange_limit ||
      self->http_bytes + len > IWB_RUN_EXCHANGE_BYTES)
    {
      self->counts.http_dropped++;
      return;
    }
  /* The child redacts its own calls, but fd 3 is open to the
   * integration's code, which can write an event of its own: the secret
   * values are replaced here too, before anything keeps the event. */
  if (_iwb_run_secret_needles (self)->len > 0)
    {
      g_autofree char *line = g_strndup (text, len);

      redacted = iwb_redact_text (self->http_needles, line, "[secret]");
      if (redacted != NULL)
        {
          text = redacted;
          len = strlen (redacted);
        }
    }
  exchange = iwb_http_exchange_new_from_line (text, len, &error);
  if (exchange == NULL)
    {
      malformed (self, error->message);
      return;
    }
  self->http_bytes += len;
  self->counts.http_exchanges++;
  event = iwb_run_event_new_http (_iwb_run_time (self), exchange);
  _iwb_run_emit (self, event);
}

/* At the end: what was not kept, said once. */
void
_iwb_run_http_finish (IwbRun *self)
{
  if (self->http_malformed > MAX_MALFORMED_WARNINGS)
    _iwb_run_emit_warning (self, g_dngettext (GETTEXT_PACKAGE,
                                              "%u more HTTP capture event was not understood and "
                                              "was skipped",
                                              "%u more HTTP capture events were not understood and "
                                              "were skipped",
                                              self->http_malformed - MAX_MALFORMED_WARNINGS),
                           self->http_malformed - MAX_MALFORMED_WARNINGS);
  if (self->counts.http_dropped > 0)
    _iwb_run_emit_warning (self, g_dngettext (GETTEXT_PACKAGE,
                                              "%llu HTTP call after the first %llu was counted "
                                              "but not kept (the run keeps at most %u calls or "
                                              "%u MiB of them)",
                                              "%llu HTTP calls after the first %llu were counted "
                                              "but not kept (the run keeps at most %u calls or "
                                              "%u MiB of them)",
                                              self->counts.http_dropped),
                           (unsigned long long) self->counts.http_dropped,
                           (unsigned long long) self->counts.http_exchanges,
                           self->exchange_limit, (guint) (IWB_RUN_EXCHANGE_BYTES / (1024 * 1024)));
}
