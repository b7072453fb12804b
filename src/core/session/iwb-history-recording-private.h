/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistoryRecording internals shared by iwb-history-recording.c (the
 * recording thread's side) and iwb-history-writer.c (the writer thread). */
#pragma once

#include "iwb-history-private.h"
#include "iwb-run.h"

G_BEGIN_DECLS

/* Up to IWB_HISTORY_CHUNK_ROWS rows of one kind, as they are stored (one
 * SQLite row): filled by the recording thread, inserted by the writer. */
typedef struct
{
  IwbHistoryRowKind kind;
  GString  *data;            /* JSON texts, one per line */
  GString  *correlation;     /* their correlations, one per line ("" = none) */
  guint     n;
  gboolean  any_correlation;
  gint64    bytes;           /* of the texts and correlations, without separators */
} Chunk;

void      _iwb_history_chunk_free     (Chunk               *chunk);

struct _IwbHistoryRecording
{
  gatomicrefcount  ref;
  GAsyncQueue     *queue;         /* the writer's; not the history itself, which the
                                   * writer thread must never be the one to finalize */
  IwbHistoryKind   kind;
  char            *integration;
  char            *action;
  char            *profile;
  JsonNode        *params;        /* masked */
  GPtrArray       *needles;       /* secret texts in every form, longest first */

  /* writer thread only */
  gboolean         begun;
  gboolean         failed;
  gint64           id;
  gint64           seq;
  gint64           bytes;
  guint64          n_inputs;
  guint64          n_results;
  guint64          n_row_errors;
  guint64          n_log_lines;
  guint64          next_input_id; /* under lock, by the recording thread */
  GHashTable      *seen_inputs;   /* lhub_id JSON text; likewise */
  GArray          *seen_small;    /* likewise: bits for the integer lhub_ids 0 .. 2^24 - 1 */
  Chunk           *chunks[IWB_HISTORY_ROW_HTTP + 1]; /* likewise: one being filled per kind */
  JsonNode        *overrides;
  JsonArray       *validation_errors;

  /* events waiting to go to the writer as one batch (under lock) */
  GPtrArray       *batch;

  /* completion */
  GMutex           lock;
  GCond            cond;
  gboolean         done;
  gint64           result_id;
  GError          *result_error;
};

/* Rows of a run made ready (serialized, redacted, put into chunks) by the
 * thread that records, so the writer only inserts text and no event object
 * crosses threads; the events the writer must look at travel as they are. */
typedef struct
{
  Chunk             *chunk; /* rows */
  IwbRunEvent       *event; /* or: VALIDATION_ERRORS, OVERRIDES, FINISHED */
} Pending;

void      _iwb_history_pending_free   (gpointer             data);
/* JSON text of @node with secrets redacted. */
char     *_iwb_history_redacted_json  (IwbHistoryRecording *rec,
                                      JsonNode            *node);
void      _iwb_history_recording_complete (IwbHistoryRecording *rec,
                                          const GError        *error);

G_END_DECLS
