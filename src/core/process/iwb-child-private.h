/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Between iwb-child.c, iwb-child-tree.c and iwb-python.c only. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A launcher whose children get their own session and process group and
 * are child subreapers (with PR_SET_PDEATHSIG SIGKILL only when spawned
 * without the reaper). */
GSubprocessLauncher *_iwb_child_launcher_new  (GSubprocessFlags flags);
/* Spawns @argv under iwb-reaper with @launcher (the launcher's fds are
 * closed: one spawn per launcher) and registers the pid as one of ours
 * (not an orphan): all under one lock, so no scan sees the child
 * unregistered. The pid is the reaper's, the leader of the tree. */
GSubprocess         *_iwb_child_spawnv        (GSubprocessLauncher *launcher,
                                               const char * const  *argv,
                                               GError             **error);
/* The same for IwbChild, with the pid and the pipes' fds straight from the
 * spawn (G_SPAWN_DO_NOT_REAP_CHILD: the caller adds a child watch).
 * @events_fd (or -1) becomes the child's fd 3. On failure no fd is left
 * open and nothing is left to reap. */
gboolean             _iwb_child_spawn_fds     (const char * const  *argv,
                                               const char * const  *envp,
                                               const char          *cwd,
                                               gboolean             stdin_pipe,
                                               int                  events_fd,
                                               GPid                *pid,
                                               int                 *stdin_fd,
                                               int                 *stdout_fd,
                                               int                 *stderr_fd,
                                               GError             **error);
void                 _iwb_child_unregister    (GPid                 pid);
/* iwb-child-spawn.c: starts @argv (argv[0] an absolute path) with
 * posix_spawn, in a session of its own, signals unblocked and at their
 * defaults, @source_fds as @target_fds and no other fd (the sources may
 * be anything, even other targets). Nothing of this process is copied. */
gboolean             _iwb_child_posix_spawn   (const char * const  *argv,
                                               const char * const  *envp,
                                               const char          *cwd,
                                               const int           *source_fds,
                                               const int           *target_fds,
                                               guint                n_fds,
                                               GPid                *pid,
                                               GError             **error);
/* Sends @sig to the tree of @leader (its process group, and every process
 * /proc shows below it) and to the orphans of dead children. Returns how
 * many processes were signalled. @leader: a child not reaped yet, or 0 for
 * the orphans only. */
guint                _iwb_child_signal_tree   (GPid                 leader,
                                               int                  sig);
/* SIGKILL to the same, repeatedly, until none remains (bounded to about
 * two seconds), reaping the orphans that were re-parented to us. */
void                 _iwb_child_kill_tree     (GPid                 leader);

G_END_DECLS
