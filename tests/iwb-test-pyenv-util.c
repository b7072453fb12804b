/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The environment tests' fixtures (see test-pyenv-util.h). */
#include "config.h"

#include <glib/gstdio.h>

#include "test-iwb-util.h"
#include "test-pyenv-util.h"

static const char greeter_main_py[] =
  "from lhub_integ import action\n"
  "import iwbtestpkg\n"
  "\n"
  "\n"
  "@action\n"
  "def greet(name):\n"
  "    return {\"greeting\": iwbtestpkg.greet(name)}\n";

void
iwb_test_pyenv_greeter (const char  *root,
                        const char  *make_wheel,
                        char       **wheels,
                        char       **folder)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { g_getenv ("IWB_PYTHON"), make_wheel, NULL, "iwbtestpkg", "1.0",
                         "def greet(name):\n    return 'hello ' + name\n", NULL };

  g_assert_nonnull (argv[0]);
  *wheels = g_build_filename (root, "wheels", NULL);
  *folder = g_build_filename (root, "greeter", NULL);
  g_assert_cmpint (g_mkdir_with_parents (*folder, 0700), ==, 0);
  argv[2] = *wheels;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_suffix (g_strstrip (out), "iwbtestpkg-1.0-py3-none-any.whl"));
  iwb_test_write_file (*folder, "main.py", greeter_main_py);
  iwb_test_write_file (*folder, "requirements.txt", "iwbtestpkg==1.0\n");
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  gboolean *connected = user_data;

  g_object_set_data_full (G_OBJECT (service), "held", g_object_ref (connection), g_object_unref);
  *connected = TRUE;
  return TRUE;
}

char *
iwb_test_silent_index_start (GSocketService *service,
                             gboolean       *connected)
{
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), connected);
  g_socket_service_start (service);
  return g_strdup_printf ("http://127.0.0.1:%u/simple", port);
}
