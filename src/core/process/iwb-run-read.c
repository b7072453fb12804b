/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun, the reading side: each line the child prints becomes an event.
 * `[result]` lines are parsed (iwb-result-parser) and classified: results
 * and row errors (correlated to their input row by lhub_id), validation and
 * instantiation errors, dynamic overrides; everything else is a log line.
 * Results are kept in memory up to a limit, the rest spilled to a JSON
 * Lines file; files the action produced are reported at the end.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "iwb-input-rows.h"
#include "iwb-result-parser.h"
#include "iwb-run-private.h"
#include "iwb-json.h"
#include "iwb-file.h"

#define TRUNCATION_MARKER " […truncated: %" G_GUINT64_FORMAT " more bytes]"

typedef struct
{
  char   *path;
  gint64  mtime;
  guint64 size;
} RunDir;

static void
run_dir_free (RunDir *d)
{
  g_free (d->path);
  g_free (d);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const RunDir *da = *(RunDir **) a;
  const RunDir *db = *(RunDir **) b;

  return da->mtime < db->mtime ? 1 : da->mtime > db->mtime ? -1 : 0;
}

static void
remove_run_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

/* The spill folders of runs whose process is gone (crashed, or the CLI that
 * printed their path): the newest are kept up to @keep bytes in all, the
 * rest removed. Folders of live processes are never touched. */
void
_iwb_run_prune_spills (const char *root,
                       guint64     keep)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func ((GDestroyNotify) run_dir_free);
  const char *name;
  guint64 total = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      /* STAMP-PID-RANDOM */
      g_auto(GStrv) parts = g_strsplit (name, "-", -1);
      guint n = g_strv_length (parts);
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autoptr(GDir) inner = NULL;
      const char *leaf;
      GStatBuf st;
      RunDir *d;
      long pid;

      if (n < 3 || g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode))
        continue;
      pid = strtol (parts[n - 2], NULL, 10);
      if (pid > 0 && (kill ((pid_t) pid, 0) == 0 || errno == EPERM))
        continue;
      d = g_new0 (RunDir, 1);
      d->path = g_steal_pointer (&path);
      d->mtime = st.st_mtime;
      inner = g_dir_open (d->path, 0, NULL);
      while (inner != NULL && (leaf = g_dir_read_name (inner)) != NULL)
        {
          g_autofree char *f = g_build_filename (d->path, leaf, NULL);

          if (g_lstat (f, &st) == 0)
            d->size += st.st_size;
        }
      g_ptr_array_add (dead, d);
    }
  g_ptr_array_sort (dead, newest_first);
  for (guint i = 0; i < dead->len; i++)
    {
      RunDir *d = dead->pdata[i];

      total += d->size;
      if (total > keep)
        remove_run_dir (d->path);
    }
}

void
_iwb_run_remove_spill (IwbRun *self)
{
  if (self->spill != NULL)
    {
      fclose (self->spill);
      self->spill = NULL;
    }
  if (self->spill_path != NULL && self->owns_run_dir)
    remove_run_dir (self->run_dir);
  else if (self->spill_path != NULL)
    g_unlink (self->spill_path);
}

/* What a big run leaves to free: 100,000 results take 100 ms and more to
 * release, which a window would feel as a stall when the next run starts.
 * None of it is shared with GTK (events and JSON nodes are reference counted
 * atomically), so a thread of its own frees it. */
#define FREE_IN_THREAD_MIN 2000

typedef struct
{
  GPtrArray *results;
  GPtrArray *payloads;
  GPtrArray *rows;
  GPtrArray *row_ids;
  GHashTable *id_to_row;
} Leftovers;

static gpointer
free_leftovers (gpointer data)
{
  Leftovers *l = data;

  /* id_to_row points into rows: it goes first. */
  g_clear_pointer (&l->id_to_row, g_hash_table_unref);
  g_clear_pointer (&l->row_ids, g_ptr_array_unref);
  g_clear_pointer (&l->rows, g_ptr_array_unref);
  g_clear_pointer (&l->payloads, g_ptr_array_unref);
  g_clear_pointer (&l->results, g_ptr_array_unref);
  g_free (l);
  return NULL;
}

void
_iwb_run_release_results (IwbRun *self)
{
  guint n = self->results->len + self->payloads->len + (self->rows ? self->rows->len : 0);
  Leftovers *l;
  GThread *thread;

  if (n < FREE_IN_THREAD_MIN)
    return;
  l = g_new0 (Leftovers, 1);
  l->results = g_steal_pointer (&self->results);
  l->payloads = g_steal_pointer (&self->payloads);
  l->rows = g_steal_pointer (&self->rows);
  l->row_ids = g_steal_pointer (&self->row_ids);
  l->id_to_row = g_steal_pointer (&self->id_to_row);
  thread = g_thread_try_new ("iwb-run-free", free_leftovers, l, NULL);
  if (thread != NULL)
    g_thread_unref (thread);
  else
    free_leftovers (l);
}

static const char *
ensure_run_dir (IwbRun *self)
{
  if (self->run_dir == NULL)
    {
      static gsize pruned;
      g_autofree char *root = g_build_filename (iwb_user_cache_dir (), "integration-workbench",
                                                "runs", NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *leaf = g_strdup_printf ("%s-%d-%08x", stamp, (int) getpid (),
                                               g_random_int ());

      /* Once per process: what crashed runs left, within the cap. */
      if (g_once_init_enter (&pruned))
        {
          _iwb_run_prune_spills (root, IWB_RUN_SPILL_KEEP_BYTES);
          g_once_init_leave (&pruned, 1);
        }
      self->owns_run_dir = TRUE;
      self->run_dir = g_build_filename (root, leaf, NULL);
    }
  g_mkdir_with_parents (self->run_dir, 0700);
  return self->run_dir;
}

static void
store_result (IwbRun      *self,
              IwbRunEvent *event,
              gsize        line_len)
{
  /* What a stored result costs in memory, roughly: the JSON tree (hash
   * tables, nodes) is a few times the text, plus the event object. */
  gsize cost = line_len * 4 + 800; /* measured: ~1 KiB for a 60-byte result line */

  if (self->results_bytes + cost <= self->result_limit)
    {
      self->results_bytes += cost;
      g_ptr_array_add (self->results, g_object_ref (event));
      return;
    }

  if (!self->spill_results)
    {
      self->counts.spilled_results++;
      return;
    }
  if (self->spill == NULL && self->spill_path == NULL)
    {
      self->spill_path = g_build_filename (ensure_run_dir (self), "results.jsonl", NULL);
      self->spill = fopen (self->spill_path, "we");
      if (self->spill == NULL)
        _iwb_run_emit_warning (self, "Cannot write the results beyond the memory limit to %s: %s; "
                      "they are shown but not kept", self->spill_path, g_strerror (errno));
      else
        _iwb_run_emit_warning (self, "More results than the memory limit holds: the rest are kept in %s",
                      self->spill_path);
    }
  if (self->spill != NULL)
    {
      g_autoptr(GString) text = g_string_sized_new (256);

      iwb_run_event_write_json (event, text);
      g_string_append_c (text, '\n');
      fwrite (text->str, 1, text->len, self->spill);
    }
  self->counts.spilled_results++;
}

/* The input row an lhub_id stands for, if any: JSON Lines input (kept as
 * text) gives *json, the compact JSON text of the row (transfer full;
 * *finite: known to hold no NaN or infinity); rows given as objects give
 * *object (borrowed). */
static void
row_for_id (IwbRun      *self,
            JsonNode    *id,
            char       **json,
            JsonObject **object,
            gboolean    *finite)
{
  *json = NULL;
  *object = NULL;
  *finite = FALSE;
  if (id == NULL || _iwb_run_n_rows (self) == 0)
    return;
  if (self->sequential_ids)
    {
      gint64 v;

      if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
        return;
      v = json_node_get_int (id);
      if (v < 1 || v > (gint64) _iwb_run_n_rows (self))
        return;
      if (self->rows == NULL)
        {
          /* JSON Lines input stays text: its canonical form, no tree */
          const IwbRowSpan *span = &g_array_index (self->raw_spans, IwbRowSpan, v - 1);
          const char *data = g_bytes_get_data (self->raw_rows, NULL);
          GString *out = g_string_sized_new (span->length + 16);
          gboolean nonfinite = FALSE;

          if (iwb_result_canonical_json (data + span->offset, span->length, out, &nonfinite))
            {
              *finite = !nonfinite;
              *json = g_string_free (out, FALSE);
            }
          else
            g_string_free (out, TRUE);
          return;
        }
      *object = self->rows->pdata[v - 1];
    }
  else if (self->id_to_row != NULL)
    {
      g_autofree char *key = iwb_json_to_string (id, FALSE);

      *object = g_hash_table_lookup (self->id_to_row, key);
    }
}

/* Results kept in memory (the window's run view, the CLI's text report)
 * are read as trees by whoever shows them: make the trees here, on the
 * thread that reads the child (the window's session runs it off the main
 * loop), not lazily where they are shown. A run that streams its results
 * (`iwb run --format jsonl`, no memory kept) never makes them. */
static void
prepare_trees (IwbRun      *self,
               IwbRunEvent *event)
{
  if (self->result_limit == 0)
    return;
  (void) iwb_run_event_get_payload (event);
  (void) iwb_run_event_get_input_row (event);
}

/* A result line: @text is the value's compact JSON text (taken), @value its
 * tree when the parser made one (the shapes other than plain values). */
static void
handle_result (IwbRun         *self,
               char           *text,
               gboolean        finite,
               IwbResultShape  shape,
               JsonNode       *value,
               JsonNode       *lhub_id,
               gsize           line_len)
{
  g_autoptr(IwbRunEvent) event = NULL;
  g_autofree char *owned_text = text;

  switch (shape)
    {
    case IWB_RESULT_SHAPE_ROW_ERROR:
      {
        gboolean row_finite = FALSE;
        JsonObject *row_object;
        char *row;

        row_for_id (self, lhub_id, &row, &row_object, &row_finite);
        /* Uncorrelated row errors carry the row as "data": its lhub_id
         * (ours or the user's) still finds the input row. */
        if (row == NULL && row_object == NULL)
          {
            JsonNode *data = json_object_get_member (json_node_get_object (value), "data");

            if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
              row_for_id (self, json_object_get_member (json_node_get_object (data), "lhub_id"),
                          &row, &row_object, &row_finite);
          }
        event = iwb_run_event_new_result_json (IWB_RUN_EVENT_ROW_ERROR, _iwb_run_time (self),
                                               g_steal_pointer (&owned_text), value, lhub_id,
                                               row, row_object, row_object ? self->rows : NULL,
                                               finite && (row == NULL || row_finite));
        self->counts.row_errors++;
        self->saw_reported_error = TRUE;
        if (self->operation != IWB_RUN_EXECUTE && self->payloads->len < MAX_PAYLOADS)
          g_ptr_array_add (self->payloads, json_node_ref (value));
        prepare_trees (self, event);
        _iwb_run_emit (self, event);
        store_result (self, event, line_len);
      }
      break;

    case IWB_RESULT_SHAPE_VALIDATION_ERRORS:
      {
        JsonArray *errors = json_object_get_array_member (json_node_get_object (value), "errors");
        g_autoptr(GPtrArray) fields =
          g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);

        if (self->operation != IWB_RUN_EXECUTE && self->payloads->len < MAX_PAYLOADS)
          g_ptr_array_add (self->payloads, json_node_ref (value));
        for (guint i = 0; i < json_array_get_length (errors); i++)
          {
            JsonObject *e = json_array_get_object_element (errors, i);
            JsonNode *input_id = json_object_get_member (e, "inputId");
            g_autofree char *id_text = NULL;
            const char *message = _iwb_run_obj_string (e, "message");

            if (input_id != NULL && JSON_NODE_HOLDS_VALUE (input_id) &&
                json_node_get_value_type (input_id) == G_TYPE_STRING)
              id_text = g_strdup (json_node_get_string (input_id));
            else if (input_id != NULL && !JSON_NODE_HOLDS_NULL (input_id))
              id_text = iwb_json_to_string (input_id, FALSE);
            g_ptr_array_add (fields, iwb_field_error_new (id_text, message));
            g_ptr_array_add (self->field_errors, iwb_field_error_new (id_text, message));
          }
        event = iwb_run_event_new_errors (IWB_RUN_EVENT_VALIDATION_ERRORS, _iwb_run_time (self),
                                          value, fields);
        self->saw_reported_error = TRUE;
        _iwb_run_emit (self, event);
      }
      break;

    case IWB_RESULT_SHAPE_INSTANTIATION_ERROR:
      if (self->operation != IWB_RUN_EXECUTE && self->payloads->len < MAX_PAYLOADS)
        g_ptr_array_add (self->payloads, json_node_ref (value));
      event = iwb_run_event_new_errors (IWB_RUN_EVENT_INSTANTIATION_ERROR, _iwb_run_time (self),
                                        value, NULL);
      self->saw_reported_error = TRUE;
      _iwb_run_emit (self, event);
      break;

    case IWB_RESULT_SHAPE_OVERRIDES:
      {
        JsonNode *ov = json_object_get_member (json_node_get_object (value), "actionOverrides");

        if (self->operation != IWB_RUN_EXECUTE && self->payloads->len < MAX_PAYLOADS)
          g_ptr_array_add (self->payloads, json_node_ref (value));
        g_clear_pointer (&self->overrides, json_node_unref);
        self->overrides = json_node_copy (ov);
        event = iwb_run_event_new_result (IWB_RUN_EVENT_OVERRIDES, _iwb_run_time (self),
                                          ov, NULL, NULL);
        _iwb_run_emit (self, event);
      }
      break;

    case IWB_RESULT_SHAPE_EMPTY_SUCCESS:
    case IWB_RESULT_SHAPE_VALUE:
    default:
      {
        gboolean row_finite = FALSE;
        JsonObject *row_object;
        char *row;

        row_for_id (self, lhub_id, &row, &row_object, &row_finite);
        event = iwb_run_event_new_result_json (IWB_RUN_EVENT_RESULT, _iwb_run_time (self),
                                               g_steal_pointer (&owned_text), value, lhub_id,
                                               row, row_object, row_object ? self->rows : NULL,
                                               finite && (row == NULL || row_finite));
      }
      /* validations keep their payloads (the tree, made here if need be) */
      if (self->operation != IWB_RUN_EXECUTE && self->payloads->len < MAX_PAYLOADS)
        g_ptr_array_add (self->payloads, json_node_ref (iwb_run_event_get_payload (event)));
      self->counts.results++;
      prepare_trees (self, event);
      _iwb_run_emit (self, event);
      store_result (self, event, line_len);
      break;
    }
}

/* One complete line from the child: valid UTF-8 without its newline;
 * @dropped bytes were cut off; @was_valid FALSE when bytes were replaced. */
/* ---- lines of a gated child before the start ---- */

typedef struct
{
  IwbChildStream  stream;
  char           *text;
  gsize           len;
  guint64         dropped;
  gboolean        was_valid;
} EarlyLine;

/* Enough for any interpreter's start-up complaints; more is dropped. */
#define EARLY_LINES_MAX 1000

static void
early_line_clear (gpointer data)
{
  g_free (((EarlyLine *) data)->text);
}

static void
keep_early_line (IwbRun         *self,
                 IwbChildStream  stream,
                 const char     *text,
                 gsize           len,
                 guint64         dropped,
                 gboolean        was_valid)
{
  EarlyLine line = { stream, g_strndup (text, len), len, dropped, was_valid };

  if (self->early_lines == NULL)
    {
      self->early_lines = g_array_new (FALSE, FALSE, sizeof (EarlyLine));
      g_array_set_clear_func (self->early_lines, early_line_clear);
    }
  if (self->early_lines->len >= EARLY_LINES_MAX)
    {
      g_free (line.text);
      return;
    }
  g_array_append_val (self->early_lines, line);
}

void
_iwb_run_replay_early_lines (IwbRun *self)
{
  g_autoptr(GArray) lines = g_steal_pointer (&self->early_lines);

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      EarlyLine *l = &g_array_index (lines, EarlyLine, i);

      _iwb_run_on_line (self->child, l->stream, l->text, l->len, l->dropped, l->was_valid, self);
    }
}

void
_iwb_run_on_line (IwbChild       *child,
                  IwbChildStream  stream,
                  const char     *text,
                  gsize           len,
                  guint64         dropped,
                  gboolean        was_valid,
                  gpointer        user_data)
{
  IwbRun *self = user_data;
  const char *stream_name = stream == IWB_CHILD_STDERR ? "stderr" : "stdout";

  if (self->finished)
    return;
  if (!self->running)
    {
      /* A gated child (iwb_run_prestart()) said something before the
       * start: Python's own warnings, the capture host's setup error. Kept
       * for the start, when the run's events have listeners. */
      keep_early_line (self, stream, text, len, dropped, was_valid);
      return;
    }
  if (stream == IWB_CHILD_EVENTS)
    {
      _iwb_run_on_event_line (self, text, len, dropped);
      return;
    }

  if (dropped > 0)
    {
      self->counts.truncated_lines++;
      self->counts.truncated_bytes += dropped;
    }

  if (len >= 8 && memcmp (text, "[result]", 8) == 0)
    {
      g_autoptr(JsonNode) value = NULL;
      g_autoptr(JsonNode) lhub_id = NULL;
      g_autofree char *error_message = NULL;
      g_autoptr(GString) canonical = NULL;
      IwbResultShape shape;
      gboolean nonfinite;

      if (dropped > 0)
        {
          self->malformed_results++;
          self->overlong_results++;
          _iwb_run_emit_warning (self, "A [result] line on %s of %" G_GUINT64_FORMAT " bytes is longer "
                                 "than the line limit (%" G_GSIZE_FORMAT " bytes) and was dropped; "
                                 "raise the limit or return smaller results",
                                 stream_name, (guint64) len + dropped, self->line_limit);
          return;
        }
      if (was_valid)
        {
          /* the value's text, in the form the events print (no tree for
           * plain results) */
          canonical = g_string_sized_new (len + 16);
          switch (iwb_result_read_line (text, len, canonical, &nonfinite, &shape, &value, &lhub_id,
                                        &error_message))
            {
            case IWB_RESULT_LINE_OK:
              self->result_lines++;
              handle_result (self, g_string_free (g_steal_pointer (&canonical), FALSE), !nonfinite,
                             shape, value, lhub_id, len);
              return;
            case IWB_RESULT_LINE_INVALID:
              self->malformed_results++;
              {
                g_autofree char *shown = g_utf8_make_valid (text, MIN (len, 200));
                _iwb_run_emit_warning (self, "A [result] line on %s is not valid JSON (%s): %s%s; "
                                       "the SDK prints json.dumps() output there, check what the "
                                       "integration prints",
                                       stream_name, error_message, shown, len > 200 ? "…" : "");
              }
              break;
            case IWB_RESULT_LINE_NONE:
            default:
              break;
            }
        }
      else
        {
          self->malformed_results++;
          _iwb_run_emit_warning (self, "A [result] line on %s is not valid UTF-8; shown as a log line",
                                 stream_name);
        }
    }

  {
    g_autofree char *with_marker = NULL;
    g_autoptr(IwbRunEvent) event = NULL;

    if (dropped > 0)
      with_marker = g_strdup_printf ("%s" TRUNCATION_MARKER, text, dropped);
    event = iwb_run_event_new_text (IWB_RUN_EVENT_LOG, _iwb_run_time (self), stream_name,
                                    with_marker ? with_marker : text, dropped > 0);
    self->counts.log_lines++;
    _iwb_run_emit (self, event);
  }
}

/* ---------------------------------------------------------------------- */
/* Files the action produced                                              */

void
_iwb_run_snapshot_files (const char *root,
                         const char *rel,
                         GHashTable *out,
                         guint       depth)
{
  g_autofree char *dir_path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL || depth > 4)
    return;
  while ((name = g_dir_read_name (dir)) != NULL && g_hash_table_size (out) < 10000)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *child_path = g_build_filename (root, child_rel, NULL);
      GStatBuf st;

      if (g_lstat (child_path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        _iwb_run_snapshot_files (root, child_rel, out, depth + 1);
      else if (S_ISREG (st.st_mode))
        g_hash_table_insert (out, g_steal_pointer (&child_rel),
                             g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              (gint64) st.st_size, (gint64) st.st_mtime));
    }
}

void
_iwb_run_report_new_files (IwbRun *self)
{
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GList) names = NULL;

  if (self->files_before == NULL || self->files_dir == NULL)
    return;
  after = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  _iwb_run_snapshot_files (self->files_dir, NULL, after, 0);
  names = g_list_sort (g_hash_table_get_keys (after), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *rel = l->data;
      const char *before = g_hash_table_lookup (self->files_before, rel);

      if (before == NULL || !g_str_equal (before, g_hash_table_lookup (after, rel)))
        {
          g_autofree char *path = g_build_filename (self->files_dir, rel, NULL);
          g_autoptr(IwbRunEvent) event = NULL;

          if (self->files->len >= MAX_FILES_LISTED)
            break;
          event = iwb_run_event_new_text (IWB_RUN_EVENT_FILE, _iwb_run_time (self), NULL, path, FALSE);
          g_ptr_array_add (self->files, g_strdup (path));
          self->counts.files++;
          _iwb_run_emit (self, event);
        }
    }
}

