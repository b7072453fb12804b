/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun: one connection validation, action-input validation or action run,
 * driven exactly the way the platform drives the SDK (shim_validate /
 * shim_exec children), from the platform DESCRIPTOR JSON (see
 * ../shared/spec/descriptor-and-overrides.md): connection.inputs and
 * actions[].instantiation.steps[0].inputs, each input with id, data_type,
 * optional, default and source (connection | param | column | template).
 *
 * Inputs with source connection/param become environment variables named by
 * their id; column inputs become `___<id>` = column name (default: the id);
 * template inputs become `___<id>` = the template text. Every run also gets
 * `__integration_descriptor` (the descriptor JSON), `__lh_ssl_verify`,
 * `__execution_start_time_ms` / `__execution_end_time_ms` and
 * `INTEGRATIONS_FILES_PATH`.
 *
 * While it runs it emits "event" (IwbRunEvent *) on the thread-default main
 * context of iwb_run_start_async(); the last event is always FINISHED.
 *
 * The child runs under the capture host (`python3 -m iwb_host.launch SHIM
 * ARGS...`, python/iwb_host): stdout, stderr, the exit status and the
 * `[result]` protocol are the shim's; each HTTP exchange the integration
 * makes (redacted in the child: the ids of password / encryptedFile inputs
 * go in IWB_SECRET_PARAMS) comes as an IWB_RUN_EVENT_HTTP event and an item
 * of iwb_run_get_exchanges(). iwb_run_set_http_mode() records the calls
 * into a cassette or answers them from one.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-http-mode.h"
#include "iwb-python.h"
#include "iwb-run-event.h"
#include "iwb-types.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_RUN_VALIDATE_CONNECTION, /* shim_validate --validate-connections */
  IWB_RUN_VALIDATE_ACTION,     /* shim_validate -e ENTRYPOINT */
  IWB_RUN_EXECUTE,             /* shim_exec -e ENTRYPOINT */
} IwbRunOperation;

#define IWB_RUN_DEFAULT_TIMEOUT      60                    /* seconds */
#define IWB_RUN_DEFAULT_LINE_LIMIT   (4 * 1024 * 1024)     /* bytes per output line */
#define IWB_RUN_DEFAULT_RESULT_LIMIT (64 * 1024 * 1024)    /* bytes of results kept in memory */
/* Spill files of runs whose process is gone kept in the cache (newest first). */
#define IWB_RUN_SPILL_KEEP_BYTES     ((guint64) 256 * 1024 * 1024)
/* HTTP exchanges kept (and emitted) per run; the rest are counted. */
#define IWB_RUN_DEFAULT_EXCHANGE_LIMIT 5000
#define IWB_RUN_EXCHANGE_BYTES       ((gsize) 64 * 1024 * 1024) /* of their event text */

#define IWB_TYPE_RUN (iwb_run_get_type ())
G_DECLARE_FINAL_TYPE (IwbRun, iwb_run, IWB, RUN, GObject)

IwbRun          *iwb_run_new                     (IwbPython        *python,
                                                  GFile            *folder,
                                                  JsonNode         *descriptor,
                                                  IwbRunOperation   operation,
                                                  const char       *entrypoint);

/* Inputs (before start). NULL or "" unsets. */
void             iwb_run_set_value               (IwbRun           *self,
                                                  const char       *id,
                                                  const char       *text);
void             iwb_run_set_mapping             (IwbRun           *self,
                                                  const char       *arg_id,
                                                  const char       *column_or_template);
/* @rows: JsonObject*, deep-copied (the caller's objects stay its own) */
void             iwb_run_set_rows                (IwbRun           *self,
                                                  GPtrArray        *rows);
/* The same without the copies: @rows (transfer full, freeing its
 * objects) and every object in it become the run's; the caller keeps no
 * other reference to them (rows it just read from a file). */
void             iwb_run_take_rows               (IwbRun           *self,
                                                  GPtrArray        *rows);
/* (transfer none) (nullable): the run's own copies of the rows given to
 * iwb_run_set_rows(), which its events' input rows point into (NULL when
 * the rows are kept as JSON Lines text). Not to be referenced one by one
 * while the run goes (a JsonObject's count is not atomic): hold the array. */
GPtrArray       *iwb_run_get_rows                (IwbRun           *self);
/* Rows as JSON Lines text, as indexed by iwb_input_rows_index_jsonl(): no
 * JsonObject is built until an event needs its input row, so big inputs
 * cost their text, not a tree. With @any_lhub_id the rows are parsed at
 * once (their own ids must be read). */
void             iwb_run_set_rows_jsonl          (IwbRun           *self,
                                                  GBytes           *data,
                                                  GArray           *spans,
                                                  gboolean          any_lhub_id);
void             iwb_run_set_timeout             (IwbRun           *self,
                                                  guint             seconds); /* 0 = none */
void             iwb_run_set_ssl_verify          (IwbRun           *self,
                                                  gboolean          verify);
void             iwb_run_set_batch_window        (IwbRun           *self,
                                                  gint64            start_ms,
                                                  gint64            end_ms);
void             iwb_run_set_files_dir           (IwbRun           *self,
                                                  const char       *path);
void             iwb_run_set_result_memory_limit (IwbRun           *self,
                                                  gsize             bytes);
/* FALSE: results beyond the memory limit are counted and emitted but not
 * kept (for front ends that stream them elsewhere). Default TRUE. */
void             iwb_run_set_spill_results       (IwbRun           *self,
                                                  gboolean          spill);
void             iwb_run_set_line_limit          (IwbRun           *self,
                                                  gsize             bytes);
void             iwb_run_set_run_dir             (IwbRun           *self,
                                                  const char       *path);  /* spill files go here */
void             iwb_run_set_env                 (IwbRun           *self,
                                                  const char       *name,
                                                  const char       *value); /* extra variable */
/* HTTP: live (default), record every exchange into @cassette (created or
 * extended), or replay from @cassette (no socket is opened; with @strict an
 * unrecorded call fails, naming its method and URL, else it goes to the
 * network and stderr says so). A relative @cassette is relative to the
 * current directory. @cassette is ignored (may be NULL) for LIVE. */
void             iwb_run_set_http_mode           (IwbRun           *self,
                                                  IwbHttpMode       mode,
                                                  const char       *cassette,
                                                  gboolean          strict);
IwbHttpMode      iwb_run_get_http_mode           (IwbRun           *self);
const char      *iwb_run_get_cassette_path       (IwbRun           *self); /* absolute; NULL when live */
gboolean         iwb_run_get_replay_strict       (IwbRun           *self);
/* One more input id whose value the capture host redacts (besides the
 * password / encryptedFile inputs of the descriptor): for values the user
 * marked secret. */
void             iwb_run_add_secret_param        (IwbRun           *self,
                                                  const char       *id);
/* FALSE: the child is started as `python3 -m SHIM` without the capture
 * host (no HTTP events; record/replay impossible). Default TRUE. */
void             iwb_run_set_capture             (IwbRun           *self,
                                                  gboolean          capture);
/* At most @max_exchanges HTTP exchanges are kept and emitted (default
 * IWB_RUN_DEFAULT_EXCHANGE_LIMIT); the rest are counted (http_dropped). */
void             iwb_run_set_exchange_limit      (IwbRun           *self,
                                                  guint             max_exchanges);

/* Local checks with the SDK's coercion rules, before any child starts:
 * every problem at once. Returns (transfer full) IwbFieldError items; an
 * empty array means OK. */
GPtrArray       *iwb_run_check                   (IwbRun           *self);

/* Optional, for an action run under the capture host while its rows are
 * still being read: starts the interpreter now, gated (it loads Python and
 * the capture host, then waits for a line on its stdin before the SDK's
 * shim, and so the integration, is imported), so that the start does not
 * wait for it. Takes the run's values, mappings and environment as they are
 * now: set them first. TRUE if a gated child runs; FALSE (nothing started)
 * when the run cannot be prestarted, in which case iwb_run_start_async()
 * starts (or reports) as usual. A prestarted run that is dropped without
 * being started ends its child: nothing of the integration ran. */
gboolean         iwb_run_prestart                (IwbRun              *self);

/* Completes once the FINISHED event was emitted. Returns FALSE with @error
 * only when no child could be started (local check failed:
 * IWB_ERROR_INVALID_VALUE, interpreter missing, spawn failed); a FINISHED
 * event with status FAILED is emitted in that case too. Timeouts, cancels,
 * hard exits are not errors of this call: see iwb_run_get_status(). */
void             iwb_run_start_async             (IwbRun              *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         iwb_run_start_finish            (IwbRun              *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Accessors (valid during and after the run). */
IwbRunOperation  iwb_run_get_operation           (IwbRun           *self);
const char      *iwb_run_get_entrypoint          (IwbRun           *self);
JsonNode        *iwb_run_get_descriptor          (IwbRun           *self);
gboolean         iwb_run_is_running              (IwbRun           *self);
IwbRunStatus     iwb_run_get_status              (IwbRun           *self);
int              iwb_run_get_exit_code           (IwbRun           *self);
const IwbRunCounts *iwb_run_get_counts           (IwbRun           *self);
IwbRunEvent     *iwb_run_get_finished_event      (IwbRun           *self); /* nullable until finished */
/* RESULT and ROW_ERROR events kept in memory (bounded), in arrival order. */
GPtrArray       *iwb_run_get_results             (IwbRun           *self);
/* JSON Lines file with the results beyond the memory limit (one
 * iwb_run_event_to_json() object per line), or NULL when nothing spilled.
 * It goes with the run (finalized); a process that ends without finalizing
 * its runs (the CLI, a crash) leaves it for the next process to prune within
 * IWB_RUN_SPILL_KEEP_BYTES. */
const char      *iwb_run_get_spill_path          (IwbRun           *self);
/* The HTTP exchanges (IwbHttpExchange items, borrowed) in arrival order.
 * "items-changed" is emitted where the run's events are delivered (the
 * caller's context for a session's run), after the "event" handlers of the
 * HTTP event that added the item (connect_after handlers see it). */
GListModel      *iwb_run_get_exchanges           (IwbRun           *self);
/* The last VALIDATION_ERRORS field errors (IwbFieldError*), borrowed. */
GPtrArray       *iwb_run_get_field_errors        (IwbRun           *self);
/* Every `[result]` payload of a validation (JsonNode*), bounded, borrowed;
 * for iwb_overrides_find(). */
GPtrArray       *iwb_run_get_result_payloads     (IwbRun           *self);
/* The last "actionOverrides" value seen, or NULL. */
JsonNode        *iwb_run_get_overrides           (IwbRun           *self);
/* Paths of files produced in INTEGRATIONS_FILES_PATH (char*), borrowed. */
GPtrArray       *iwb_run_get_files               (IwbRun           *self);
const char      *iwb_run_get_files_dir           (IwbRun           *self);
/* (transfer full): the forms (iwb-redact.h) of the values of the run's
 * secret parameters and of the content of its encryptedFile files, for a
 * place that shows what the run returned. Empty when there is none. */
GPtrArray       *iwb_run_dup_secret_needles      (IwbRun           *self);

/* The default INTEGRATIONS_FILES_PATH of an integration folder:
 * iwb_user_data_dir()/integration-workbench/files/<hash of the folder path>. */
char            *iwb_run_default_files_dir       (GFile            *folder);
/* The spec's exit-code table, as a sentence (untranslated: JSON output keeps it
 * byte-identical; pass it through _() to show it). */
const char      *iwb_run_exit_code_meaning       (IwbRunOperation   operation,
                                                  int               exit_code);

G_END_DECLS
