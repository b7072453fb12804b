/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers for the stores: a temporary XDG home, the keyring, secret searches (declared in test-stores-util.h). */
#include "config.h"

#include <sqlite3.h>

#include "test-iwb-util.h"
#include "iwb-history-private.h"
#include "test-stores-util.h"

void
stores_rm_rf (const char *path)
{
  iwb_test_remove_tree (path);
}

void
stores_home_init (StoresHome *home)
{
  g_autoptr(GError) error = NULL;
  const char *names[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  const char *dirs[] = { "data", "config", "cache", "state" };

  home->root = g_dir_make_tmp ("iwb-test-stores-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (home->root, dirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (names[i], dir, TRUE);
    }
  home->data = g_build_filename (home->root, "data", NULL);
  home->store = g_build_filename (home->data, "integration-workbench", NULL);
}

char *
stores_history_from_fixture (StoresHome *home,
                             const char *fixture)
{
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "history-fixtures", fixture, NULL);
  g_autofree char *sql = NULL;
  char *path = g_build_filename (home->store, "history.sqlite", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (home->store, 0700), ==, 0);
  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return path;
}

void
stores_home_clear (StoresHome *home)
{
  if (home->root != NULL)
    iwb_test_remove_tree (home->root);
  g_clear_pointer (&home->root, g_free);
  g_clear_pointer (&home->data, g_free);
  g_clear_pointer (&home->store, g_free);
}

static void
assert_not_in_text (const char         *text,
                    gsize               len,
                    const char * const *needles,
                    const char         *where)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      gsize nlen = strlen (needles[i]);

      for (gsize at = 0; nlen > 0 && at + nlen <= len; at++)
        if (text[at] == needles[i][0] && memcmp (text + at, needles[i], nlen) == 0)
          g_error ("the secret text “%s” is in %s", needles[i], where);
    }
}

/* The run history's packed chunks (iwb-history-pack.c) hide their text
 * from a search of the file's bytes: their text too. */
static void
assert_not_in_packed_rows (const char         *path,
                           const char * const *needles)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT data FROM rows WHERE packed = 1", -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gsize len = 0;
        g_autofree char *text = _iwb_history_unpack (sqlite3_column_blob (stmt, 0),
                                                     (gsize) sqlite3_column_bytes (stmt, 0), &len);
        g_autofree char *where = g_strdup_printf ("a packed chunk of %s", path);

        if (text != NULL)
          assert_not_in_text (text, len, needles, where);
      }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

guint
stores_assert_not_in_files (const char         *dir,
                            const char * const *needles)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n += stores_assert_not_in_files (path, needles);
          continue;
        }
      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      n++;
      assert_not_in_text (contents, len, needles, path);
      if (g_str_has_suffix (name, ".sqlite"))
        assert_not_in_packed_rows (path, needles);
    }
  return n;
}

GStrv
stores_secret_forms (const char *secret)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), secret);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autofree char *url = g_uri_escape_string (secret, NULL, FALSE);
  g_autofree char *b64 = g_base64_encode ((const guchar *) secret, strlen (secret));
  g_autoptr(GString) form = g_string_new (url);
  g_autoptr(GString) ascii = g_string_new (NULL);

  g_string_replace (form, "%20", "+", 0);
  for (const char *p = secret; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (ascii, "\\%c", (char) c);
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (ascii, "\\u%04x", c);
      else
        g_string_append_c (ascii, (char) c);
    }
  json[strlen (json) - 1] = '\0';
  g_strv_builder_add_many (b, secret, json + 1, url, form->str, b64, ascii->str, NULL);
  return g_strv_builder_end (b);
}

gboolean
stores_keyring_usable (char **why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_autoptr(SecretCollection) collection = NULL;

  if (service == NULL)
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  if (collection == NULL)
    {
      *why = g_strdup (error ? error->message : "no default collection");
      return FALSE;
    }
  if (secret_collection_get_locked (collection))
    {
      *why = g_strdup ("the default collection is locked");
      return FALSE;
    }
  return TRUE;
}

void
stores_ensure_keyring (void)
{
  g_autofree char *why = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  if (stores_keyring_usable (&why))
    return;
  g_test_message ("keyring not usable (%s): starting gnome-keyring-daemon", why);
  g_clear_pointer (&why, g_free);
  dir = g_dir_make_tmp ("iwb-test-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", dir, TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--unlock",
                                      "--replace", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, "iwb-test-keyring", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  secret_service_disconnect ();
  if (!stores_keyring_usable (&why))
    g_error ("No usable Secret Service in the test D-Bus session (%s): run the tests with "
             "build-aux/run-tests.sh, or under dbus-run-session with gnome-keyring installed", why);
}
