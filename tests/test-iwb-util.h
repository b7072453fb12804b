/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the tests that run the built `iwb` end to end. */
#pragma once

#include <stdarg.h>

#include <gio/gio.h>

typedef struct
{
  int   status; /* exit status */
  char *out;
  char *err;
} IwbCliResult;

void
iwb_cli_result_clear (IwbCliResult *r);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IwbCliResult, iwb_cli_result_clear)

/* The `iwb` of this build tree (meson sets IWB_BUILD_ROOT for the tests). */
char *
iwb_cli_path (void);

void
iwb_cli_on_communicated (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);

/* Runs `iwb ARGS…` (@args: NULL-terminated, without argv[0]) in @cwd (NULL:
 * ours) with @input (NULL: empty) on stdin and NO_COLOR set, and waits for
 * it while iterating the main context, so that a server of the test itself
 * (the demo service) keeps answering. Fails the test after two minutes. */
void
iwb_cli_runv (IwbCliResult       *r,
              const char         *cwd,
              const char         *input,
              const char * const *args);

/* The same with the arguments as a NULL-terminated list. */
void
iwb_cli_run (IwbCliResult *r,
             const char   *cwd,
             const char   *input,
             ...);

/* Points the XDG data and cache folders (profiles, history, environments,
 * spilled rows) at @dir, so a test never touches the user's own. */
void
iwb_test_use_private_xdg (const char *dir);

/* Writes @text to @dir/@name, or fails the test. */
void
iwb_test_write_file (const char *dir,
                     const char *name,
                     const char *text);

/* Removes @dir and everything below it (the test's temporary folder). */
void
iwb_test_remove_tree (const char *dir);

/* tests/ui-fixtures/workbench in the source tree (IWB_SOURCE_ROOT), the
 * small integration the session tests load. */
GFile *
iwb_test_workbench_folder (void);

/* A new IwbSession (as a GObject*: this header stays free of core types)
 * on @folder with the integration loaded by the session's own loader and
 * its descriptor set as base and effective descriptor. Asserts on errors. */
gpointer
iwb_test_session_load (GFile *folder);
