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
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called on the default main context, once per signal received. */
typedef void (*IwbSignalFunc) (int      signum,
                               gpointer user_data);

/* Installs the handlers (once per process; a second call replaces the
 * callback). FALSE when the pipe could not be made (no handler then). */
gboolean   iwb_signal_watch_install  (IwbSignalFunc  func,
                                      gpointer       user_data);
/* The signals watched, terminated by 0. */
const int *iwb_signal_watch_signals  (void);
/* Back to the default action for @signum, unblocked, and raise it: the
 * conventional end (the shell sees 128 + N). Returns only if the default
 * action does not end the process. */
void       iwb_signal_watch_die_of   (int            signum);

G_END_DECLS
