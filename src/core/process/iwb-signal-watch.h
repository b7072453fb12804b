/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-signal-watch: every asynchronous signal that would end the process
 * (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM,
 * SIGPROF, SIGXCPU, SIGXFSZ, SIGPWR) is turned into a call on the main
 * context, so the front ends can end every child tree before they go.
 * GLib's g_unix_signal_add() covers only HUP, INT, TERM, USR1, USR2 and
 * WINCH: the rest would kill us with the integration's processes still
 * running. The handler only writes the signal number to a pipe
 * (async-signal-safe); the main context reads it.
 *
 * Synchronous faults (SIGSEGV, SIGBUS...) and SIGKILL are not caught: the
 * supervisor of each child (iwb-reaper) sees us gone and kills the child's
 * whole tree by itself, see iwb-child-tree.c.
 *
 * A signal sent by one of the program's own descendants (an integration
 * calling os.kill(os.getppid() ...) up its tree, or killpg on the
 * program's group) is not a request to end: the IwbSignalFunc is not
 * called, the IwbSignalFromChildFunc is (to say so), and the program goes
 * on. Signals of the kernel (a closed terminal's SIGHUP) and of any other
 * process are delivered as before.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Called on the default main context, once per signal received. */
typedef void (*IwbSignalFunc) (int      signum,
                               gpointer user_data);

/* Called instead for a signal sent by a descendant of this process. */
typedef void (*IwbSignalFromChildFunc) (int      signum,
                                        pid_t    sender,
                                        gpointer user_data);

/* Installs the handlers (once per process; a second call replaces the
 * callback). FALSE when the pipe could not be made (no handler then). */
gboolean   iwb_signal_watch_install  (IwbSignalFunc  func,
                                      gpointer       user_data);
void       iwb_signal_watch_set_from_child_func (IwbSignalFromChildFunc func,
                                                 gpointer               user_data);
/* TRUE when @pid is a descendant of this process (walks /proc). */
gboolean   iwb_signal_watch_is_descendant       (pid_t                  pid);
/* The signals watched, terminated by 0. */
const int *iwb_signal_watch_signals  (void);
/* Back to the default action for @signum, unblocked, and raise it: the
 * conventional end (the shell sees 128 + N). Returns only if the default
 * action does not end the process. */
void       iwb_signal_watch_die_of   (int            signum);

G_END_DECLS
