/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connection profiles: the JSON file, secrets in a real gnome-keyring,
 * environment references, and `iwb profile` / `--profile` end to end. */
#include "config.h"

#include <sys/stat.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-stores-util.h"

#define SECRET "pa ss\"w/rd+1é"

static const SecretSchema *
schema (void)
{
  static const SecretSchema s = {
    APPLICATION_ID, SECRET_SCHEMA_NONE,
    { { "integration", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "parameter", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &s;
}

static char *
keyring_lookup (const char *integration,
                const char *profile,
                const char *parameter)
{
  g_autoptr(GError) error = NULL;
  char *value = secret_password_lookup_sync (schema (), NULL, &error, "integration", integration,
                                             "profile", profile, "parameter", parameter, NULL);

  g_assert_no_error (error);
  return value;
}

static char *
fixture_folder (void)
{
  return g_test_build_filename (G_TEST_DIST, "store-fixtures", "leaky", NULL);
}

static void
test_round_trip (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(IwbStore) store = NULL;
  g_autoptr(IwbStore) again = NULL;
  g_autoptr(IwbProfile) profile = iwb_profile_new ("staging");
  g_autoptr(IwbProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) rows = json_from_string ("[{\"word\": \"a\"}, {\"word\": \"b\"}]", NULL);
  g_autofree char *in_keyring = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *last = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) actions = NULL;
  const char *integration = "/srv/integrations/leaky";
  struct stat st;

  stores_home_init (&home);
  stores_ensure_keyring ();
  store = iwb_store_new (home.store);
  iwb_profile_set_value (profile, NULL, "SERVICE_URL", "http://127.0.0.1:1");
  iwb_profile_set_value (profile, NULL, "PASSWORD", SECRET);
  iwb_profile_set_secret (profile, NULL, "PASSWORD", TRUE);
  iwb_profile_set_value (profile, NULL, "TOKEN", "${IWB_TEST_TOKEN}");
  iwb_profile_set_value (profile, "main.echo", "GREETING", "hello");
  iwb_profile_set_value (profile, "main.echo", "API_KEY", "action-secret-42");
  iwb_profile_set_secret (profile, "main.echo", "API_KEY", TRUE);
  iwb_profile_set_rows (profile, "main.echo", json_node_get_array (rows));
  g_assert_true (iwb_store_save_profile (store, integration, profile, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (iwb_store_get_secrets_in_memory (store));

  /* the file: 0600, versioned, no secret, nothing left beside it */
  g_assert_cmpint (g_stat (iwb_store_get_path (store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (iwb_store_get_path (store), &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"format\" : 1"));
  g_assert_nonnull (strstr (contents, "http://127.0.0.1:1"));
  g_assert_null (strstr (contents, "pa ss"));
  g_assert_null (strstr (contents, "action-secret-42"));
  /* the keyring: under the application id's schema */
  in_keyring = keyring_lookup (integration, "staging", "PASSWORD");
  g_assert_cmpstr (in_keyring, ==, SECRET);
  g_clear_pointer (&in_keyring, g_free);
  in_keyring = keyring_lookup (integration, "staging", "main.echo:API_KEY");
  g_assert_cmpstr (in_keyring, ==, "action-secret-42");

  /* another store object (another process would do the same) finds it all */
  again = iwb_store_new (home.store);
  names = iwb_store_list_profiles (again, integration, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "staging", NULL }));
  last = iwb_store_dup_last_profile (again, integration, &error);
  g_assert_cmpstr (last, ==, "staging");
  loaded = iwb_store_load_profile (again, integration, "staging", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_profile_get_value (loaded, NULL, "SERVICE_URL"), ==, "http://127.0.0.1:1");
  g_assert_cmpstr (iwb_profile_get_value (loaded, NULL, "PASSWORD"), ==, SECRET);
  g_assert_true (iwb_profile_is_secret (loaded, NULL, "PASSWORD"));
  g_assert_cmpstr (iwb_profile_get_value (loaded, NULL, "TOKEN"), ==, "${IWB_TEST_TOKEN}");
  g_assert_cmpstr (iwb_profile_get_value (loaded, "main.echo", "GREETING"), ==, "hello");
  g_assert_cmpstr (iwb_profile_get_value (loaded, "main.echo", "API_KEY"), ==, "action-secret-42");
  g_assert_cmpuint (json_array_get_length (iwb_profile_get_rows (loaded, "main.echo")), ==, 2);
  actions = iwb_profile_dup_actions (loaded);
  g_assert_cmpstrv (actions, ((const char *[]) { "main.echo", NULL }));

  /* a secret that is no longer secret leaves the keyring */
  iwb_profile_set_secret (loaded, "main.echo", "API_KEY", FALSE);
  iwb_profile_set_value (loaded, "main.echo", "API_KEY", NULL);
  g_assert_true (iwb_store_save_profile (again, integration, loaded, NULL, &error));
  g_assert_null (keyring_lookup (integration, "staging", "main.echo:API_KEY"));

  /* rename keeps the secret, delete removes it */
  g_assert_true (iwb_store_rename_profile (again, integration, "staging", "prod", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (keyring_lookup (integration, "staging", "PASSWORD"));
  g_clear_pointer (&in_keyring, g_free);
  in_keyring = keyring_lookup (integration, "prod", "PASSWORD");
  g_assert_cmpstr (in_keyring, ==, SECRET);
  g_assert_true (iwb_store_delete_profile (again, integration, "prod", NULL, &error));
  g_assert_null (keyring_lookup (integration, "prod", "PASSWORD"));
  g_assert_false (iwb_store_delete_profile (again, integration, "prod", NULL, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(IwbStore) store = NULL;
  g_autoptr(IwbProfile) profile = iwb_profile_new ("demo");
  g_autoptr(IwbProfile) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stores_home_init (&home);
  stores_ensure_keyring ();
  store = iwb_store_new (home.store);
  iwb_profile_set_value (profile, NULL, "PASSWORD", "async-secret");
  iwb_profile_set_secret (profile, NULL, "PASSWORD", TRUE);
  iwb_store_save_profile_async (store, "/x", profile, NULL, on_async_done, &result);
  /* edits after the call do not reach the saved copy */
  iwb_profile_set_value (profile, NULL, "PASSWORD", "changed-after");
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (iwb_store_save_profile_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  iwb_store_load_profile_async (store, "/x", "demo", NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  loaded = iwb_store_load_profile_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_profile_get_value (loaded, NULL, "PASSWORD"), ==, "async-secret");
  g_clear_object (&result);
  iwb_store_delete_profile_async (store, "/x", "demo", NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (iwb_store_delete_profile_finish (store, result, &error));
}

static void
test_env_reference (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *expanded = NULL;
  const char *env[] = { "IWB_A=alpha", "B_2=beta", NULL };

  g_assert_true (iwb_profile_value_is_env_reference ("${IWB_A}", &names));
  g_assert_cmpstrv (names, ((const char *[]) { "IWB_A", NULL }));
  g_clear_pointer (&names, g_strfreev);
  g_assert_true (iwb_profile_value_is_env_reference ("Bearer ${IWB_A}-${B_2}", &names));
  g_assert_cmpstrv (names, ((const char *[]) { "IWB_A", "B_2", NULL }));
  g_clear_pointer (&names, g_strfreev);
  g_assert_false (iwb_profile_value_is_env_reference ("plain $HOME text", NULL));
  g_assert_false (iwb_profile_value_is_env_reference ("$${IWB_A}", NULL));

  expanded = iwb_profile_expand_value ("Bearer ${IWB_A}/${B_2}", env, "TOKEN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (expanded, ==, "Bearer alpha/beta");
  g_clear_pointer (&expanded, g_free);
  expanded = iwb_profile_expand_value ("literal $${IWB_A} and $5", env, "TOKEN", &error);
  g_assert_cmpstr (expanded, ==, "literal ${IWB_A} and $5");
  g_clear_pointer (&expanded, g_free);

  expanded = iwb_profile_expand_value ("${IWB_NOT_SET_ANYWHERE}", env, "Parameter TOKEN", &error);
  g_assert_null (expanded);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_ENV_MISSING);
  g_assert_nonnull (strstr (error->message, "IWB_NOT_SET_ANYWHERE"));
  g_assert_nonnull (strstr (error->message, "Parameter TOKEN"));
  g_clear_error (&error);
  expanded = iwb_profile_expand_value ("${IWB_A", env, "TOKEN", &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  expanded = iwb_profile_expand_value ("${1X}", env, "TOKEN", &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE);
}

static void
test_corrupt_file (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(IwbStore) store = NULL;
  g_autoptr(IwbProfile) profile = iwb_profile_new ("after");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_contents = NULL;
  const char *name;
  const char *garbage = "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": ";

  stores_home_init (&home);
  store = iwb_store_new (home.store);
  g_assert_cmpint (g_mkdir_with_parents (home.store, 0700), ==, 0);
  g_assert_true (g_file_set_contents (iwb_store_get_path (store), garbage, -1, NULL));

  names = iwb_store_list_profiles (store, "/x", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  warnings = iwb_store_dup_warnings (store);
  g_assert_cmpuint (g_strv_length (warnings), ==, 1);
  g_assert_nonnull (strstr (warnings[0], "moved to"));
  g_assert_nonnull (strstr (warnings[0], iwb_store_get_path (store)));
  /* the broken file is kept as it was, beside */
  dir = g_dir_open (home.store, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "profiles.json.corrupt-"))
      aside = g_build_filename (home.store, name, NULL);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (warnings[0], aside));
  g_assert_true (g_file_get_contents (aside, &aside_contents, NULL, NULL));
  g_assert_cmpstr (aside_contents, ==, garbage);
  g_assert_false (g_file_test (iwb_store_get_path (store), G_FILE_TEST_EXISTS));

  /* saving afterwards starts a new file and leaves the old one alone */
  g_assert_true (iwb_store_save_profile (store, "/x", profile, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&aside_contents, g_free);
  g_assert_true (g_file_get_contents (aside, &aside_contents, NULL, NULL));
  g_assert_cmpstr (aside_contents, ==, garbage);

  /* a well-formed file of the wrong shape is corrupt too */
  g_assert_true (g_file_set_contents (iwb_store_get_path (store), "[1, 2]", -1, NULL));
  g_clear_pointer (&names, g_strfreev);
  names = iwb_store_list_profiles (store, "/x", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&warnings, g_strfreev);
  warnings = iwb_store_dup_warnings (store);
  g_assert_cmpuint (g_strv_length (warnings), ==, 2);
  g_assert_nonnull (strstr (warnings[1], "not a JSON object"));
}

static void
test_newer_file (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(IwbStore) store = NULL;
  g_autoptr(IwbProfile) profile = iwb_profile_new ("x");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *after = NULL;
  g_autofree char *folder = fixture_folder ();
  g_auto(IwbCliResult) r = { 0 };
  const char *newer = "{\"format\": 7, \"integrations\": {}, \"somethingNew\": [1]}";

  stores_home_init (&home);
  store = iwb_store_new (home.store);
  g_assert_cmpint (g_mkdir_with_parents (home.store, 0700), ==, 0);
  g_assert_true (g_file_set_contents (iwb_store_get_path (store), newer, -1, NULL));

  names = iwb_store_list_profiles (store, "/x", &error);
  g_assert_null (names);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_nonnull (strstr (error->message, iwb_store_get_path (store)));
  g_clear_error (&error);
  g_assert_false (iwb_store_save_profile (store, "/x", profile, NULL, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NEWER_VERSION);
  g_assert_true (g_file_get_contents (iwb_store_get_path (store), &after, NULL, NULL));
  g_assert_cmpstr (after, ==, newer);

  /* the CLI says so too, and exits 2 */
  iwb_cli_run (&r, NULL, NULL, "profile", "list", folder, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "newer Integration Workbench"));
}

/* Saving, validating, running and recording with a secret: the secret is
 * in the keyring and in no file, in no form. */
static void
test_secret_only_in_keyring (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *folder = fixture_folder ();
  g_autofree char *real = NULL;
  g_autofree char *pw_file = NULL;
  g_autofree char *pw_arg = NULL;
  g_autofree char *in_keyring = NULL;
  g_autofree char *rows = NULL;
  g_auto(GStrv) forms = stores_secret_forms (SECRET);
  g_auto(IwbCliResult) save = { 0 };
  g_auto(IwbCliResult) show = { 0 };
  g_auto(IwbCliResult) validate = { 0 };
  g_auto(IwbCliResult) run = { 0 };
  g_auto(IwbCliResult) list = { 0 };
  g_auto(IwbCliResult) detail = { 0 };
  g_autoptr(GFile) file = NULL;
  guint searched;

  stores_home_init (&home);
  stores_ensure_keyring ();
  file = g_file_new_for_path (folder);
  real = iwb_store_integration_key (file);
  pw_file = g_build_filename (home.root, "pw.txt", NULL);
  g_assert_true (g_file_set_contents (pw_file, SECRET "\n", -1, NULL));
  pw_arg = g_strdup_printf ("PASSWORD=%s", pw_file);
  iwb_cli_run (&save, NULL, NULL, "profile", "save", folder, "demo",
               "--set", "SERVICE_URL=http://127.0.0.1:9", "--set-file", pw_arg, NULL);
  g_assert_cmpint (save.status, ==, 0);
  g_assert_nonnull (strstr (save.err, "in the keyring"));
  g_unlink (pw_file);
  in_keyring = keyring_lookup (real, "demo", "PASSWORD");
  g_assert_cmpstr (in_keyring, ==, SECRET);

  iwb_cli_run (&show, NULL, NULL, "profile", "show", folder, "demo", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "http://127.0.0.1:9"));
  g_assert_nonnull (strstr (show.out, "PASSWORD"));
  g_assert_nonnull (strstr (show.out, "(secret, in the keyring)"));
  g_assert_null (strstr (show.out, "pa ss"));

  /* the validator prints the password: the history must not keep it */
  iwb_cli_run (&validate, NULL, NULL, "validate", folder, "--profile", "demo", NULL);
  g_assert_cmpint (validate.status, ==, 0);
  rows = g_strdup ("{\"word\": \"one\"}\n{\"word\": \"two\"}\n");
  iwb_cli_run (&run, NULL, rows, "run", folder, "echo", "--profile", "demo", "--input", "-",
               "--format", "jsonl", NULL);
  g_assert_cmpint (run.status, ==, 0);
  /* the password really reached the integration (from the keyring): it
   * returned it, and iwb prints every form of it masked */
  g_assert_nonnull (strstr (run.out, "\"raw\":\"" IWB_HISTORY_SECRET_MARKER "\""));
  g_assert_null (strstr (run.out, "pa ss"));
  g_assert_null (strstr (validate.out, "pa ss"));

  iwb_cli_run (&list, NULL, NULL, "history", "list", folder, "--format", "jsonl", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "\"kind\":\"validation\""));
  g_assert_nonnull (strstr (list.out, "\"kind\":\"run\""));
  iwb_cli_run (&detail, NULL, NULL, "history", "show", "2", "--format", "json", NULL);
  g_assert_cmpint (detail.status, ==, 0);
  g_assert_nonnull (strstr (detail.out, "\"PASSWORD\":\"" IWB_HISTORY_SECRET_MARKER "\""));
  g_assert_nonnull (strstr (detail.out, "\"raw\":\"" IWB_HISTORY_SECRET_MARKER "\""));
  g_assert_nonnull (strstr (detail.out, "\"b64\":\"" IWB_HISTORY_SECRET_MARKER "\""));
  g_assert_nonnull (strstr (detail.out, "\"word\":\"two\""));

  searched = stores_assert_not_in_files (home.root, (const char * const *) forms);
  g_test_message ("searched %u files", searched);
  g_assert_cmpuint (searched, >=, 3); /* profiles.json, history.sqlite, its WAL at least */
}

/* No Secret Service: secrets stay in memory, the user is told once, no
 * clear text anywhere. */
static void
test_no_secret_service (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *folder = fixture_folder ();
  g_autofree char *old_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *bogus = NULL;
  g_auto(GStrv) forms = stores_secret_forms ("memory-only-secret");
  g_auto(IwbCliResult) save = { 0 };
  g_auto(IwbCliResult) show = { 0 };
  const char *p;
  guint n = 0;

  stores_home_init (&home);
  bogus = g_strdup_printf ("unix:path=%s/no-bus-here", home.root);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bogus, TRUE);
  iwb_cli_run (&save, NULL, NULL, "profile", "save", folder, "demo",
               "--set", "SERVICE_URL=http://127.0.0.1:9", "--set", "PASSWORD=memory-only-secret",
               NULL);
  iwb_cli_run (&show, NULL, NULL, "profile", "show", folder, "demo", NULL);
  if (old_bus)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", old_bus, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  g_assert_cmpint (save.status, ==, 0);
  for (p = save.err; (p = strstr (p, "No Secret Service keyring")) != NULL; p++)
    n++;
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (strstr (save.err, "secrets not saved"));
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "(secret, missing"));
  stores_assert_not_in_files (home.root, (const char * const *) forms);
}

/* `${NAME}` in a profile: read from the environment at run time; a
 * missing variable is a clear error naming it. */
static void
test_env_reference_cli (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *folder = fixture_folder ();
  g_auto(IwbCliResult) save = { 0 };
  g_auto(IwbCliResult) missing = { 0 };
  g_auto(IwbCliResult) ok = { 0 };
  g_auto(IwbCliResult) override = { 0 };
  g_auto(IwbCliResult) show = { 0 };

  stores_home_init (&home);
  stores_ensure_keyring ();
  iwb_cli_run (&save, NULL, NULL, "profile", "save", folder, "ci",
               "--set", "SERVICE_URL=http://${IWB_TEST_HOST}:9", "--set", "PASSWORD=${IWB_TEST_PW}",
               "--set", "TOKEN=tok", NULL);
  g_assert_cmpint (save.status, ==, 0);
  iwb_cli_run (&show, NULL, NULL, "profile", "show", folder, "ci", NULL);
  g_assert_nonnull (strstr (show.out, "${IWB_TEST_PW}  (from the environment)"));

  g_unsetenv ("IWB_TEST_HOST");
  g_unsetenv ("IWB_TEST_PW");
  iwb_cli_run (&missing, NULL, "{\"word\": \"x\"}\n", "run", folder, "echo", "--profile", "ci",
               "--input", "-", NULL);
  g_assert_cmpint (missing.status, ==, 64);
  /* both missing variables, each with its parameter */
  g_assert_nonnull (strstr (missing.err, "IWB_TEST_HOST"));
  g_assert_nonnull (strstr (missing.err, "SERVICE_URL"));
  g_assert_nonnull (strstr (missing.err, "IWB_TEST_PW"));
  g_assert_nonnull (strstr (missing.err, "Parameter PASSWORD"));

  g_setenv ("IWB_TEST_HOST", "example.test", TRUE);
  g_setenv ("IWB_TEST_PW", "from-env-pw", TRUE);
  iwb_cli_run (&ok, NULL, "{\"word\": \"x\"}\n", "run", folder, "echo", "--profile", "ci",
               "--input", "-", "--format", "jsonl", NULL);
  iwb_cli_run (&override, NULL, "{\"word\": \"x\"}\n", "run", folder, "echo", "--profile", "ci",
               "--set", "TOKEN=from-command-line", "--input", "-", "--format", "jsonl", "--no-history",
               NULL);
  g_unsetenv ("IWB_TEST_HOST");
  g_unsetenv ("IWB_TEST_PW");
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "\"url\":\"http://example.test:9\""));
  /* the password reached the integration (it returned it): iwb prints it
   * masked, as every form of a secret value (iwb-cli-redact.c) */
  g_assert_nonnull (strstr (ok.out, "\"raw\":\"[secret]\""));
  g_assert_null (strstr (ok.out, "from-env-pw"));
  g_assert_nonnull (strstr (ok.out, "\"token\":\"tok\""));
  g_assert_cmpint (override.status, ==, 0);
  g_assert_nonnull (strstr (override.out, "\"token\":\"from-command-line\""));
}

static void
test_cli_usage (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *folder = fixture_folder ();
  g_auto(IwbCliResult) unknown = { 0 };
  g_auto(IwbCliResult) no_folder = { 0 };
  g_auto(IwbCliResult) bad_id = { 0 };
  g_auto(IwbCliResult) bad_profile = { 0 };
  g_auto(IwbCliResult) empty = { 0 };

  stores_home_init (&home);
  iwb_cli_run (&unknown, NULL, NULL, "profile", "show", folder, "nope", NULL);
  g_assert_cmpint (unknown.status, ==, 64);
  g_assert_nonnull (strstr (unknown.err, "no profile “nope”"));
  iwb_cli_run (&no_folder, NULL, NULL, "profile", "list", "/nonexistent/folder", NULL);
  g_assert_cmpint (no_folder.status, ==, 64);
  g_assert_nonnull (strstr (no_folder.err, "not a folder"));
  iwb_cli_run (&bad_id, NULL, NULL, "profile", "save", folder, "x", "--set", "NOPE=1", NULL);
  g_assert_cmpint (bad_id.status, ==, 64);
  g_assert_nonnull (strstr (bad_id.err, "NOPE"));
  g_assert_nonnull (strstr (bad_id.err, "SERVICE_URL"));
  iwb_cli_run (&bad_profile, NULL, NULL, "validate", folder, "--profile", "ghost", NULL);
  g_assert_cmpint (bad_profile.status, ==, 64);
  g_assert_nonnull (strstr (bad_profile.err, "ghost"));
  g_assert_nonnull (strstr (bad_profile.err, "iwb profile save"));
  iwb_cli_run (&empty, NULL, NULL, "profile", "list", folder, NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_nonnull (strstr (empty.err, "No profiles"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/profile/round-trip", test_round_trip);
  g_test_add_func ("/store/profile/async", test_async);
  g_test_add_func ("/store/env-reference/expand", test_env_reference);
  g_test_add_func ("/store/env-reference/cli", test_env_reference_cli);
  g_test_add_func ("/store/file/corrupt", test_corrupt_file);
  g_test_add_func ("/store/file/newer", test_newer_file);
  g_test_add_func ("/store/secrets/only-in-keyring", test_secret_only_in_keyring);
  g_test_add_func ("/store/secrets/no-secret-service", test_no_secret_service);
  g_test_add_func ("/store/cli/usage", test_cli_usage);
  return g_test_run ();
}
