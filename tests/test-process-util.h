/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the tests that prove no process is left behind. */
#pragma once

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

/* TRUE once @pid no longer runs: gone, or a zombie (a killed orphan lingers
 * until init reaps it, which in a container may be never). */
gboolean
process_gone (GPid pid);

/* How many live processes (zombies excluded) have @entry ("NAME=VALUE")
 * in their environment: the processes a test child and everything it
 * started, daemons included, as they inherit it. */
guint
count_marked_processes (const char *entry);

/* Iterates the main context until @entry marks at least @n processes, or
 * fails the test after a minute. */
void
wait_for_marked_processes (const char *entry,
                           guint       n);

/* Waits (bounded: ten seconds, sleeping) until no process has @entry, as
 * the reapers need a moment once the process they watched is gone;
 * returns how many still have it. */
guint
wait_for_no_marked_processes (const char *entry);

/* A GSpawnChildSetupFunc: no core file for a crash the test provokes. */
void
process_no_core_dump (gpointer user_data);

/* Under AddressSanitizer (the sanitizer suite), the fault signals a test
 * sends the programs it starts must kill them as they do without, not
 * become ASan's report and abort: adds the options that say so to
 * ASAN_OPTIONS of this process's environment, which its children inherit
 * (this process's own ASan is set up already). Nothing without it. */
void
process_faults_kill_under_asan (void);

/* Iterates the main context until @path exists, or fails the test after
 * two minutes. */
void
wait_for_file (const char *path);

/* A marker unique to this test process and call. */
char *
new_process_marker (const char *name);
