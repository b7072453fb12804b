/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the IwbLoader tests (test-loader.c, test-loader-process.c):
 * loading a fixture with real python3 children, waiting without sleeping. */
#pragma once

#include "iwb-core.h"

typedef struct
{
  gboolean        done;
  IwbIntegration *integration;
  GError         *error;
} LoadResult;

/* The test's own temporary folder (also TMPDIR), made by loader_test_main (). */
extern char *test_tmpdir;

/* An iwb_loader_load_async () callback: fills the LoadResult @user_data. */
void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data);

/* One blocking main-context iteration that wakes at least every 20 ms, for
 * conditions outside the main context (a file, /proc). */
void
iterate_once (void);

/* Iterate the main context until @done or the deadline (no sleeps). */
void
iterate_until (gboolean *done,
               guint     seconds);

char *
fixture (const char *name);

IwbLoader *
new_loader (guint timeout);

IwbIntegration *
load_path (IwbLoader     *loader,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error);

IwbIntegration *
load_fixture (const char  *name,
              GError     **error);

IwbParam *
nth_param (GListModel *model,
           guint       i);

/* The main () of the loader tests: a private TMPDIR, then @add_tests
 * registers the tests, which run. Returns the exit status. */
int loader_test_main (int    argc,
                      char **argv,
                      void (*add_tests) (void));
