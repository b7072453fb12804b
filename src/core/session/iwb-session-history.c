/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession's run history: every validation and run the session starts
 * is recorded in an IwbHistory (see iwb-session.h, "run history").
 *
 * Where the recording is fed: a run made by iwb_session_create_run() runs
 * on a thread of its own (iwb-session-runs.c), and its relay hands each
 * event to _iwb_session_history_event() there, before queuing it for the
 * caller: serialising 100,000 results for the database never costs the
 * caller's loop anything. Other runs, and runs started while the history
 * is still opening (their events are kept until it is open), are fed by an
 * "event" handler on the caller's context. Either way, once the FINISHED
 * event is in, the caller's context waits (in a GTask thread) for the
 * commit and emits "run-recorded".
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-field-value.h"
#include "iwb-profile.h"
#include "iwb-redact.h"
#include "iwb-session-private.h"
#include "iwb-store.h"

#define STATE_KEY   "iwb-session-history"
#define TRACKED_KEY "iwb-session-history-run"

typedef struct
{
  IwbHistory *history;
  gboolean    opening;
  gboolean    disabled;
  gboolean    retention_set;
  guint       keep_runs;
  guint64     max_bytes;
  GPtrArray  *waiting;     /* Tracked* of runs started while the history opens */
} State;

/* One recorded run; the run's data (TRACKED_KEY). The feeding thread owns
 * rec, inputs and buffered; `by_worker` is decided before the run starts
 * and never changes. */
typedef struct
{
  IwbSession          *session;    /* weak: cleared when the session goes */
  IwbRun              *run;        /* weak: the run owns this */
  IwbHistoryRecording *rec;
  GPtrArray           *inputs;     /* JsonObject*: added before the first event */
  GPtrArray           *buffered;   /* IwbRunEvent*: while the history opens */
  gboolean             by_worker;
  gboolean             finished;
  gint64               id;
  /* what iwb_history_begin() needs, kept while the history opens */
  IwbHistoryKind       kind;
  char                *integration;
  char                *action;
  char                *profile;
  JsonObject          *params;
  GStrv                secret_ids;
  GStrv                secret_values;
} Tracked;

static guint recorded_signal;

static void
tracked_free (Tracked *t)
{
  if (t->session != NULL)
    g_object_remove_weak_pointer (G_OBJECT (t->session), (gpointer *) &t->session);
  g_clear_pointer (&t->rec, iwb_history_recording_unref);
  g_clear_pointer (&t->inputs, g_ptr_array_unref);
  g_clear_pointer (&t->buffered, g_ptr_array_unref);
  g_free (t->integration);
  g_free (t->action);
  g_free (t->profile);
  g_clear_pointer (&t->params, json_object_unref);
  if (t->secret_values != NULL)
    for (guint i = 0; t->secret_values[i] != NULL; i++)
      explicit_bzero (t->secret_values[i], strlen (t->secret_values[i]));
  g_strfreev (t->secret_ids);
  g_strfreev (t->secret_values);
  g_free (t);
}

static void
state_free (State *state)
{
  g_clear_object (&state->history);
  g_clear_pointer (&state->waiting, g_ptr_array_unref);
  g_free (state);
}

static State *
get_state (IwbSession *self)
{
  State *state = g_object_get_data (G_OBJECT (self), STATE_KEY);

  if (state == NULL)
    {
      state = g_new0 (State, 1);
      state->waiting = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (self), STATE_KEY, state, (GDestroyNotify) state_free);
    }
  return state;
}

/* --- feeding ------------------------------------------------------------- */

static void run_committed (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

/* In the feeding thread. */
static void
feed (Tracked     *t,
      IwbRunEvent *event)
{
  if (t->inputs != NULL)
    {
      g_autoptr(GPtrArray) inputs = g_steal_pointer (&t->inputs);

      iwb_history_recording_add_inputs (t->rec, inputs);
    }
  iwb_history_recording_add_event (t->rec, event);
}

void
_iwb_session_history_event (IwbRun      *run,
                            IwbRunEvent *event)
{
  Tracked *t = g_object_get_data (G_OBJECT (run), TRACKED_KEY);

  if (t != NULL && t->by_worker)
    feed (t, event);
}

/* On the caller's context, after the worker's relay (if any). */
static void
on_run_event (IwbRun      *run,
              IwbRunEvent *event,
              Tracked     *t)
{
  if (t->finished)
    return;
  if (!t->by_worker)
    {
      if (t->rec != NULL)
        feed (t, event);
      else
        g_ptr_array_add (t->buffered, g_object_ref (event));
    }
  if (iwb_run_event_get_kind (event) != IWB_RUN_EVENT_FINISHED)
    return;
  t->finished = TRUE;
  if (t->rec != NULL && t->session != NULL)
    iwb_history_recording_wait_async (t->rec, NULL, run_committed, g_object_ref (run));
}

static void
run_committed (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(IwbRun) run = user_data;
  Tracked *t = g_object_get_data (G_OBJECT (run), TRACKED_KEY);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (t == NULL || t->rec == NULL)
    return;
  id = iwb_history_recording_wait_finish (t->rec, result, &error);
  t->id = id;
  if (t->session == NULL)
    return;
  if (id == 0)
    {
      g_autofree char *message = g_strdup_printf (_("This run is not in the history: %s"), error->message);

      g_signal_emit (t->session, recorded_signal, 0, run, (gint64) 0, message);
    }
  else
    g_signal_emit (t->session, recorded_signal, 0, run, id, NULL);
}

static void
begin (Tracked    *t,
       IwbHistory *history)
{
  IwbHistoryRunInfo info = { 0 };

  info.kind = t->kind;
  info.integration = t->integration;
  info.action = t->action;
  info.profile = t->profile;
  info.params = t->params;
  info.secret_ids = (const char * const *) t->secret_ids;
  info.secret_values = (const char * const *) t->secret_values;
  t->rec = iwb_history_begin (history, &info);
  /* the values were only needed to start: gone at once */
  if (t->secret_values != NULL)
    for (guint i = 0; t->secret_values[i] != NULL; i++)
      explicit_bzero (t->secret_values[i], strlen (t->secret_values[i]));
  g_clear_pointer (&t->secret_values, g_strfreev);
}

/* --- what a run is recorded with ------------------------------------------ */

static void
add_scope (IwbSession *self,
           JsonArray  *inputs,
           const char *scope,
           JsonObject *params,
           GPtrArray  *secret_ids,
           GPtrArray  *secret_values)
{
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      IwbSessionValueFlags flags = IWB_SESSION_VALUE_NONE;
      const char *text = NULL;
      g_autoptr(IwbFieldValue) field = _iwb_session_input_value (self, inputs, i, scope, &text, &flags);
      const char *id;

      if (field == NULL)
        continue;
      id = iwb_field_value_get_id (field);
      json_object_set_string_member (params, id, text ? text : "");
      if ((flags & IWB_SESSION_VALUE_SECRET) || iwb_field_value_is_secret (field))
        {
          g_ptr_array_add (secret_ids, g_strdup (id));
          if (text != NULL && text[0] != '\0')
            {
              g_autofree char *expanded = strstr (text, "${") ? iwb_profile_expand_value (text, NULL, id, NULL)
                                                              : NULL;

              g_ptr_array_add (secret_values, g_strdup (text));
              if (expanded != NULL && expanded[0] != '\0')
                g_ptr_array_add (secret_values, g_steal_pointer (&expanded));
            }
        }
    }
}

/* The session's "profile" (a string property, when the session has one). */
static char *
dup_profile (IwbSession *self)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), "profile");
  char *profile = NULL;

  if (pspec != NULL && pspec->value_type == G_TYPE_STRING)
    g_object_get (self, "profile", &profile, NULL);
  return profile;
}

static Tracked *
track (IwbSession *self,
       IwbRun     *run)
{
  Tracked *t = g_new0 (Tracked, 1);
  JsonNode *descriptor = iwb_session_get_descriptor (self);
  const char *entrypoint = iwb_run_get_entrypoint (run);
  IwbRunOperation operation = iwb_run_get_operation (run);
  g_autoptr(GPtrArray) secret_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) secret_values = g_ptr_array_new_with_free_func (g_free);

  t->session = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &t->session);
  t->run = run;
  t->kind = operation == IWB_RUN_EXECUTE ? IWB_HISTORY_KIND_RUN : IWB_HISTORY_KIND_VALIDATION;
  t->integration = iwb_session_dup_integration_key (self);
  t->action = operation == IWB_RUN_VALIDATE_CONNECTION ? NULL : g_strdup (entrypoint);
  t->profile = dup_profile (self);
  t->params = json_object_new ();
  add_scope (self, _iwb_session_descriptor_inputs (descriptor, NULL), IWB_SESSION_SCOPE_CONNECTION,
             t->params, secret_ids, secret_values);
  if (operation != IWB_RUN_VALIDATE_CONNECTION && entrypoint != NULL)
    {
      g_autofree char *scope = iwb_session_action_scope (entrypoint);

      add_scope (self, _iwb_session_descriptor_inputs (descriptor, entrypoint), scope,
                 t->params, secret_ids, secret_values);
    }
  /* an encryptedFile's value names a file: its content is the secret */
  for (guint i = 0, n = secret_values->len; i < n; i++)
    iwb_redact_add_file_secrets (secret_values, iwb_run_get_files_dir (run), secret_values->pdata[i]);
  g_ptr_array_add (secret_ids, NULL);
  g_ptr_array_add (secret_values, NULL);
  t->secret_ids = (GStrv) g_ptr_array_steal (secret_ids, NULL);
  t->secret_values = (GStrv) g_ptr_array_steal (secret_values, NULL);
  if (operation == IWB_RUN_EXECUTE && entrypoint != NULL && iwb_session_get_rows (self, entrypoint) != NULL)
    t->inputs = g_ptr_array_ref (iwb_session_get_rows (self, entrypoint));
  return t;
}

static void
on_run_started (IwbSession *self,
                IwbRun     *run,
                gpointer    unused)
{
  State *state = get_state (self);
  Tracked *t;

  if (state->disabled || (state->history == NULL && !state->opening) ||
      iwb_session_get_folder (self) == NULL || g_object_get_data (G_OBJECT (run), TRACKED_KEY) != NULL)
    return;
  t = track (self, run);
  g_object_set_data_full (G_OBJECT (run), TRACKED_KEY, t, (GDestroyNotify) tracked_free);
  if (state->history != NULL)
    {
      begin (t, state->history);
      /* the worker's relay feeds it (set before the worker starts) */
      t->by_worker = g_object_get_data (G_OBJECT (run), "iwb-session-relay") != NULL;
    }
  else
    {
      t->buffered = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (state->waiting, g_object_ref (run));
    }
  /* Handles FINISHED (and feeds when the worker does not): after the relay. */
  g_signal_connect (run, "event", G_CALLBACK (on_run_event), t);
}

/* The history is open (or failed to): the runs that waited for it. */
static void
release_waiting (IwbSession *self,
                 State      *state)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&state->waiting);

  state->waiting = g_ptr_array_new ();
  for (guint i = 0; i < waiting->len; i++)
    {
      IwbRun *run = waiting->pdata[i];
      Tracked *t = g_object_get_data (G_OBJECT (run), TRACKED_KEY);
      g_autoptr(GPtrArray) buffered = NULL;

      if (t == NULL)
        {
          g_object_unref (run);
          continue;
        }
      buffered = g_steal_pointer (&t->buffered);
      if (state->history == NULL)
        {
          /* not recorded (the run goes on); the data stays with the run:
           * its thread may be looking at it */
          g_signal_handlers_disconnect_by_func (run, on_run_event, t);
          g_object_unref (run);
          continue;
        }
      begin (t, state->history);
      for (guint j = 0; j < buffered->len; j++)
        feed (t, buffered->pdata[j]);
      if (t->finished && t->session != NULL)
        iwb_history_recording_wait_async (t->rec, NULL, run_committed, g_object_ref (run));
      g_object_unref (run);
    }
}

/* --- public --------------------------------------------------------------- */

void
_iwb_session_history_class_init (GObjectClass *klass)
{
  /**
   * IwbSession::run-recorded:
   * @run: the run
   * @id: its history id, or 0 when it could not be recorded
   * @message: (nullable): why it was not recorded
   */
  recorded_signal = g_signal_new ("run-recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                  IWB_TYPE_RUN, G_TYPE_INT64, G_TYPE_STRING);
}

static void
ensure_connected (IwbSession *self)
{
  if (g_object_get_data (G_OBJECT (self), "iwb-session-history-connected") != NULL)
    return;
  g_object_set_data (G_OBJECT (self), "iwb-session-history-connected", GINT_TO_POINTER (TRUE));
  g_signal_connect (self, "run-started", G_CALLBACK (on_run_started), NULL);
}

static void
apply_retention (State *state)
{
  if (state->history == NULL || !state->retention_set)
    return;
  iwb_history_set_retention (state->history, state->keep_runs, state->max_bytes);
  iwb_history_prune (state->history); /* the writer's thread: never the caller's */
}

void
iwb_session_set_history (IwbSession *self,
                         IwbHistory *history)
{
  State *state;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (history == NULL || IWB_IS_HISTORY (history));

  state = get_state (self);
  ensure_connected (self);
  g_set_object (&state->history, history);
  state->opening = FALSE;
  apply_retention (state);
  release_waiting (self, state);
}

IwbHistory *
iwb_session_get_history (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return get_state (self)->history;
}

static void
history_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(IwbHistory) history = iwb_history_open_finish (result, &error);

  iwb_session_set_history (self, history);
  if (history == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (history), g_object_unref);
}

void
iwb_session_open_history_async (IwbSession          *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  State *state;

  g_return_if_fail (IWB_IS_SESSION (self));
  state = get_state (self);
  ensure_connected (self);
  state->opening = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_session_open_history_async);
  iwb_history_open_async (path, cancellable, history_opened, task);
}

IwbHistory *
iwb_session_open_history_finish (IwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
iwb_session_set_history_enabled (IwbSession *self,
                                 gboolean    enabled)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  get_state (self)->disabled = !enabled;
}

gboolean
iwb_session_get_history_enabled (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  return !get_state (self)->disabled;
}

void
iwb_session_set_history_retention (IwbSession *self,
                                   guint       runs_per_integration,
                                   guint64     max_bytes)
{
  State *state;

  g_return_if_fail (IWB_IS_SESSION (self));
  state = get_state (self);
  state->retention_set = TRUE;
  state->keep_runs = runs_per_integration;
  state->max_bytes = max_bytes;
  apply_retention (state);
}

char *
iwb_session_dup_integration_key (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return iwb_session_get_folder (self) ? iwb_store_integration_key (iwb_session_get_folder (self)) : NULL;
}

gint64
iwb_session_get_run_history_id (IwbSession *self,
                                IwbRun     *run)
{
  Tracked *t;

  g_return_val_if_fail (IWB_IS_SESSION (self), 0);
  g_return_val_if_fail (IWB_IS_RUN (run), 0);
  t = g_object_get_data (G_OBJECT (run), TRACKED_KEY);
  return t ? t->id : 0;
}
