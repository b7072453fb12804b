/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHistory: every validation and run, recorded in SQLite
 * (DATA_DIR/history.sqlite; WAL, synchronous=NORMAL, PRAGMA user_version
 * migrations; a file of a newer version is refused, never written).
 *
 * One writer thread owns the writing connection. A recording
 * (iwb_history_record_run()) listens to an IwbRun's "event" signal and only
 * queues the (immutable, ref'd) events: the run's main context never waits
 * for the disk. The writer streams them into the database inside one
 * transaction per run (while several recordings overlap, one transaction
 * for all of them), so a process killed in the middle of recording loses at
 * most the runs in progress and never corrupts earlier ones.
 *
 * Secrets: the values of the parameters named in IwbHistoryRunInfo
 * .secret_ids are stored as IWB_HISTORY_SECRET_MARKER, and every
 * .secret_values text (raw, JSON-escaped, URL-encoded, base64) is replaced
 * by the marker wherever it appears: log lines, results, errors, inputs.
 *
 * Retention: after each recorded run, in the writer thread, the oldest runs
 * beyond the last N per integration, then beyond a total size, are deleted
 * (baselines are kept).
 *
 * Threads: the plain query functions block briefly (their own read
 * connection; WAL readers never wait for the writer) and may be called from
 * any thread; a window uses the _async variants (GTask threads).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-types.h"

G_BEGIN_DECLS

#define IWB_HISTORY_SCHEMA_VERSION       5
#define IWB_HISTORY_SECRET_MARKER        "[secret]"
#define IWB_HISTORY_DEFAULT_RUNS         200                 /* per integration */
#define IWB_HISTORY_DEFAULT_MAX_BYTES    (512 * 1024 * 1024) /* all runs */
#define IWB_HISTORY_MAX_LOG_LINES        5000                /* per run; more are counted */
#define IWB_HISTORY_MAX_LOG_LINE         4096                /* bytes per stored log line */
#define IWB_HISTORY_CHUNK_ROWS           64                  /* rows of a kind per SQLite row */

typedef enum
{
  IWB_HISTORY_KIND_VALIDATION,
  IWB_HISTORY_KIND_RUN,
} IwbHistoryKind;

const char *iwb_history_kind_to_string (IwbHistoryKind kind); /* "validation" / "run" */

/* Stored rows of a run, in arrival order within a kind. */
typedef enum
{
  IWB_HISTORY_ROW_INPUT,     /* an input row (correlation = its lhub_id) */
  IWB_HISTORY_ROW_RESULT,    /* a result (correlation = its input's lhub_id, or NULL) */
  IWB_HISTORY_ROW_ERROR,     /* a row error: {"error": ..., "data": ...} */
  IWB_HISTORY_ROW_LOG,       /* {"stream": "stdout"|"stderr", "text": ..., "truncated"?: true} */
  IWB_HISTORY_ROW_EVENT,     /* another event (warning, instantiation error, file) as in `iwb run --format jsonl` */
  IWB_HISTORY_ROW_HTTP,      /* an HTTP exchange, redacted: the "http" member of its event */
} IwbHistoryRowKind;

/* ---------------------------------------------------------------------- */

#define IWB_TYPE_HISTORY_ENTRY (iwb_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (IwbHistoryEntry, iwb_history_entry, IWB, HISTORY_ENTRY, GObject)

gint64          iwb_history_entry_get_id                (IwbHistoryEntry *self);
IwbHistoryKind  iwb_history_entry_get_kind              (IwbHistoryEntry *self);
const char     *iwb_history_entry_get_integration       (IwbHistoryEntry *self);
const char     *iwb_history_entry_get_action            (IwbHistoryEntry *self); /* NULL: connection */
const char     *iwb_history_entry_get_profile           (IwbHistoryEntry *self); /* nullable */
gint64          iwb_history_entry_get_started           (IwbHistoryEntry *self); /* unix time, ms */
gint64          iwb_history_entry_get_duration_ms       (IwbHistoryEntry *self);
const char     *iwb_history_entry_get_status            (IwbHistoryEntry *self); /* iwb_run_status_to_string() */
int             iwb_history_entry_get_exit_code         (IwbHistoryEntry *self);
guint64         iwb_history_entry_get_n_inputs          (IwbHistoryEntry *self);
guint64         iwb_history_entry_get_n_results         (IwbHistoryEntry *self);
guint64         iwb_history_entry_get_n_row_errors      (IwbHistoryEntry *self);
guint64         iwb_history_entry_get_n_log_lines       (IwbHistoryEntry *self); /* stored + dropped */
gboolean        iwb_history_entry_get_is_baseline       (IwbHistoryEntry *self);
/* Details (NULL in list entries, set by iwb_history_get()). Borrowed. */
JsonNode       *iwb_history_entry_get_params            (IwbHistoryEntry *self); /* {id: value} */
JsonNode       *iwb_history_entry_get_overrides         (IwbHistoryEntry *self);
JsonNode       *iwb_history_entry_get_validation_errors (IwbHistoryEntry *self); /* [{field, inputId, message}] */
/* {"id", "kind", "integration", "action", "profile", "status", "exitCode",
 * "started" (ISO 8601), "duration_ms", "counts": {...}, "baseline"} and the
 * details when set. */
JsonNode       *iwb_history_entry_to_json               (IwbHistoryEntry *self);

/* ---------------------------------------------------------------------- */

#define IWB_TYPE_HISTORY (iwb_history_get_type ())
G_DECLARE_FINAL_TYPE (IwbHistory, iwb_history, IWB, HISTORY, GObject)

/* Opens (creating, migrating) @path (NULL: iwb_user_data_dir()/
 * integration-workbench/history.sqlite) and starts the writer thread.
 * IWB_ERROR_NEWER_VERSION for a database of a newer schema; a file that is
 * not a database is moved aside with a warning (iwb_history_dup_warnings()). */
IwbHistory     *iwb_history_open              (const char          *path,
                                               GError             **error);
void            iwb_history_open_async        (const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
IwbHistory     *iwb_history_open_finish       (GAsyncResult        *result,
                                               GError             **error);
const char     *iwb_history_get_path          (IwbHistory          *self);
char          **iwb_history_dup_warnings      (IwbHistory          *self);
/* Runs kept per integration and total bytes (0: no limit); applied after
 * the next recorded run, or now by iwb_history_prune(). */
void            iwb_history_set_retention     (IwbHistory          *self,
                                               guint                runs_per_integration,
                                               guint64              max_bytes);
/* Queues a pruning pass (background). */
void            iwb_history_prune             (IwbHistory          *self);
/* Blocks until everything queued so far is written (and pruned). */
void            iwb_history_flush             (IwbHistory          *self);

/* -- recording */

typedef struct
{
  IwbHistoryKind      kind;
  const char         *integration;   /* iwb_store_integration_key() */
  const char         *action;        /* entrypoint; NULL for the connection */
  const char         *profile;       /* nullable */
  JsonObject         *params;        /* id -> value as given (`${NAME}` unexpanded); nullable */
  const char * const *secret_ids;    /* params stored as the marker */
  const char * const *secret_values; /* redacted everywhere */
} IwbHistoryRunInfo;

typedef struct _IwbHistoryRecording IwbHistoryRecording;

/* Starts recording @run (call before iwb_run_start_async()): every event
 * until FINISHED. Never fails here: problems are reported by _wait(). */
IwbHistoryRecording *iwb_history_record_run        (IwbHistory              *self,
                                                    IwbRun                  *run,
                                                    const IwbHistoryRunInfo *info);
/* Low level, for front ends that replay or build runs: a recording fed by
 * hand; the FINISHED event ends it. */
IwbHistoryRecording *iwb_history_begin             (IwbHistory              *self,
                                                    const IwbHistoryRunInfo *info);
void                 iwb_history_recording_add_event (IwbHistoryRecording   *rec,
                                                      IwbRunEvent           *event);
/* Input rows (JsonObject*), recorded even when they give no result. */
void                 iwb_history_recording_add_inputs (IwbHistoryRecording  *rec,
                                                       GPtrArray            *rows);
/* Blocks until the run is committed; its id, or 0 with an error
 * (IWB_ERROR_DATABASE: busy, disk full...). */
gint64               iwb_history_recording_wait    (IwbHistoryRecording     *rec,
                                                    GError                 **error);
void                 iwb_history_recording_wait_async  (IwbHistoryRecording *rec,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gint64               iwb_history_recording_wait_finish (IwbHistoryRecording *rec,
                                                        GAsyncResult        *result,
                                                        GError             **error);
IwbHistoryRecording *iwb_history_recording_ref     (IwbHistoryRecording     *rec);
void                 iwb_history_recording_unref   (IwbHistoryRecording     *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IwbHistoryRecording, iwb_history_recording_unref)

/* -- queries */

typedef struct
{
  const char *integration; /* nullable: every integration */
  const char *action;      /* nullable; "" = connection validations */
  const char *status;      /* nullable */
  const char *text;        /* nullable: in action ("connection" for validations), profile,
                            * status or parameter values; % and _ are literal */
  guint       limit;       /* 0: no limit */
  guint       offset;
} IwbHistoryQuery;

/* Entries newest first (IwbHistoryEntry*, without details). */
GPtrArray      *iwb_history_list              (IwbHistory          *self,
                                               const IwbHistoryQuery *query,
                                               GError             **error);
void            iwb_history_list_async        (IwbHistory          *self,
                                               const IwbHistoryQuery *query,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *iwb_history_list_finish       (IwbHistory          *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The number of entries @query lists (its limit and offset aside), or -1. */
gint64          iwb_history_count             (IwbHistory          *self,
                                               const IwbHistoryQuery *query,
                                               GError             **error);
/* A page of a listing and the number of entries of the whole listing
 * (iwb_history_count()), both in one worker thread: what a paged view needs. */
void            iwb_history_list_page_async   (IwbHistory          *self,
                                               const IwbHistoryQuery *query,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *iwb_history_list_page_finish  (IwbHistory          *self,
                                               GAsyncResult        *result,
                                               gint64              *total,
                                               GError             **error);
/* One entry with its details; IWB_ERROR_NOT_FOUND if there is none. */
IwbHistoryEntry *iwb_history_get              (IwbHistory          *self,
                                               gint64               id,
                                               GError             **error);

/* Streams the stored rows of @kind (-1: all), in order within each kind
 * (kinds are stored in chunks, so rows of different kinds may come in
 * batches); @func returns FALSE to stop. @data is JSON text. */
typedef gboolean (*IwbHistoryRowFunc) (IwbHistoryRowKind  kind,
                                       const char        *correlation,
                                       const char        *data,
                                       gpointer           user_data);
gboolean        iwb_history_foreach_row       (IwbHistory          *self,
                                               gint64               id,
                                               int                  kind,
                                               IwbHistoryRowFunc    func,
                                               gpointer             user_data,
                                               GError             **error);

/* -- replay: a stored run as the events of a live one (iwb-history-replay.c) */

typedef struct
{
  IwbHistoryEntry *entry;   /* with its details */
  GPtrArray       *inputs;  /* JsonObject*: the input rows, in order */
  GPtrArray       *events;  /* IwbRunEvent*: results and row errors (linked to their
                             * input rows), log lines, files, warnings, validation
                             * errors, overrides; FINISHED last */
} IwbHistoryReplay;

/* IWB_ERROR_NOT_FOUND when there is no run @id. */
IwbHistoryReplay *iwb_history_replay         (IwbHistory          *self,
                                              gint64               id,
                                              GError             **error);
void              iwb_history_replay_async   (IwbHistory          *self,
                                              gint64               id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
IwbHistoryReplay *iwb_history_replay_finish  (IwbHistory          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void              iwb_history_replay_free    (IwbHistoryReplay    *replay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IwbHistoryReplay, iwb_history_replay_free)
/* The IwbRunStatus of an entry's status text (FAILED when unknown). */
int               iwb_history_status_from_string (const char      *status);

/* -- baselines: one run per (integration, action) */
gboolean        iwb_history_set_baseline      (IwbHistory          *self,
                                               gint64               id,
                                               GError             **error);
gboolean        iwb_history_clear_baseline    (IwbHistory          *self,
                                               const char          *integration,
                                               const char          *action,
                                               GError             **error);
/* The baseline's id, or 0. */
gint64          iwb_history_get_baseline      (IwbHistory          *self,
                                               const char          *integration,
                                               const char          *action,
                                               GError             **error);

/* -- compare: the structural difference of two runs' results */

typedef struct
{
  gint64     old_id;
  gint64     new_id;
  gboolean   by_input;     /* rows matched by their input rows (else by position) */
  guint      rows_added;
  guint      rows_removed;
  guint      rows_changed;
  JsonNode  *old_rows;     /* what was compared: [{"id"?, "input"?, "result"|"error"}] */
  JsonNode  *new_rows;
  GPtrArray *changes;      /* IwbJsonChange* (iwb-json-diff.h) */
} IwbHistoryComparison;

IwbHistoryComparison *iwb_history_compare       (IwbHistory          *self,
                                                 gint64               old_id,
                                                 gint64               new_id,
                                                 GError             **error);
void                  iwb_history_compare_async (IwbHistory          *self,
                                                 gint64               old_id,
                                                 gint64               new_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
IwbHistoryComparison *iwb_history_compare_finish (IwbHistory         *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
gboolean              iwb_history_comparison_is_equal (const IwbHistoryComparison *cmp);
/* "same as baseline"-style sentence: "Same results", "3 rows differ (1 added, ...)". */
char                 *iwb_history_comparison_summary  (const IwbHistoryComparison *cmp);
/* {"old", "new", "byInput", "equal", "rowsAdded", "rowsRemoved", "rowsChanged", "changes": [...]} */
JsonNode             *iwb_history_comparison_to_json  (const IwbHistoryComparison *cmp);
void                  iwb_history_comparison_free     (IwbHistoryComparison       *cmp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IwbHistoryComparison, iwb_history_comparison_free)

/* Compares @id with the baseline of its action: FALSE with *differing = 0
 * when there is no baseline; else TRUE and the number of rows that differ. */
gboolean              iwb_history_compare_to_baseline (IwbHistory    *self,
                                                       gint64         id,
                                                       gint64        *baseline_id,
                                                       guint         *differing,
                                                       GError       **error);

G_END_DECLS
