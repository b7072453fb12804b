/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers: processes left behind, waiting for files (declared in test-process-util.h). */
#include "config.h"

#include <sys/resource.h>

#include <gio/gio.h>

#include "test-process-util.h"

/* One iteration of the main context, woken at least every 20 ms; fails the
 * test once @deadline (monotonic time) has passed. */
static void
iterate_before (gint64 deadline)
{
  GSource *tick = g_timeout_source_new (20);

  g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  g_source_set_dummy_callback (tick);
  g_source_attach (tick, NULL);
  g_main_context_iteration (NULL, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
}

gboolean
process_gone (GPid pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  paren = strrchr (stat, ')');
  return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

guint
count_marked_processes (const char *entry)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  gsize entry_len = strlen (entry);
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *env = NULL;
      gsize len = 0;
      char *end;
      long pid = strtol (name, &end, 10);

      if (*end != '\0' || pid <= 1 || pid == (long) getpid ())
        continue;
      path = g_strdup_printf ("/proc/%ld/environ", pid);
      if (!g_file_get_contents (path, &env, &len, NULL) || process_gone ((GPid) pid))
        continue;
      for (gsize i = 0; i < len; i += strlen (env + i) + 1)
        if (strncmp (env + i, entry, entry_len) == 0 && env[i + entry_len] == '\0')
          {
            n++;
            break;
          }
    }
  return n;
}

void
wait_for_marked_processes (const char *entry,
                           guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (count_marked_processes (entry) < n)
    iterate_before (deadline);
}

guint
wait_for_no_marked_processes (const char *entry)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint n;

  while ((n = count_marked_processes (entry)) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  return n;
}

void
process_no_core_dump (gpointer user_data)
{
  struct rlimit none = { 0, 0 };

  setrlimit (RLIMIT_CORE, &none);
}

void
process_faults_kill_under_asan (void)
{
  g_autofree char *options = NULL;

  if (g_getenv ("ASAN_OPTIONS") == NULL)
    return;
  options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":handle_segv=0:handle_sigbus=0:handle_sigfpe=0"
                         ":handle_sigill=0:handle_abort=0", NULL);
  g_setenv ("ASAN_OPTIONS", options, TRUE);
}

void
wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    iterate_before (deadline);
}

char *
new_process_marker (const char *name)
{
  static guint counter;

  return g_strdup_printf ("%s=iwb-test-%d-%u-%08x", name, (int) getpid (), ++counter,
                          g_random_int ());
}
