/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbSession's connection profiles (iwb-session-profiles.c) against a real
 * profiles.json and the real gnome-keyring of the test D-Bus session. */
#include "config.h"

#include "iwb-core.h"
#include "iwb-error.h"
#include "iwb-session.h"
#include "test-iwb-util.h"
#include "test-stores-util.h"

#define SECRET "s3cr\"et-pa ss+é"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
wait_op (IwbSession  *session,
         GError     **error,
         void       (*start) (IwbSession *, const char *, GCancellable *, GAsyncReadyCallback, gpointer),
         const char  *name)
{
  g_autoptr(GAsyncResult) result = NULL;

  start (session, name, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return iwb_session_profile_finish (session, result, error);
}

static void
open_profiles (IwbSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  iwb_session_open_profiles_async (session, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (iwb_session_profile_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_true (iwb_session_profiles_opened (session));
}

static GPtrArray *
rows_of (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (rows, json_object_ref (json_array_get_object_element (array, i)));
  return rows;
}

static void
count_loaded (IwbSession *session,
              guint      *n)
{
  (*n)++;
}

static void
test_round_trip (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  g_autoptr(IwbSession) session = iwb_session_new ();
  g_autoptr(IwbSession) again = iwb_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = rows_of ("[{\"word\": \"a\"}, {\"word\": \"b\"}]");
  g_auto(GStrv) forms = stores_secret_forms (SECRET);
  g_autofree char *key = NULL;
  IwbSessionValueFlags flags;
  GPtrArray *back;
  guint loaded = 0;

  stores_home_init (&home);
  stores_ensure_keyring ();
  iwb_session_set_folder (session, folder);
  open_profiles (session);
  g_assert_null (iwb_session_get_profile (session));
  g_assert_cmpuint (g_strv_length ((char **) iwb_session_get_profile_names (session)), ==, 0);

  iwb_session_set_value (session, "connection", "url", "http://127.0.0.1:9", IWB_SESSION_VALUE_TYPED);
  iwb_session_set_value (session, "connection", "password", SECRET,
                         IWB_SESSION_VALUE_TYPED | IWB_SESSION_VALUE_SECRET);
  iwb_session_set_value (session, "connection", "token", "${IWB_TEST_PROFILE_TOKEN}", IWB_SESSION_VALUE_TYPED);
  iwb_session_set_value (session, "connection", "chosen", "default", IWB_SESSION_VALUE_NONE);
  iwb_session_set_value (session, "action:main.echo", "greeting", "hello", IWB_SESSION_VALUE_TYPED);
  iwb_session_set_value (session, "action:main.echo", "api_key", "user-marked-42", IWB_SESSION_VALUE_TYPED);
  iwb_session_set_value_user_secret (session, "action:main.echo", "api_key", TRUE);
  iwb_session_set_rows (session, "main.echo", rows);
  g_assert_true (wait_op (session, &error, iwb_session_save_profile_async, "staging"));
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_session_get_profile (session), ==, "staging");
  g_assert_false (iwb_session_get_modified (session));
  g_assert_false (iwb_session_get_secrets_in_memory (session));
  g_assert_true (g_strv_contains (iwb_session_get_profile_names (session), "staging"));

  /* Neither secret is on disk in any form. */
  stores_assert_not_in_files (home.root, (const char * const *) forms);
  {
    g_auto(GStrv) other = stores_secret_forms ("user-marked-42");

    stores_assert_not_in_files (home.root, (const char * const *) other);
  }

  /* Another session (a restart): the last used profile comes back whole. */
  g_signal_connect (again, "values-loaded", G_CALLBACK (count_loaded), &loaded);
  iwb_session_set_folder (again, folder);
  open_profiles (again);
  g_assert_cmpuint (loaded, ==, 1);
  g_assert_cmpstr (iwb_session_get_profile (again), ==, "staging");
  g_assert_false (iwb_session_get_modified (again));
  g_assert_cmpstr (iwb_session_get_value (again, "connection", "url", NULL), ==, "http://127.0.0.1:9");
  g_assert_cmpstr (iwb_session_get_value (again, "connection", "password", &flags), ==, SECRET);
  g_assert_true (flags & IWB_SESSION_VALUE_SECRET);
  g_assert_null (iwb_session_get_value (again, "connection", "chosen", NULL));
  g_assert_cmpstr (iwb_session_get_value (again, "action:main.echo", "greeting", NULL), ==, "hello");
  g_assert_cmpstr (iwb_session_get_value (again, "action:main.echo", "api_key", &flags), ==, "user-marked-42");
  g_assert_true (flags & IWB_SESSION_VALUE_SECRET);
  g_assert_true (iwb_session_get_value_user_secret (again, "action:main.echo", "api_key"));
  back = iwb_session_get_rows (again, "main.echo");
  g_assert_nonnull (back);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (back, 1), "word"), ==, "b");

  /* The environment reference: taken at run time, named when missing. */
  g_unsetenv ("IWB_TEST_PROFILE_TOKEN");
  g_assert_null (iwb_session_expand_value (again, "connection", "token",
                                           iwb_session_get_value (again, "connection", "token", NULL), &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_ENV_MISSING);
  g_assert_nonnull (strstr (error->message, "IWB_TEST_PROFILE_TOKEN"));
  g_assert_nonnull (strstr (error->message, "staging"));
  g_clear_error (&error);
  g_setenv ("IWB_TEST_PROFILE_TOKEN", "from-env", TRUE);
  key = iwb_session_expand_value (again, "connection", "token",
                                  iwb_session_get_value (again, "connection", "token", NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "from-env");
  g_unsetenv ("IWB_TEST_PROFILE_TOKEN");
}

static void
test_modified (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  g_autoptr(IwbSession) session = iwb_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = rows_of ("[{\"word\": \"x\"}]");

  stores_home_init (&home);
  stores_ensure_keyring ();
  iwb_session_set_folder (session, folder);
  open_profiles (session);
  iwb_session_set_value (session, "connection", "url", "http://a", IWB_SESSION_VALUE_TYPED);
  g_assert_true (wait_op (session, &error, iwb_session_save_profile_async, "one"));
  g_assert_false (iwb_session_get_modified (session));

  /* A default the form chose is no change; typing is; typing it back is not. */
  iwb_session_set_value (session, "connection", "other", "d", IWB_SESSION_VALUE_NONE);
  g_assert_false (iwb_session_get_modified (session));
  iwb_session_set_value (session, "connection", "url", "http://b", IWB_SESSION_VALUE_TYPED);
  g_assert_true (iwb_session_get_modified (session));
  iwb_session_set_value (session, "connection", "url", "http://a", IWB_SESSION_VALUE_TYPED);
  g_assert_false (iwb_session_get_modified (session));
  iwb_session_set_rows (session, "main.echo", rows);
  g_assert_true (iwb_session_get_modified (session));
  iwb_session_set_rows (session, "main.echo", NULL);
  g_assert_false (iwb_session_get_modified (session));

  /* Switching profiles refills the values. */
  iwb_session_set_value (session, "connection", "url", "http://two", IWB_SESSION_VALUE_TYPED);
  g_assert_true (wait_op (session, &error, iwb_session_duplicate_profile_async, "two"));
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_session_get_profile (session), ==, "two");
  g_assert_false (wait_op (session, &error, iwb_session_duplicate_profile_async, "one"));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (wait_op (session, &error, iwb_session_load_profile_async, "one"));
  g_assert_cmpstr (iwb_session_get_value (session, "connection", "url", NULL), ==, "http://a");
  g_assert_false (iwb_session_get_modified (session));
  g_assert_true (wait_op (session, &error, iwb_session_load_profile_async, "two"));
  g_assert_cmpstr (iwb_session_get_value (session, "connection", "url", NULL), ==, "http://two");

  /* New: empty values; bad names are refused. */
  g_assert_true (wait_op (session, &error, iwb_session_new_profile_async, "three"));
  g_assert_null (iwb_session_get_value (session, "connection", "url", NULL));
  g_assert_cmpstr (iwb_session_get_profile (session), ==, "three");
  g_assert_false (wait_op (session, &error, iwb_session_new_profile_async, "  "));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* Rename and delete the current one. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    iwb_session_rename_profile_async (session, "three", "drei", NULL, on_done, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (iwb_session_profile_finish (session, result, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (iwb_session_get_profile (session), ==, "drei");
  g_assert_true (g_strv_contains (iwb_session_get_profile_names (session), "drei"));
  g_assert_false (g_strv_contains (iwb_session_get_profile_names (session), "three"));
  g_assert_true (wait_op (session, &error, iwb_session_delete_profile_async, "drei"));
  g_assert_null (iwb_session_get_profile (session));
  g_assert_cmpuint (g_strv_length ((char **) iwb_session_get_profile_names (session)), ==, 2);

  /* Another folder forgets the profile state. */
  iwb_session_load_profile_async (session, "one", NULL, NULL, NULL);
  iwb_session_set_folder (session, NULL);
  g_assert_null (iwb_session_get_profile (session));
  while (iwb_session_get_profiles_busy (session))
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (iwb_session_get_profile (session));
  g_assert_cmpuint (iwb_session_get_n_values (session), ==, 0);
}

/* The HTTP mode travels with the profile: dup takes the session's, apply
 * gives the profile's back (no I/O needed to prove the mapping). */
static void
test_http_mode (void)
{
  g_autoptr(IwbSession) session = iwb_session_new ();
  g_autoptr(IwbSession) other = iwb_session_new ();
  g_autoptr(IwbProfile) profile = NULL;
  g_autoptr(IwbProfile) live = iwb_profile_new ("live");

  iwb_session_set_http_mode (session, IWB_HTTP_MODE_REPLAY, "/tmp/demo-cassette.json");
  iwb_session_set_replay_strict (session, TRUE);
  profile = iwb_session_dup_profile (session, "demo");
  g_assert_cmpint (iwb_profile_get_http_mode (profile), ==, IWB_HTTP_MODE_REPLAY);
  g_assert_cmpstr (iwb_profile_get_cassette_path (profile), ==, "/tmp/demo-cassette.json");
  g_assert_true (iwb_profile_get_replay_strict (profile));

  iwb_session_apply_profile (other, profile);
  g_assert_cmpint (iwb_session_get_http_mode (other), ==, IWB_HTTP_MODE_REPLAY);
  g_assert_cmpstr (iwb_session_get_cassette_path (other), ==, "/tmp/demo-cassette.json");
  g_assert_true (iwb_session_get_replay_strict (other));

  /* A profile that never had a mode is live. */
  iwb_session_apply_profile (other, live);
  g_assert_cmpint (iwb_session_get_http_mode (other), ==, IWB_HTTP_MODE_LIVE);
  g_assert_false (iwb_session_get_replay_strict (other));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session-profiles/round-trip", test_round_trip);
  g_test_add_func ("/session-profiles/modified-switch-rename-delete", test_modified);
  g_test_add_func ("/session-profiles/http-mode", test_http_mode);
  return g_test_run ();
}
