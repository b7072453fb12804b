/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One thing that happened during an IwbRun: a result row, a row error,
 * validation errors, an instantiation error, dynamic overrides, a log line,
 * a file the action produced, a protocol warning, an HTTP exchange the
 * integration made (captured in the child), or the end of the run.
 * Immutable once emitted; a GObject so a GListStore can hold them.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "iwb-http-exchange.h"
#include "iwb-types.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_RUN_EVENT_RESULT,              /* payload = the result value (any JSON) */
  IWB_RUN_EVENT_ROW_ERROR,           /* payload = {"has_error": true, "error": ..., "data": ...} */
  IWB_RUN_EVENT_VALIDATION_ERRORS,   /* payload = {"errors": [...], "message": ...}; field errors */
  IWB_RUN_EVENT_INSTANTIATION_ERROR, /* payload = {"errors": [...], "message": ...} (hard or read() failure) */
  IWB_RUN_EVENT_OVERRIDES,           /* payload = the value of "actionOverrides" (normally an array) */
  IWB_RUN_EVENT_LOG,                 /* stream + text: one line the integration printed */
  IWB_RUN_EVENT_FILE,                /* text = path of a new file in INTEGRATIONS_FILES_PATH */
  IWB_RUN_EVENT_FINISHED,            /* status, exit code, meaning, duration, counts */
  IWB_RUN_EVENT_WARNING,             /* text = a problem with the output itself (bad [result] JSON, truncation) */
  IWB_RUN_EVENT_HTTP,                /* exchange = one HTTP call the integration made (redacted in the child) */
} IwbRunEventKind;

typedef enum
{
  IWB_RUN_STATUS_SUCCEEDED,       /* exit 0, no row errors / validation errors */
  IWB_RUN_STATUS_REPORTED_ERRORS, /* the integration reported errors (row errors, validation errors, exit 1) */
  IWB_RUN_STATUS_FAILED,          /* could not start, hard exit (2), crash, signal */
  IWB_RUN_STATUS_TIMED_OUT,
  IWB_RUN_STATUS_CANCELLED,
} IwbRunStatus;

const char *iwb_run_event_kind_to_string (IwbRunEventKind kind); /* "result", "row-error", ... */
const char *iwb_run_status_to_string     (IwbRunStatus    status); /* "succeeded", "reported-errors", ... */

/* One field-level problem: from iwb_run_check() or from the SDK's
 * {"message", "inputId"} validation errors. */
typedef struct
{
  char *input_id; /* as reported by the SDK ("___x" for argument x); nullable */
  char *field;    /* the descriptor input id (argument id without "___"); nullable */
  char *message;
} IwbFieldError;

#define IWB_TYPE_FIELD_ERROR (iwb_field_error_get_type ())
GType          iwb_field_error_get_type (void) G_GNUC_CONST;
IwbFieldError *iwb_field_error_new      (const char          *input_id,
                                         const char          *message);
IwbFieldError *iwb_field_error_copy     (const IwbFieldError *error);
void           iwb_field_error_free     (IwbFieldError       *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IwbFieldError, iwb_field_error_free)

/* Counts carried by the FINISHED event (and kept by the run). */
typedef struct
{
  guint64 rows_in;         /* input rows written to the child */
  guint64 results;         /* RESULT events */
  guint64 row_errors;      /* ROW_ERROR events */
  guint64 log_lines;       /* LOG events */
  guint64 truncated_lines; /* lines cut at the line limit */
  guint64 truncated_bytes; /* bytes dropped by those cuts */
  guint64 spilled_results; /* results/row errors written to the spill file instead of memory */
  guint64 files;           /* FILE events */
  guint64 http_exchanges;  /* HTTP events (exchanges kept) */
  guint64 http_dropped;    /* exchanges beyond the run's limit: counted, not kept */
} IwbRunCounts;

#define IWB_TYPE_RUN_EVENT (iwb_run_event_get_type ())
G_DECLARE_FINAL_TYPE (IwbRunEvent, iwb_run_event, IWB, RUN_EVENT, GObject)

IwbRunEventKind     iwb_run_event_get_kind         (IwbRunEvent *self);
gint64              iwb_run_event_get_time_us      (IwbRunEvent *self); /* monotonic, since run start */
JsonNode           *iwb_run_event_get_payload      (IwbRunEvent *self); /* nullable, borrowed */
JsonObject         *iwb_run_event_get_input_row    (IwbRunEvent *self); /* nullable: correlated row */
JsonNode           *iwb_run_event_get_lhub_id      (IwbRunEvent *self); /* nullable: original_lhub_id */
const char         *iwb_run_event_get_stream       (IwbRunEvent *self); /* "stdout"/"stderr" for LOG, else NULL */
const char         *iwb_run_event_get_text         (IwbRunEvent *self); /* LOG line, FILE path, WARNING text */
gboolean            iwb_run_event_get_truncated    (IwbRunEvent *self); /* LOG line was cut */
const char         *iwb_run_event_get_message      (IwbRunEvent *self); /* ROW_ERROR "error", *_ERRORS "message" */
GPtrArray          *iwb_run_event_get_field_errors (IwbRunEvent *self); /* IwbFieldError*, VALIDATION_ERRORS; borrowed */
/* HTTP: the exchange (borrowed); NULL for other kinds. */
IwbHttpExchange    *iwb_run_event_get_exchange     (IwbRunEvent *self);
/* FINISHED */
IwbRunStatus        iwb_run_event_get_status       (IwbRunEvent *self);
int                 iwb_run_event_get_exit_code    (IwbRunEvent *self); /* -1 when killed / never started */
const char         *iwb_run_event_get_exit_meaning (IwbRunEvent *self); /* human sentence (spec exit-code table) */
gint64              iwb_run_event_get_duration_us  (IwbRunEvent *self);
const IwbRunCounts *iwb_run_event_get_counts       (IwbRunEvent *self);

/* One JSON object per event (the `--format jsonl` line of `iwb run`); an
 * HTTP event is {"event": "http", "time_ms", "http": EXCHANGE} where
 * EXCHANGE is the exchange's JSON (iwb_http_exchange_get_json()). */
JsonNode           *iwb_run_event_to_json          (IwbRunEvent *self);
/* The same object's compact text (what iwb_json_write (to_json, FALSE)
 * prints), appended to @out; a result or row error is written from the
 * texts below, without building a tree. */
void                iwb_run_event_write_json       (IwbRunEvent *self,
                                                    GString     *out);

/* RESULT and ROW_ERROR: compact JSON text (iwb_json_write()'s) of the
 * payload ("null" when there is none) and of the input row (NULL when
 * there is none), made once and kept. Either the text or the tree
 * (iwb_run_event_get_payload(), iwb_run_event_get_input_row()) is made
 * from the other when first asked for; both calls are thread-safe. */
const char         *iwb_run_event_get_payload_json   (IwbRunEvent *self);
const char         *iwb_run_event_get_input_row_json (IwbRunEvent *self);
/* TRUE when both texts are known to hold no NaN or infinity (texts made
 * from a tree are not checked: FALSE). */
gboolean            iwb_run_event_get_json_finite    (IwbRunEvent *self);

/* Constructors, used by IwbRun and by tests/front ends that replay events. */
IwbRunEvent *iwb_run_event_new_result   (IwbRunEventKind  kind,
                                         gint64           time_us,
                                         JsonNode        *payload,
                                         JsonNode        *lhub_id,
                                         JsonObject      *input_row);
/* The same from texts (transfer full, taken): @payload_json and
 * @input_row_json (nullable) must be what iwb_json_write() prints for the
 * tree iwb_json_parse() makes of them (iwb_result_read_line() and
 * iwb_result_canonical_json() make such texts); @payload (nullable): its
 * tree when the caller has one; @input_row: the row as a tree instead of
 * @input_row_json (the one it is kept as, not a copy); @row_owner
 * (nullable): an array that holds @input_row, referenced instead of the
 * row (a JsonObject's count is not atomic: the run's thread makes events
 * of rows that other threads' events still hold); @finite: neither text
 * holds NaN or an infinity. */
IwbRunEvent *iwb_run_event_new_result_json (IwbRunEventKind  kind,
                                            gint64           time_us,
                                            char            *payload_json,
                                            JsonNode        *payload,
                                            JsonNode        *lhub_id,
                                            char            *input_row_json,
                                            JsonObject      *input_row,
                                            GPtrArray       *row_owner,
                                            gboolean         finite);
IwbRunEvent *iwb_run_event_new_errors   (IwbRunEventKind  kind,
                                         gint64           time_us,
                                         JsonNode        *payload,
                                         GPtrArray       *field_errors);
IwbRunEvent *iwb_run_event_new_text     (IwbRunEventKind  kind,
                                         gint64           time_us,
                                         const char      *stream,
                                         const char      *text,
                                         gboolean         truncated);
IwbRunEvent *iwb_run_event_new_http     (gint64           time_us,
                                         IwbHttpExchange *exchange);
IwbRunEvent *iwb_run_event_new_finished (gint64              time_us,
                                         IwbRunStatus        status,
                                         int                 exit_code,
                                         const char         *exit_meaning,
                                         gint64              duration_us,
                                         const IwbRunCounts *counts);
/* Replaces every needle (iwb-redact.h) with @marker in the texts a person
 * reads: a log line or warning, a row error's or an error event's message
 * and field errors, the exit meaning, and the payload of the other
 * events. Results and row errors' JSON are left as they are (the places
 * that show or keep them redact their own way). */
void         iwb_run_event_redact_texts (IwbRunEvent *self,
                                         GPtrArray   *needles,
                                         const char  *marker);

G_END_DECLS
