/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The integration-workbench executable as a user starts it: --help and
 * --version, a usage error, and a second invocation with another folder
 * that opens a window in the running instance (seen over D-Bus, where
 * GtkApplication exports each window) and exits.
 */
#include "config.h"

#include <gio/gio.h>

#include "test-ui-util.h"

static char *
app_path (void)
{
  return g_build_filename (g_getenv ("IWB_BUILD_ROOT"), "src", "integration-workbench", NULL);
}

static char *
example (const char *name)
{
  return g_build_filename (g_getenv ("IWB_SOURCE_ROOT"), "examples", name, NULL);
}

static int
run_sync (const char * const *argv,
          char              **out,
          char              **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                    &error);

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (child) ? g_subprocess_get_exit_status (child) : -1;
}

static void
test_help_and_version (void)
{
  g_autofree char *app = app_path ();
  const char *help[] = { app, "--help", NULL };
  const char *version[] = { app, "--version", NULL };
  const char *usage[] = { app, "--run", "main.post_message", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_sync (help, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--demo"));
  g_assert_nonnull (strstr (out, "--run=ACTION"));
  g_assert_nonnull (strstr (out, "--validate"));
  g_assert_nonnull (strstr (out, "FOLDER"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_sync (version, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "integration-workbench " PACKAGE_VERSION "\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --run without a folder: says what to do, exit status 1. */
  g_assert_cmpint (run_sync (usage, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "FOLDER"));
}

static guint
count_windows (GDBusConnection *bus,
               const char      *object_path)
{
  g_autofree char *windows_path = g_strconcat (object_path, "/window", NULL);
  g_autoptr(GVariant) reply = NULL;
  const char *xml = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;

  reply = g_dbus_connection_call_sync (bus, APPLICATION_ID, windows_path,
                                       "org.freedesktop.DBus.Introspectable", "Introspect",
                                       NULL, G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, NULL);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, NULL);
  if (node == NULL || node->nodes == NULL)
    return 0;
  return g_strv_length ((char **) node->nodes);
}

static void
test_second_invocation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autofree char *app = app_path ();
  g_autofree char *first_folder = example ("chat-notify");
  g_autofree char *second_folder = example ("ticket-tracker");
  const char *first_argv[] = { app, first_folder, NULL };
  const char *second_argv[] = { app, second_folder, NULL };
  g_autofree char *object_path = g_strconcat ("/", APPLICATION_ID, NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 deadline;

  g_assert_no_error (error);
  g_strdelimit (object_path, ".", '/');

  first = g_subprocess_newv (first_argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* The first instance owns the name and shows one window. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (count_windows (bus, object_path) < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_windows (bus, object_path), ==, 1);

  /* The second invocation hands its folder over and exits... */
  g_assert_cmpint (run_sync (second_argv, &out, &err), ==, 0);
  /* ...and the running instance now has a second window. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (count_windows (bus, object_path) < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_windows (bus, object_path), ==, 2);

  /* app.quit over D-Bus ends it. */
  g_dbus_connection_call_sync (bus, APPLICATION_ID, object_path, "org.gtk.Actions", "Activate",
                               g_variant_new ("(sava{sv})", "quit", NULL, NULL), NULL,
                               G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (first));
  g_assert_cmpint (g_subprocess_get_exit_status (first), ==, 0);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/commandline/help-and-version", test_help_and_version);
  g_test_add_func ("/ui/commandline/second-invocation", test_second_invocation);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, NULL, add_tests);
}
