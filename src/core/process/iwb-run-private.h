/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun's insides, shared by its files (one object split by concern, like
 * GNOME Text Editor's editor-window-*.c):
 *
 *   iwb-run.c        lifecycle: inputs, accessors, start, finish
 *   iwb-run-env.c    the descriptor's inputs: local checks, the environment
 *   iwb-run-read.c   the child's lines -> events, results kept or spilled
 *   iwb-run-write.c  the input rows -> the child's stdin
 *   iwb-run-http.c   the capture host: HTTP events, record / replay
 */
#pragma once

#include <stdio.h>

#include "iwb-child.h"
#include "iwb-run.h"

G_BEGIN_DECLS

#define MAX_PAYLOADS      1000
#define MAX_FILES_LISTED  1000

struct _IwbRun
{
  GObject          parent_instance;

  IwbPython       *python;
  GFile           *folder;
  JsonNode        *descriptor;
  IwbRunOperation  operation;
  char            *entrypoint;

  GHashTable      *values;       /* id -> text */
  GHashTable      *mappings;     /* arg id -> column or template text (may be "") */
  GHashTable      *extra_env;
  GPtrArray       *rows;         /* JsonObject* */
  GBytes          *raw_rows;     /* or: JSON Lines text ... */
  GArray          *raw_spans;    /* ... and one IwbRowSpan per row */
  guint            timeout;
  gboolean         ssl_verify;
  gboolean         has_window;
  gint64           window_start_ms;
  gint64           window_end_ms;
  char            *files_dir;
  char            *run_dir;
  gsize            result_limit;
  gboolean         spill_results;
  gsize            line_limit;
  gboolean         capture;
  IwbHttpMode      http_mode;
  char            *cassette;     /* absolute */
  gboolean         replay_strict;
  guint            exchange_limit;
  GPtrArray       *secret_params; /* char*, iwb_run_add_secret_param() */

  /* running state */
  GTask           *task;
  IwbChild        *child;
  gint64           start_us;
  GOutputStream   *stdin_stream;
  GSource         *writer_source; /* iwb-pipe-source.h, while rows are left to write */
  guint            next_row;
  guint            chunk_rows;    /* in the chunk being written */
  GPtrArray       *row_ids;      /* char* JSON text of each row's lhub_id, NULL if the row has its own */
  GHashTable      *id_to_row;    /* JSON text of an lhub_id -> JsonObject* (unowned) */
  gboolean         sequential_ids; /* no row has its own lhub_id: row i gets i + 1 */
  gboolean         writer_done;
  gboolean         running;
  gboolean         finished;
  gboolean         stdin_closed_early;
  gboolean         gated;         /* iwb_run_prestart(): the child waits for IWB_RUN_GATE_LINE */
  GArray          *early_lines;   /* EarlyLine, what a gated child printed before the start */
  GHashTable      *files_before; /* relative path -> "size:mtime" */


  /* results */
  IwbRunCounts     counts;
  gboolean         saw_reported_error;
  guint            result_lines;      /* [result] lines parsed */
  guint            malformed_results; /* [result] lines that were not JSON */
  guint            overlong_results;  /* of which longer than the line limit */
  GPtrArray       *results;      /* IwbRunEvent* */
  gsize            results_bytes;
  FILE            *spill;
  char            *spill_path;
  gboolean         owns_run_dir;  /* the default one under the cache: removed with the run */
  GPtrArray       *field_errors;
  GPtrArray       *payloads;     /* JsonNode* */
  JsonNode        *overrides;
  GPtrArray       *files;        /* char* */
  IwbRunEvent     *finished_event;
  IwbRunStatus     status;
  int              exit_code;

  /* HTTP */
  GListStore      *exchanges;    /* IwbHttpExchange*, appended where events are delivered */
  gsize            http_bytes;   /* event text of the exchanges kept */
  guint            http_malformed;
  GPtrArray       *http_needles; /* forms of the secret values: _iwb_run_secret_needles() */
};

/* iwb-run.c */
guint        _iwb_run_n_rows              (IwbRun      *self);
JsonObject  *_iwb_run_row_object          (IwbRun      *self,
                                           guint        index);   /* transfer full, nullable */
gint64       _iwb_run_time                (IwbRun      *self);
void         _iwb_run_emit                (IwbRun      *self,
                                           IwbRunEvent *event);
void         _iwb_run_emit_warning        (IwbRun      *self,
                                           const char  *format,
                                           ...) G_GNUC_PRINTF (2, 3);

/* iwb-run-env.c */
const char  *_iwb_run_obj_string          (JsonObject  *obj,
                                           const char  *member);
/* The first line on a gated child's stdin: the run starts (iwb_host.launch). */
#define IWB_RUN_GATE_LINE "IWB-GO\n"

gboolean     _iwb_run_uses_action         (IwbRun      *self);
void         _iwb_run_replay_early_lines  (IwbRun      *self);
char       **_iwb_run_build_environ       (IwbRun      *self,
                                           GError     **error);
char       **_iwb_run_secret_ids          (IwbRun      *self);  /* password / encryptedFile ids */
/* The forms of the secret values (iwb-redact.h), built at the first use,
 * on the run's thread (iwb-run-http.c). */
GPtrArray   *_iwb_run_secret_needles      (IwbRun      *self);

/* iwb-run-http.c */
void         _iwb_run_event_default       (IwbRun      *self,
                                           IwbRunEvent *event);
gboolean     _iwb_run_http_check          (IwbRun      *self,
                                           GError     **error);
void         _iwb_run_http_add_argv       (IwbRun      *self,
                                           GPtrArray   *argv,
                                           const char  *interpreter,
                                           const char  *shim);
void         _iwb_run_http_add_env        (IwbRun      *self,
                                           GPtrArray   *extra);
IwbChildFlags _iwb_run_http_child_flags   (IwbRun      *self);
void         _iwb_run_on_event_line       (IwbRun      *self,
                                           const char  *text,
                                           gsize        len,
                                           guint64      dropped);
void         _iwb_run_http_finish         (IwbRun      *self);

/* iwb-run-read.c */
void         _iwb_run_on_line             (IwbChild       *child,
                                           IwbChildStream  stream,
                                           const char     *text,
                                           gsize           len,
                                           guint64         dropped,
                                           gboolean        was_valid,
                                           gpointer        user_data);
void         _iwb_run_snapshot_files      (const char  *root,
                                           const char  *rel,
                                           GHashTable  *out,
                                           guint        depth);
void         _iwb_run_report_new_files    (IwbRun      *self);
void         _iwb_run_remove_spill        (IwbRun      *self);
void         _iwb_run_release_results     (IwbRun      *self);
void         _iwb_run_prune_spills        (const char  *root,
                                           guint64      keep);

/* iwb-run-write.c */
void         _iwb_run_prepare_row_ids     (IwbRun      *self);
void         _iwb_run_write_rows          (IwbRun      *self);
void         _iwb_run_close_stdin         (IwbRun      *self);

G_END_DECLS
