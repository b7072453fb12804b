/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IwbRun tests' shared helpers (declared in test-run-util.h). */
#include "config.h"

#include "test-run-util.h"

static IwbDemoService *service;
static GHashTable *descriptors; /* fixture name -> JsonNode */
static char *files_root;

IwbDemoService *
test_run_service (void)
{
  return service;
}

const char *
test_run_files_root (void)
{
  return files_root;
}

GFile *
fixture_folder (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "run-fixtures", name, NULL);
  return g_file_new_for_path (path);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

JsonNode *
fixture_descriptor (const char *name)
{
  JsonNode *node = g_hash_table_lookup (descriptors, name);

  if (node == NULL)
    {
      g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
      g_autoptr(IwbLoader) loader = iwb_loader_new (python);
      g_autoptr(GFile) folder = fixture_folder (name);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(IwbIntegration) integration = NULL;
      g_autoptr(GError) error = NULL;

      iwb_loader_load_async (loader, folder, NULL, on_loaded, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      integration = iwb_loader_load_finish (loader, result, &error);
      g_assert_no_error (error);
      node = iwb_descriptor_build (integration);
      g_hash_table_insert (descriptors, g_strdup (name), node);
    }
  return node;
}

IwbRun *
make_run (const char      *fixture,
          IwbRunOperation  op,
          const char      *entrypoint)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(GFile) folder = fixture_folder (fixture);
  g_autofree char *files = g_build_filename (files_root, fixture, NULL);
  IwbRun *run = iwb_run_new (python, folder, fixture_descriptor (fixture), op, entrypoint);

  iwb_run_set_files_dir (run, files);
  iwb_run_set_timeout (run, 60);
  return run;
}

void
run_collect_on_event (IwbRun      *run,
                      IwbRunEvent *event,
                      Collect     *c)
{
  /* The flood tests emit hundreds of thousands of log lines: keep only
   * the first ones and everything else. */
  if (iwb_run_event_get_kind (event) != IWB_RUN_EVENT_LOG || c->events->len < 10000)
    g_ptr_array_add (c->events, g_object_ref (event));

  if (c->cancel_on != NULL && c->cancellable != NULL)
    {
      g_autofree char *text = NULL;

      if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_LOG)
        text = g_strdup (iwb_run_event_get_text (event));
      else if (iwb_run_event_get_payload (event) != NULL)
        text = json_to_string (iwb_run_event_get_payload (event), FALSE);
      if (text != NULL && strstr (text, c->cancel_on) != NULL)
        g_cancellable_cancel (c->cancellable);
    }
}

void
run_collect_on_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Collect *c = user_data;

  c->ok = iwb_run_start_finish (IWB_RUN (source), result, &c->error);
  c->done = TRUE;
}

GPtrArray *
run_collect (IwbRun       *run,
             GCancellable *cancellable,
             const char   *cancel_on,
             gboolean     *ok,
             GError      **error)
{
  Collect c = { g_ptr_array_new_with_free_func (g_object_unref), FALSE, FALSE, NULL,
                cancel_on, cancellable };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gulong handler = g_signal_connect (run, "event", G_CALLBACK (run_collect_on_event), &c);

  iwb_run_start_async (run, cancellable, run_collect_on_done, &c);
  while (!c.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (c.done);
  g_signal_handler_disconnect (run, handler);
  if (ok)
    *ok = c.ok;
  if (error)
    *error = c.error;
  else
    g_clear_error (&c.error);
  return c.events;
}

GPtrArray *
run_ok (IwbRun *run)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;
  GPtrArray *events = run_collect (run, NULL, NULL, &ok, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return events;
}

guint
count_kind (GPtrArray       *events,
            IwbRunEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    if (iwb_run_event_get_kind (events->pdata[i]) == kind)
      n++;
  return n;
}

IwbRunEvent *
nth_kind (GPtrArray       *events,
          IwbRunEventKind  kind,
          guint            nth)
{
  for (guint i = 0; i < events->len; i++)
    if (iwb_run_event_get_kind (events->pdata[i]) == kind && nth-- == 0)
      return events->pdata[i];
  return NULL;
}

IwbRunEvent *
last_event (GPtrArray *events)
{
  g_assert_cmpuint (events->len, >, 0);
  return events->pdata[events->len - 1];
}

const char *
payload_string (IwbRunEvent *e,
                const char  *member)
{
  JsonNode *p = iwb_run_event_get_payload (e);

  g_assert_nonnull (p);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (p));
  return json_object_get_string_member_with_default (json_node_get_object (p), member, NULL);
}

gboolean
log_contains (GPtrArray  *events,
              const char *stream,
              const char *needle)
{
  for (guint i = 0; i < events->len; i++)
    {
      IwbRunEvent *e = events->pdata[i];

      if (iwb_run_event_get_kind (e) == IWB_RUN_EVENT_LOG &&
          (stream == NULL || g_strcmp0 (iwb_run_event_get_stream (e), stream) == 0) &&
          strstr (iwb_run_event_get_text (e), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

JsonObject *
row_new (const char *key,
         const char *value)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, key, value);
  return o;
}

void
assert_process_goes_away (GPid pid)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_cmpint (pid, >, 1);
  while (!process_gone (pid) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (process_gone (pid));
}

void
set_basic_connection (IwbRun *run)
{
  iwb_run_set_value (run, "SERVICE_URL", iwb_demo_service_get_url (service));
  iwb_run_set_value (run, "TOKEN", IWB_DEMO_CHAT_TOKEN);
}

JsonNode *
descriptor_with_optional_arg (JsonNode   *descriptor,
                              const char *entrypoint,
                              const char *arg)
{
  JsonNode *copy = json_node_copy (descriptor);
  JsonArray *actions = json_object_get_array_member (json_node_get_object (copy), "actions");

  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      JsonObject *a = json_array_get_object_element (actions, i);
      JsonArray *inputs;

      if (g_strcmp0 (json_object_get_string_member (a, "entrypoint"), entrypoint) != 0)
        continue;
      inputs = json_object_get_array_member (
        json_array_get_object_element (json_object_get_array_member (
          json_object_get_object_member (a, "instantiation"), "steps"), 0), "inputs");
      for (guint k = 0; k < json_array_get_length (inputs); k++)
        {
          JsonObject *in = json_array_get_object_element (inputs, k);

          if (g_strcmp0 (json_object_get_string_member (in, "id"), arg) == 0)
            json_object_set_boolean_member (in, "optional", TRUE);
        }
    }
  return copy;
}

JsonObject *
single_result_object (GPtrArray *events)
{
  IwbRunEvent *e = nth_kind (events, IWB_RUN_EVENT_RESULT, 0);

  g_assert_nonnull (e);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (iwb_run_event_get_payload (e)));
  return json_node_get_object (iwb_run_event_get_payload (e));
}

int
test_run_main (int    argc,
               char **argv,
               void (*add_tests) (void))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp = g_dir_make_tmp ("iwb-test-run-XXXXXX", &error);
  g_assert_no_error (error);
  files_root = g_build_filename (tmp, "files", NULL);
  /* keep the user's data dir clean: XDG_DATA_HOME for default files folders */
  iwb_test_use_private_xdg (tmp);

  /* the children talk to the demo service on 127.0.0.1 directly */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);

  descriptors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  service = iwb_demo_service_new ();
  if (!iwb_demo_service_start (service, 0, &error))
    g_error ("demo service: %s", error->message);

  add_tests ();

  ret = g_test_run ();

  iwb_demo_service_stop (service);
  g_object_unref (service);
  g_hash_table_unref (descriptors);
  iwb_test_remove_tree (tmp);
  g_free (files_root);
  return ret;
}
