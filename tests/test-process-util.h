/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the tests that prove no process is left behind. */
#pragma once

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib.h>

/* TRUE once @pid no longer runs: gone, or a zombie (a killed orphan lingers
 * until init reaps it, which in a container may be never). */
static inline gboolean
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
