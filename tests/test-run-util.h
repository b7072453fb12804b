/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the IwbRun tests (test-run-*.c): fixtures loaded once, runs
 * collected to the end, event look-ups, the demo service they talk to. */
#pragma once

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <utime.h>

#include "iwb-core.h"
#include "iwb-run-private.h"
#include "test-iwb-util.h"
#include "test-process-util.h"

typedef struct
{
  GPtrArray    *events;
  gboolean      done;
  gboolean      ok;
  GError       *error;
  /* cancel when a LOG or RESULT event whose text/JSON contains this arrives */
  const char   *cancel_on;
  GCancellable *cancellable;
} Collect;

/* The demo service every run test talks to, and the folder under which each
 * fixture's files folder is (set up by test_run_main ()). */
IwbDemoService *test_run_service    (void);
const char     *test_run_files_root (void);

GFile *
fixture_folder (const char *name);

JsonNode *
fixture_descriptor (const char *name);

IwbRun *
make_run (const char      *fixture,
          IwbRunOperation  op,
          const char      *entrypoint);

/* The iwb_run_start_async () callback of run_collect (): @user_data is a
 * Collect. */
void
run_collect_on_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

void
run_collect_on_event (IwbRun      *run,
                      IwbRunEvent *event,
                      Collect     *c);

/* Runs to the end (deadline 120 s), returns the events. */
GPtrArray *
run_collect (IwbRun       *run,
             GCancellable *cancellable,
             const char   *cancel_on,
             gboolean     *ok,
             GError      **error);

GPtrArray *
run_ok (IwbRun *run);

guint
count_kind (GPtrArray       *events,
            IwbRunEventKind  kind);

IwbRunEvent *
nth_kind (GPtrArray       *events,
          IwbRunEventKind  kind,
          guint            nth);

IwbRunEvent *
last_event (GPtrArray *events);

const char *
payload_string (IwbRunEvent *e,
                const char  *member);

gboolean
log_contains (GPtrArray  *events,
              const char *stream,
              const char *needle);

JsonObject *
row_new (const char *key,
         const char *value);

void
assert_process_goes_away (GPid pid);

void
set_basic_connection (IwbRun *run);

/* A copy of @descriptor where the argument @arg of @entrypoint is optional:
 * the local check lets it through, the SDK (which knows better) does not. */
JsonNode *
descriptor_with_optional_arg (JsonNode   *descriptor,
                              const char *entrypoint,
                              const char *arg);

JsonObject *
single_result_object (GPtrArray *events);
/* The main () of the run tests: a private XDG home and files folder, the
 * demo service on 127.0.0.1, then @add_tests registers the tests, which run;
 * everything is removed afterwards. Returns the exit status. */
int test_run_main (int    argc,
                   char **argv,
                   void (*add_tests) (void));
