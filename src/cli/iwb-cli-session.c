/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --profile and --no-history for `iwb validate` and `iwb run`. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-cli-session.h"
#include "iwb-descriptor.h"
#include "iwb-json.h"

void
iwb_cli_session_add_entries (IwbCliSession  *session,
                             GOptionContext *context)
{
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &session->profile,
      N_("Take the values of the saved profile NAME (see “iwb profile”); --set and --set-file "
         "override single values"), N_("NAME") },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &session->no_history,
      N_("Do not record this in the run history (see “iwb history”)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE); /* copies them */
}

GPtrArray *
iwb_cli_descriptor_inputs (JsonNode   *descriptor,
                           const char *entrypoint)
{
  GPtrArray *inputs = g_ptr_array_new ();
  JsonArray *array = iwb_descriptor_get_inputs (descriptor, entrypoint, NULL);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *input = iwb_json_array_get_object (array, i);

      if (input != NULL && json_object_has_member (input, "id"))
        g_ptr_array_add (inputs, input);
    }
  return inputs;
}

gboolean
iwb_cli_input_is_secret (JsonObject *input)
{
  return iwb_descriptor_input_is_secret (input);
}

void
iwb_cli_print_store_warnings (IwbStore *store)
{
  static GHashTable *printed = NULL;
  g_auto(GStrv) warnings = iwb_store_dup_warnings (store);

  if (printed == NULL)
    printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; warnings[i] != NULL; i++)
    if (g_hash_table_add (printed, g_strdup (warnings[i])))
      fprintf (stderr, _("iwb: warning: %s\n"), warnings[i]);
}

static void
add_secret (IwbCliSession *s,
            const char    *id,
            const char    *value)
{
  gboolean found = FALSE;

  for (guint i = 0; i + 1 < s->secret_ids->len && !found; i++) /* NULL-terminated */
    found = g_str_equal (s->secret_ids->pdata[i], id);
  if (!found)
    g_ptr_array_insert (s->secret_ids, s->secret_ids->len - 1, g_strdup (id));
  if (value != NULL && *value != '\0')
    {
      g_autoptr(GPtrArray) file_texts = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_insert (s->secret_values, s->secret_values->len - 1, g_strdup (value));
      /* masked in everything iwb prints from now on */
      iwb_cli_redact_add_secret (value);
      /* an encryptedFile's value names a file: its content is the secret */
      iwb_redact_add_file_secrets (file_texts, NULL, value);
      for (guint i = 0; i < file_texts->len; i++)
        {
          g_ptr_array_insert (s->secret_values, s->secret_values->len - 1, g_strdup (file_texts->pdata[i]));
          iwb_cli_redact_add_secret (file_texts->pdata[i]);
        }
    }
}

static gboolean
is_secret_input (GPtrArray  *inputs,
                 const char *id,
                 gboolean   *known)
{
  for (guint i = 0; i < inputs->len; i++)
    if (g_str_equal (iwb_json_get_string_or (inputs->pdata[i], "id", ""), id))
      {
        *known = TRUE;
        return iwb_cli_input_is_secret (inputs->pdata[i]);
      }
  return FALSE;
}

/* The values given with --set / --set-file, for the history and the
 * secrets to redact. */
static void
note_given_values (IwbCliSession    *s,
                   IwbCliRunOptions *options,
                   GPtrArray        *conn,
                   GPtrArray        *act,
                   GHashTable       *given)
{
  for (int pass = 0; pass < 2; pass++)
    {
      char **list = pass == 0 ? options->set : options->set_file;

      for (guint i = 0; list != NULL && list[i] != NULL; i++)
        {
          g_autofree char *key = NULL;
          g_autofree char *value = NULL;
          gboolean known = FALSE;

          if (!iwb_cli_split_assignment (list[i], pass == 0 ? "--set" : "--set-file", &key, &value, NULL))
            continue;
          if (pass == 1)
            {
              g_autofree char *path = g_steal_pointer (&value);

              value = iwb_cli_read_value_file (path, NULL);
              if (value == NULL)
                continue;
            }
          g_hash_table_add (given, g_strdup (key));
          if (is_secret_input (conn, key, &known) || is_secret_input (act, key, &known) ||
              (s->loaded && (iwb_profile_is_secret (s->loaded, NULL, key))))
            add_secret (s, key, value);
          g_hash_table_insert (s->values, g_strdup (key), g_strdup (value));
        }
    }
}

static void
apply_profile_scope (IwbCliSession  *s,
                     IwbRun         *run,
                     const char     *action,
                     GPtrArray      *inputs,
                     GHashTable     *given,
                     GString        *problems)
{
  g_auto(GStrv) ids = iwb_profile_dup_ids (s->loaded, action);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *value = iwb_profile_get_value (s->loaded, action, ids[i]);
      g_autofree char *expanded = NULL;
      g_autofree char *what = NULL;
      g_autoptr(GError) error = NULL;
      gboolean known = FALSE;
      gboolean secret = is_secret_input (inputs, ids[i], &known) ||
                        iwb_profile_is_secret (s->loaded, action, ids[i]);

      if (!known)
        {
          fprintf (stderr, _("iwb: note: profile “%s” has a value for %s, which %s does not take "
                             "any more; it is left out\n"),
                   s->profile, ids[i], action ? action : _("the connection"));
          continue;
        }
      if (g_hash_table_contains (given, ids[i]))
        continue;
      what = g_strdup_printf (_("Parameter %s of profile “%s”"), ids[i], s->profile);
      expanded = iwb_profile_expand_value (value, NULL, what, &error);
      if (expanded == NULL)
        {
          /* every problem at once */
          g_string_append_printf (problems, "iwb: %s\n", error->message);
          continue;
        }
      iwb_run_set_value (run, ids[i], expanded);
      g_hash_table_insert (s->values, g_strdup (ids[i]), g_strdup (value));
      if (secret)
        {
          add_secret (s, ids[i], expanded);
        }
    }
}

gboolean
iwb_cli_session_prepare (IwbCliSession    *s,
                         IwbRun           *run,
                         const char       *folder,
                         IwbCliRunOptions *options,
                         int              *exit_code)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);
  g_autoptr(GPtrArray) conn = NULL;
  g_autoptr(GPtrArray) act = NULL;
  g_autoptr(GHashTable) given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *descriptor = iwb_run_get_descriptor (run);
  const char *entrypoint = iwb_run_get_entrypoint (run);

  s->integration = iwb_store_integration_key (file);
  s->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->secret_ids = g_ptr_array_new_with_free_func (g_free);
  s->secret_values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (s->secret_ids, NULL);
  g_ptr_array_add (s->secret_values, NULL);
  conn = iwb_cli_descriptor_inputs (descriptor, NULL);
  act = entrypoint ? iwb_cli_descriptor_inputs (descriptor, entrypoint) : g_ptr_array_new ();

  if (s->profile != NULL)
    {
      g_autoptr(IwbStore) store = iwb_store_new (NULL);
      g_autoptr(GError) error = NULL;

      s->loaded = iwb_store_load_profile (store, s->integration, s->profile, NULL, &error);
      iwb_cli_print_store_warnings (store);
      if (s->loaded == NULL)
        {
          g_auto(GStrv) names = iwb_store_list_profiles (store, s->integration, NULL);

          fprintf (stderr, "iwb: --profile %s: %s\n", s->profile, error->message);
          if (names != NULL && names[0] != NULL)
            {
              g_autofree char *list = g_strjoinv (", ", names);

              fprintf (stderr, _("Its profiles: %s\n"), list);
            }
          else
            fprintf (stderr, _("Save one with “iwb profile save %s NAME --set ID=VALUE…”.\n"), folder);
          *exit_code = g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND) ? IWB_EXIT_USAGE
                                                                              : IWB_EXIT_FAILED;
          return FALSE;
        }
      iwb_store_set_last_profile (store, s->integration, s->profile, NULL);
    }

  note_given_values (s, options, conn, act, given);
  if (s->loaded != NULL)
    {
      g_autoptr(GString) problems = g_string_new (NULL);

      apply_profile_scope (s, run, NULL, conn, given, problems);
      if (entrypoint != NULL)
        apply_profile_scope (s, run, entrypoint, act, given, problems);
      if (problems->len > 0)
        {
          fputs (problems->str, stderr);
          *exit_code = IWB_EXIT_USAGE;
          return FALSE;
        }
      if (entrypoint != NULL && iwb_profile_get_rows (s->loaded, entrypoint) != NULL &&
          iwb_run_get_operation (run) == IWB_RUN_EXECUTE)
        {
          JsonArray *rows = iwb_profile_get_rows (s->loaded, entrypoint);
          g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

          for (guint i = 0; i < json_array_get_length (rows); i++)
            if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
              g_ptr_array_add (objects, json_object_ref (iwb_json_array_get_object (rows, i)));
          iwb_run_set_rows (run, objects); /* --input replaces them */
        }
    }
  for (guint i = 0; i < conn->len + act->len; i++)
    {
      JsonObject *input = i < conn->len ? conn->pdata[i] : act->pdata[i - conn->len];

      if (iwb_cli_input_is_secret (input))
        add_secret (s, iwb_json_get_string_or (input, "id", ""), NULL);
    }
  *exit_code = IWB_EXIT_OK;
  return TRUE;
}

/* The history is opened on a thread of its own while the child starts (the
 * open reads back what the previous large run left in the WAL: 10-60 ms
 * that were before the child's start). Events that come before it is
 * open are kept, in order, and given to the recording once it begins. */
typedef struct _IwbCliOpening
{
  GMutex               lock;
  GThread             *thread;
  IwbHistoryRunInfo    info;
  JsonObject          *params;
  GPtrArray           *early;     /* IwbRunEvent, before the recording began */
  IwbHistory          *history;   /* once open */
  IwbHistoryRecording *recording; /* likewise */
  GError              *error;
  IwbRun              *run;
  gulong               handler;
} IwbCliOpening;

static gpointer
open_thread (gpointer data)
{
  IwbCliOpening *o = data;
  GError *error = NULL;
  IwbHistory *history = iwb_history_open (NULL, &error);

  g_mutex_lock (&o->lock);
  o->history = history;
  o->error = error;
  if (history != NULL)
    {
      o->recording = iwb_history_begin (history, &o->info);
      for (guint i = 0; i < o->early->len; i++)
        iwb_history_recording_add_event (o->recording, o->early->pdata[i]);
    }
  g_ptr_array_set_size (o->early, 0);
  g_mutex_unlock (&o->lock);
  return NULL;
}

static void
on_run_event (IwbRun      *run,
              IwbRunEvent *event,
              gpointer     data)
{
  IwbCliOpening *o = data;

  g_mutex_lock (&o->lock);
  if (o->recording != NULL)
    iwb_history_recording_add_event (o->recording, event);
  else if (o->error == NULL)
    g_ptr_array_add (o->early, g_object_ref (event));
  g_mutex_unlock (&o->lock);
}

static void
opening_free (IwbCliOpening *o)
{
  if (o->thread != NULL)
    g_thread_join (o->thread);
  if (o->handler != 0)
    g_signal_handler_disconnect (o->run, o->handler);
  g_clear_object (&o->run);
  g_ptr_array_unref (o->early);
  g_clear_pointer (&o->params, json_object_unref);
  g_clear_pointer (&o->recording, iwb_history_recording_unref);
  g_clear_object (&o->history);
  g_clear_error (&o->error);
  g_mutex_clear (&o->lock);
  g_free (o);
}

void
iwb_cli_session_record (IwbCliSession *s,
                        IwbRun        *run)
{
  IwbCliOpening *o;
  GHashTableIter it;
  gpointer key, value;

  if (s->no_history || s->integration == NULL)
    return;
  o = g_new0 (IwbCliOpening, 1);
  g_mutex_init (&o->lock);
  o->early = g_ptr_array_new_with_free_func (g_object_unref);
  o->params = json_object_new ();
  g_hash_table_iter_init (&it, s->values);
  while (g_hash_table_iter_next (&it, &key, &value))
    json_object_set_string_member (o->params, key, value);
  o->info.kind = iwb_run_get_operation (run) == IWB_RUN_EXECUTE ? IWB_HISTORY_KIND_RUN
                                                                : IWB_HISTORY_KIND_VALIDATION;
  o->info.integration = s->integration;
  o->info.action = iwb_run_get_entrypoint (run);
  o->info.profile = s->profile;
  o->info.params = o->params;
  o->info.secret_ids = (const char * const *) s->secret_ids->pdata;
  o->info.secret_values = (const char * const *) s->secret_values->pdata;
  o->run = g_object_ref (run);
  o->handler = g_signal_connect (run, "event", G_CALLBACK (on_run_event), o);
  o->thread = g_thread_new ("iwb-history-open", open_thread, o);
  s->opening = o;
}

void
iwb_cli_session_finish (IwbCliSession *s)
{
  g_autoptr(GError) error = NULL;
  IwbCliOpening *o = g_steal_pointer (&s->opening);

  if (o != NULL)
    {
      g_thread_join (g_steal_pointer (&o->thread));
      g_signal_handler_disconnect (o->run, o->handler);
      o->handler = 0;
      if (o->error != NULL)
        fprintf (stderr, _("iwb: warning: this is not recorded in the run history: %s\n"),
                 o->error->message);
      s->history = g_steal_pointer (&o->history);
      s->recording = g_steal_pointer (&o->recording);
      opening_free (o);
    }
  if (s->recording != NULL && iwb_history_recording_wait (s->recording, &error) == 0)
    fprintf (stderr, _("iwb: warning: %s\n"), error->message);
  if (s->history != NULL)
    {
      g_auto(GStrv) warnings = iwb_history_dup_warnings (s->history);

      for (guint i = 0; warnings[i] != NULL; i++)
        fprintf (stderr, _("iwb: warning: %s\n"), warnings[i]);
    }
  g_clear_pointer (&s->recording, iwb_history_recording_unref);
  /* the writer prunes in the background: closing waits for it */
  g_clear_object (&s->history);
}

void
iwb_cli_session_clear (IwbCliSession *s)
{
  g_clear_pointer (&s->profile, g_free);
  g_clear_pointer (&s->integration, g_free);
  g_clear_object (&s->loaded);
  g_clear_pointer (&s->values, g_hash_table_unref);
  g_clear_pointer (&s->secret_ids, g_ptr_array_unref);
  g_clear_pointer (&s->secret_values, g_ptr_array_unref);
  g_clear_pointer (&s->opening, opening_free);
  g_clear_pointer (&s->recording, iwb_history_recording_unref);
  g_clear_object (&s->history);
}
