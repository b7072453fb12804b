/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession's runs: iwb_session_create_run() (the values of the store, the
 * preferences) and iwb_session_start_run(), which drives a run on a thread
 * of its own (see "driving a run off the main thread" below).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-error.h"
#include "iwb-field-value.h"
#include "iwb-pyenv.h"
#include "iwb-session-private.h"

#define DRIVER_KEY      "iwb-session-driver" /* a running run's RunDriver */
#define RELAY_KEY       "iwb-session-relay"  /* set on runs whose first handler is relay_event */
#define DRAIN_BUDGET_US 3000                 /* of event handlers per main-loop dispatch */
#define DRAIN_GAP_MS    8                    /* then the caller's loop is left alone (to draw) */

static void relay_event (IwbRun      *run,
                         IwbRunEvent *event,
                         gpointer     unused);

guint
iwb_session_get_run_timeout (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), 0);
  return self->run_timeout;
}

/* The interpreter of the preferences (or $IWB_PYTHON, else python3), with
 * the SDK of the preferences: what an integration's environment is made
 * from, and what runs an integration that has none. */
IwbPython *
iwb_session_create_base_python (IwbSession *self)
{
  IwbSdkChoice sdk = IWB_SDK_BUNDLED;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  if (self->sdk != NULL)
    iwb_sdk_choice_from_string (self->sdk, &sdk);
  if (self->python_interpreter != NULL && self->python_interpreter[0] != '\0')
    return iwb_python_new (self->python_interpreter, sdk);
  return iwb_python_new (NULL, sdk);
}

IwbPython *
iwb_session_create_python (IwbSession *self)
{
  g_autoptr(IwbPython) base = NULL;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  base = iwb_session_create_base_python (self);
  /* The integration's own environment when it has one (iwb-pyenv.h), made
   * from the preferences' interpreter, like the CLI does from $IWB_PYTHON:
   * the preference is the default interpreter, not a per-run override. */
  if (self->folder == NULL)
    return g_steal_pointer (&base);
  return iwb_pyenv_python_for_folder (self->folder, base, NULL);
}

IwbLoader *
iwb_session_create_loader (IwbSession *self)
{
  g_autoptr(IwbPython) python = NULL;
  IwbLoader *loader;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  python = iwb_session_create_python (self);
  loader = iwb_loader_new (python);
  iwb_loader_set_timeout (loader, self->load_timeout);
  return loader;
}

/* The descriptor INPUT objects of the connection, or of one action. */
JsonArray *
_iwb_session_descriptor_inputs (JsonNode   *descriptor,
                                const char *entrypoint)
{
  return iwb_descriptor_get_inputs (descriptor, entrypoint, NULL);
}

/* The input @i of @inputs as a run gets it: its field (NULL when the entry
 * is not an object or has no id: skip it), and the session's text for it in
 * @scope, or the text its field starts with (the default) when no form
 * wrote one. @flags (optional) gets the stored value's flags. */
IwbFieldValue *
_iwb_session_input_value (IwbSession            *self,
                          JsonArray             *inputs,
                          guint                  i,
                          const char            *scope,
                          const char           **text,
                          IwbSessionValueFlags  *flags)
{
  JsonNode *node = json_array_get_element (inputs, i);
  g_autoptr(IwbFieldValue) field = NULL;
  const char *id;

  if (flags != NULL)
    *flags = IWB_SESSION_VALUE_NONE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  field = iwb_field_value_new (json_node_get_object (node));
  id = iwb_field_value_get_id (field);
  if (id == NULL)
    return NULL;
  *text = iwb_session_get_value (self, scope, id, flags);
  if (*text == NULL)
    *text = iwb_field_value_get_text (field);
  return g_steal_pointer (&field);
}

/* Every input of @inputs from the store into @run. */
static gboolean
apply_values (IwbSession *self,
              IwbRun     *run,
              JsonArray  *inputs,
              const char *scope,
              GError    **error)
{
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      const char *text = NULL;
      g_autoptr(IwbFieldValue) field = _iwb_session_input_value (self, inputs, i, scope, &text, NULL);
      const char *id;

      if (field == NULL)
        continue;
      id = iwb_field_value_get_id (field);
      if (iwb_field_value_is_argument (field))
        iwb_run_set_mapping (run, id, text);
      else
        {
          /* `${NAME}`: from the environment at run time (profiles). */
          g_autofree char *expanded = iwb_session_expand_value (self, scope, id, text, error);

          if (expanded == NULL)
            return FALSE;
          iwb_run_set_value (run, id, expanded);
          explicit_bzero (expanded, strlen (expanded));
        }
    }
  return TRUE;
}

IwbRun *
iwb_session_create_run (IwbSession      *self,
                        IwbRunOperation  operation,
                        const char      *entrypoint,
                        GError         **error)
{
  g_autoptr(IwbPython) python = NULL;
  IwbRun *run;
  JsonNode *descriptor;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  if (self->folder == NULL || self->descriptor == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("No integration is loaded: open an integration folder first"));
      return NULL;
    }
  if (self->http_mode != IWB_HTTP_MODE_LIVE && self->cassette_path == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   self->http_mode == IWB_HTTP_MODE_RECORD
                     ? _("Record mode needs a cassette file to record into: choose one, or "
                         "switch the HTTP mode back to Live")
                     : _("Replay mode needs a cassette file to replay from: choose one, or "
                         "switch the HTTP mode back to Live"));
      return NULL;
    }
  python = iwb_session_create_python (self);
  if (iwb_python_resolve (python, error) == NULL)
    return NULL;

  /* A connection validator sees the integration's own descriptor (what the
   * platform passes before any override); actions run from the descriptor
   * their forms were built from. */
  descriptor = operation == IWB_RUN_VALIDATE_CONNECTION && self->base_descriptor
               ? self->base_descriptor : self->descriptor;
  run = iwb_run_new (python, self->folder, descriptor, operation, entrypoint);
  /* The first handler: it lets the run's events cross from the run's
   * thread to the caller's (iwb_session_start_run()). */
  g_signal_connect (run, "event", G_CALLBACK (relay_event), NULL);
  g_object_set_data (G_OBJECT (run), RELAY_KEY, GINT_TO_POINTER (TRUE));
  iwb_run_set_timeout (run, operation == IWB_RUN_EXECUTE ? self->run_timeout : self->validate_timeout);
  iwb_run_set_ssl_verify (run, self->ssl_verify);
  iwb_run_set_http_mode (run, self->http_mode, self->cassette_path, self->replay_strict);
  if (!apply_values (self, run, iwb_descriptor_get_inputs (self->descriptor, NULL, NULL), IWB_SESSION_SCOPE_CONNECTION, error))
    {
      g_object_unref (run);
      return NULL;
    }
  if (operation != IWB_RUN_VALIDATE_CONNECTION && entrypoint != NULL)
    {
      g_autofree char *scope = iwb_session_action_scope (entrypoint);

      if (!apply_values (self, run, iwb_descriptor_get_inputs (self->descriptor, entrypoint, NULL), scope, error))
        {
          g_object_unref (run);
          return NULL;
        }
    }
  return run;
}

/* --- driving a run off the main thread ---------------------------------------
 *
 * A run started with iwb_session_start_run() runs on a thread of its own,
 * with its own GMainContext: reading the child's output, parsing each
 * `[result]` line and making the events happen there, so a child that
 * floods its stdout never keeps the caller's loop from drawing (IwbRun
 * reads at default priority and would starve redraws otherwise). The first
 * "event" handler of a session's run (relay_event) queues each event and
 * stops the emission on the worker; the caller's context takes the queue
 * in slices of at most DRAIN_BUDGET_US and emits "event" again there, so
 * every other handler runs on the caller's thread, in order, as before.
 * The run's callback comes last, on the caller's context too.
 */


typedef struct
{
  IwbSession         *session;
  IwbRun             *run;
  GCancellable       *cancellable;
  GAsyncReadyCallback callback;
  gpointer            user_data;
  GMainContext       *caller_context;
  GMainContext       *worker_context;

  /* The gate: GLib finds the emission to stop by instance and signal, in
   * one list for every thread, so the worker never stops an emission while
   * the caller emits on the same run (it would stop the caller's). Only
   * that moment is guarded: the worker waits for the caller's slice to
   * end; the caller never waits for the worker's reading and parsing (a
   * worker at a low priority on a busy machine would stall the window). */
  GMutex              gate;
  GCond               gate_cond;
  gboolean            caller_emitting;

  GMutex              lock;        /* guards what follows */
  GQueue              queue;       /* IwbRunEvent*, relayed in order */
  GAsyncResult       *result;      /* the run's, once the worker is done */
  gboolean            done;
  gboolean            drain_scheduled;
} RunDriver;

static void
run_driver_free (RunDriver *d)
{
  g_queue_clear_full (&d->queue, g_object_unref);
  g_clear_object (&d->result);
  g_clear_object (&d->cancellable);
  g_clear_object (&d->run);
  g_clear_object (&d->session);
  g_main_context_unref (d->caller_context);
  g_mutex_clear (&d->lock);
  g_mutex_clear (&d->gate);
  g_cond_clear (&d->gate_cond);
  g_free (d);
}

static gboolean drain_events (gpointer user_data);

/* At default priority: a window that draws slowly (software rendering,
 * a loaded machine) is always due for a frame, and an idle source below
 * the redraw priority would never run. Each dispatch is bounded
 * (DRAIN_BUDGET_US), and a flood is taken in slices DRAIN_GAP_MS apart, so
 * frames happen in between. */
static void
attach_drain (RunDriver *d,
              guint      delay_ms)
{
  GSource *source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, drain_events, d, NULL);
  g_source_set_static_name (source, "[iwb] run events");
  g_source_attach (source, d->caller_context);
  g_source_unref (source);
}

/* Called with d->lock held. */
static void
schedule_drain (RunDriver *d)
{
  if (d->drain_scheduled)
    return;
  d->drain_scheduled = TRUE;
  attach_drain (d, 0);
}

static void
relay_event (IwbRun      *run,
             IwbRunEvent *event,
             gpointer     unused)
{
  RunDriver *d = g_object_get_data (G_OBJECT (run), DRIVER_KEY);

  /* The caller's own emission (drain_events), or a run not started by
   * the session: every handler gets it. */
  if (d == NULL || g_main_context_get_thread_default () != d->worker_context)
    return;
  /* the run history's recording, on this thread (iwb-session-history.c) */
  _iwb_session_history_event (run, event);
  g_mutex_lock (&d->lock);
  g_queue_push_tail (&d->queue, g_object_ref (event));
  schedule_drain (d);
  g_mutex_unlock (&d->lock);
  /* Not while the caller emits: this would stop the caller's emission. */
  g_mutex_lock (&d->gate);
  while (d->caller_emitting)
    g_cond_wait (&d->gate_cond, &d->gate);
  g_signal_stop_emission_by_name (run, "event");
  g_mutex_unlock (&d->gate);
}

static void
complete (RunDriver *d)
{
  IwbSession *self = d->session;

  g_object_set_data (G_OBJECT (d->run), DRIVER_KEY, NULL);
  if (d->callback != NULL)
    d->callback (G_OBJECT (d->run), d->result, d->user_data);
  if (g_ptr_array_remove (self->running, d->run))
    _iwb_session_notify_n_running (self);
  run_driver_free (d);
}

static gboolean
drain_events (gpointer user_data)
{
  RunDriver *d = user_data;
  gint64 deadline = g_get_monotonic_time () + DRAIN_BUDGET_US;
  gboolean more = FALSE;
  gboolean finished = FALSE;

  /* Through the gate: the worker stops no emission until this slice ends
   * (it is never held for longer than one stop). */
  g_mutex_lock (&d->gate);
  d->caller_emitting = TRUE;
  g_mutex_unlock (&d->gate);

  for (;;)
    {
      IwbRunEvent *event;

      /* The queue is empty: when the worker is done (it touches the
       * driver no more), this drain is the last and completes the run;
       * otherwise the worker's next event, or its being done, schedules
       * the next drain. Decided under the lock in one step: a drain the
       * worker scheduled after this one saw the queue empty would
       * otherwise run on a freed driver. */
      g_mutex_lock (&d->lock);
      event = g_queue_pop_head (&d->queue);
      if (event == NULL)
        {
          finished = d->done;
          if (!finished)
            d->drain_scheduled = FALSE;
        }
      g_mutex_unlock (&d->lock);
      if (event == NULL)
        break;
      g_signal_emit_by_name (d->run, "event", event);
      g_object_unref (event);
      if (g_get_monotonic_time () >= deadline)
        {
          more = TRUE;
          break;
        }
    }

  g_mutex_lock (&d->gate);
  d->caller_emitting = FALSE;
  g_cond_broadcast (&d->gate_cond);
  g_mutex_unlock (&d->gate);

  if (more)
    {
      attach_drain (d, DRAIN_GAP_MS);
      return G_SOURCE_REMOVE;
    }
  if (finished)
    complete (d);
  return G_SOURCE_REMOVE;
}

static void
worker_run_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* One iteration of the worker's context: waiting for the child, then
 * dispatching (reads, parsing, events). */
static void
worker_iterate (RunDriver *d,
                gboolean   may_block)
{
  GMainContext *context = d->worker_context;
  int max_priority = G_PRIORITY_DEFAULT;
  int timeout = 0;
  GPollFD fds[32];
  GPollFD *poll_fds = fds;
  g_autofree GPollFD *more = NULL;
  int n;

  g_main_context_prepare (context, &max_priority);
  n = g_main_context_query (context, max_priority, &timeout, fds, G_N_ELEMENTS (fds));
  if (n > (int) G_N_ELEMENTS (fds))
    {
      more = g_new (GPollFD, n);
      poll_fds = more;
      n = g_main_context_query (context, max_priority, &timeout, poll_fds, n);
    }
  if (!may_block)
    timeout = 0;
  g_poll (poll_fds, n, timeout);
  if (g_main_context_check (context, max_priority, poll_fds, n))
    g_main_context_dispatch (context);
}

static gpointer
run_thread (gpointer user_data)
{
  RunDriver *d = user_data;
  GAsyncResult *result = NULL;

#ifdef __linux__
  /* When the worker and the caller's loop want the same core, the loop
   * (a window that draws) goes first: this thread only, not the process. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), IWB_SESSION_RUN_THREAD_NICE) != 0)
    g_debug ("Cannot lower the priority of the run's thread: %s", g_strerror (errno));
#endif
  g_main_context_push_thread_default (d->worker_context);
  g_main_context_acquire (d->worker_context);
  /* Starting may emit already (a FINISHED for a child that could not
   * start): relay_event passes the gate as for any event. */
  iwb_run_start_async (d->run, d->cancellable, worker_run_done, &result);

  while (result == NULL)
    worker_iterate (d, TRUE);
  /* What the run cancelled on its way out (reads, the stdin writer)
   * completes here, not on a context nobody iterates. */
  while (g_main_context_pending (d->worker_context))
    worker_iterate (d, FALSE);
  g_main_context_release (d->worker_context);
  g_main_context_pop_thread_default (d->worker_context);
  g_main_context_unref (d->worker_context);

  g_mutex_lock (&d->lock);
  d->result = result;
  d->done = TRUE;
  schedule_drain (d);
  g_mutex_unlock (&d->lock);
  return NULL;
}

static void
main_run_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RunDriver *d = user_data;

  d->result = g_object_ref (result);
  complete (d);
}

void
iwb_session_start_run (IwbSession         *self,
                       IwbRun             *run,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GError) error = NULL;
  RunDriver *d;
  GThread *thread = NULL;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (IWB_IS_RUN (run));

  d = g_new0 (RunDriver, 1);
  g_mutex_init (&d->lock);
  g_mutex_init (&d->gate);
  g_cond_init (&d->gate_cond);
  d->session = g_object_ref (self);
  d->run = g_object_ref (run);
  d->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  d->callback = callback;
  d->user_data = user_data;
  d->caller_context = g_main_context_ref_thread_default ();
  g_ptr_array_add (self->running, g_object_ref (run));
  _iwb_session_notify_n_running (self);
  _iwb_session_emit_run_started (self, run);

  /* Only runs whose first handler is the relay can run elsewhere. */
  if (g_object_get_data (G_OBJECT (run), RELAY_KEY) != NULL)
    {
      d->worker_context = g_main_context_new ();
      g_object_set_data (G_OBJECT (run), DRIVER_KEY, d);
      thread = g_thread_try_new ("iwb-run", run_thread, d, &error);
      if (thread == NULL)
        {
          g_object_set_data (G_OBJECT (run), DRIVER_KEY, NULL);
          g_clear_pointer (&d->worker_context, g_main_context_unref);
          g_warning ("Cannot start a thread for the run (%s): it runs on the main loop", error->message);
        }
      else
        g_thread_unref (thread);
    }
  if (thread == NULL)
    iwb_run_start_async (run, cancellable, main_run_done, d);
}

guint
iwb_session_get_n_running (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), 0);
  return self->running->len;
}
