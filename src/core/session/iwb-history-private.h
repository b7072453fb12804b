/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory internals shared by iwb-history*.c. */
#pragma once

#include <sqlite3.h>

#include "iwb-history.h"

G_BEGIN_DECLS

struct _IwbHistory
{
  GObject       parent_instance;
  char         *path;
  GMutex        read_lock;
  sqlite3      *read_db;        /* queries, under read_lock */
  sqlite3      *write_db;       /* the writer thread's */
  GThread      *writer;
  GAsyncQueue  *queue;          /* WriterOp* */
  GMutex        warn_lock;
  GPtrArray    *warnings;
  guint         keep_runs;      /* atomic access via the writer */
  guint64       max_bytes;
};

typedef enum
{
  WRITER_OP_BEGIN,
  WRITER_OP_EVENT,
  WRITER_OP_CALL,
  WRITER_OP_QUIT,
} WriterOpKind;

typedef gboolean (*WriterFunc) (IwbHistory *self,
                                sqlite3    *db,
                                gpointer    data,
                                GError    **error);

typedef struct
{
  WriterOpKind          kind;
  IwbHistoryRecording  *rec;     /* BEGIN, EVENT */
  GPtrArray            *rows;    /* EVENT: rows made ready by the recording thread */
  WriterFunc            func;    /* CALL */
  gpointer              data;
  /* CALL: the caller waits */
  GMutex               *mutex;
  GCond                *cond;
  gboolean             *done;
  GError              **error;
  gboolean             *ok;
} WriterOp;

/* iwb-history-writer.c */
gpointer  _iwb_history_writer_main (gpointer    data);
void      _iwb_history_push        (IwbHistory *self,
                                    WriterOp   *op);
/* Runs @func in the writer thread (outside any recording transaction when
 * none is open, else inside it) and waits for it. */
gboolean  _iwb_history_call        (IwbHistory *self,
                                    WriterFunc  func,
                                    gpointer    data,
                                    GError    **error);
void      _iwb_history_add_warning (IwbHistory *self,
                                    const char *message);

/* iwb-history-redact.c */
GPtrArray *_iwb_history_build_needles  (const char * const *secrets);
void       _iwb_history_append_json    (GString            *out,
                                        JsonNode           *node,
                                        GPtrArray          *needles);

/* iwb-history-prune.c: a WriterFunc (skips while a recording is open) */
gboolean   _iwb_history_prune_now      (IwbHistory         *self,
                                        sqlite3            *db,
                                        gpointer            data,
                                        GError            **error);
/* The same, leaving room for a run of @room_for about to be recorded
 * (NULL: none). */
gboolean   _iwb_history_prune          (IwbHistory         *self,
                                        sqlite3            *db,
                                        const char         *room_for,
                                        GError            **error);
gboolean   _iwb_history_over_size      (IwbHistory         *self,
                                        sqlite3            *db);

/* iwb-history.c */
/* iwb-history-pack.c: chunks stored packed (raw deflate) */
typedef struct _IwbHistoryPacker IwbHistoryPacker;
IwbHistoryPacker *_iwb_history_packer_new  (void);
void              _iwb_history_packer_free (IwbHistoryPacker *p);
/* @text packed into the packer's buffer (valid until the next call), or
 * NULL when it is better stored as text (small, or it does not shrink). */
const guint8     *_iwb_history_pack        (IwbHistoryPacker *p,
                                            const char       *text,
                                            gsize             len,
                                            gsize            *packed_len);
/* The text of a packed chunk (NUL-terminated, g_free()), or NULL when it
 * is damaged. */
char             *_iwb_history_unpack      (const void       *data,
                                            gsize             len,
                                            gsize            *text_len);

gboolean  _iwb_history_exec        (sqlite3     *db,
                                    const char  *sql,
                                    GError     **error);
void      _iwb_history_set_error   (GError     **error,
                                    sqlite3     *db,
                                    const char  *what);
IwbHistoryEntry *_iwb_history_entry_new_from_stmt (sqlite3_stmt *stmt,
                                                   gboolean      details);
/* The SELECT columns _iwb_history_entry_new_from_stmt() reads. */
#define IWB_HISTORY_ENTRY_COLUMNS \
  "r.id, r.kind, r.integration, r.action, r.profile, r.started, r.duration_ms, r.status, " \
  "r.exit_code, r.n_inputs, r.n_results, r.n_row_errors, r.n_log_lines, " \
  "EXISTS (SELECT 1 FROM baselines b WHERE b.run_id = r.id), r.params, r.overrides, " \
  "r.validation_errors"

G_END_DECLS
