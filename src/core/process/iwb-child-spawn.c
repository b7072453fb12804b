/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Starting a child without copying this process.
 *
 * GLib spawns with fork() whenever there is a child setup function or a
 * working directory, and fork() of a window that holds 100,000 results
 * (hundreds of MB) copies its page tables and write-protects every page:
 * each page the window writes afterwards costs a page fault, so freeing
 * or building widgets right after a run starts took 20–70 ms for a handful
 * of rows (and the main loop stalled). glibc's posix_spawn() shares the
 * memory until exec (CLONE_VM | CLONE_VFORK): nothing is copied, and only
 * the spawning thread waits. What the child setup did — its own session —
 * is a spawn attribute; the rest (child subreaper) iwb-reaper does itself.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_add*_np, POSIX_SPAWN_SETSID */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "iwb-child-private.h"

extern char **environ;

#define HIGH_FD 64 /* the child's fds are moved above their targets first */

gboolean
_iwb_child_posix_spawn (const char * const  *argv,
                        const char * const  *envp,
                        const char          *cwd,
                        const int           *source_fds,
                        const int           *target_fds,
                        guint                n_fds,
                        GPid                *pid,
                        GError             **error)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t none, defaults;
  g_autofree int *high = g_new (int, MAX (n_fds, 1));
  int max_target = 2;
  int saved_errno = 0;
  pid_t child = 0;
  int r;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL && g_path_is_absolute (argv[0]), FALSE);

  /* dup2(source, target) in order must never overwrite a source still to
   * come: every source is first copied above every target. */
  for (guint i = 0; i < n_fds; i++)
    max_target = MAX (max_target, target_fds[i]);
  for (guint i = 0; i < n_fds; i++)
    {
      high[i] = fcntl (source_fds[i], F_DUPFD_CLOEXEC, MAX (HIGH_FD, max_target + 1));
      if (high[i] < 0)
        {
          saved_errno = errno;
          for (guint j = 0; j < i; j++)
            close (high[j]);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "dup: %s", g_strerror (saved_errno));
          return FALSE;
        }
    }

  posix_spawn_file_actions_init (&actions);
  for (guint i = 0; i < n_fds; i++)
    posix_spawn_file_actions_adddup2 (&actions, high[i], target_fds[i]);
  /* Nothing else reaches the child, even an fd another thread opened
   * without O_CLOEXEC. */
  posix_spawn_file_actions_addclosefrom_np (&actions, max_target + 1);
  if (cwd != NULL)
    posix_spawn_file_actions_addchdir_np (&actions, cwd);

  /* Its own session and process group; no signal blocked; every signal
   * this process ignores back to its default. */
  posix_spawnattr_init (&attr);
  sigemptyset (&none);
  sigfillset (&defaults);
  sigdelset (&defaults, SIGKILL);
  sigdelset (&defaults, SIGSTOP);
  posix_spawnattr_setsigmask (&attr, &none);
  posix_spawnattr_setsigdefault (&attr, &defaults);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  r = posix_spawn (&child, argv[0], &actions, &attr, (char * const *) argv,
                   envp != NULL ? (char * const *) envp : environ);

  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&actions);
  for (guint i = 0; i < n_fds; i++)
    close (high[i]);
  if (r != 0)
    {
      /* The working directory fails the spawn the same way as the
       * program: say which. */
      if (cwd != NULL && (r == ENOENT || r == ENOTDIR || r == EACCES || r == ELOOP) && access (cwd, X_OK) != 0)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                     _("Failed to change to directory “%s” (%s)"), cwd, g_strerror (errno));
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (r),
                     _("Failed to execute child process “%s” (%s)"), argv[0], g_strerror (r));
      return FALSE;
    }
  *pid = child;
  return TRUE;
}
