/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun, the writing side: the input rows go to the child's stdin as
 * `{"row": {...}}` lines, each with an lhub_id so that results correlate to
 * their row, in chunks a pipe writer source (iwb-pipe-source.h) puts in the
 * non-blocking pipe as the child takes them. A child that stops reading
 * (closes stdin, dies) costs an EPIPE, reported as "stopped reading its
 * input".
 */
#include "config.h"

#include <string.h>

#include <gio/gunixoutputstream.h>

#include "iwb-gstring.h"
#include "iwb-input-rows.h"
#include "iwb-pipe-source.h"
#include "iwb-run-private.h"
#include "iwb-json.h"

#define WRITE_CHUNK (256 * 1024)

static void
close_stdin (IwbRun *self)
{
  /* a pipe: closing it does not block */
  g_output_stream_close (self->stdin_stream, NULL, NULL);
  self->writer_done = TRUE;
}

void
_iwb_run_close_stdin (IwbRun *self)
{
  if (self->writer_source != NULL)
    {
      g_source_destroy (self->writer_source);
      g_clear_pointer (&self->writer_source, g_source_unref);
    }
  if (!self->writer_done)
    close_stdin (self);
}

static void
append_row_line (IwbRun  *self,
                 GString *out,
                 guint    index)
{
  char seq_id[IWB_INT_TEXT_SIZE];
  const char *id_text = NULL;
  gsize start;

  if (self->sequential_ids)
    id_text = iwb_int_to_text ((gint64) index + 1, seq_id);
  else if (self->row_ids != NULL)
    id_text = self->row_ids->pdata[index];

  if (self->rows == NULL && id_text != NULL)
    {
      /* The common case, without moving the row's text: our lhub_id
       * first, then the row's own members: "{" becomes "{"lhub_id": N,"
       * (or "{"lhub_id": N" for an empty row). */
      const IwbRowSpan *span = &g_array_index (self->raw_spans, IwbRowSpan, index);
      const char *row = (const char *) g_bytes_get_data (self->raw_rows, NULL) + span->offset;
      gsize after = 1;

      while (after < span->length && g_ascii_isspace (row[after]))
        after++;
      iwb_string_append (out, "{\"row\": {\"lhub_id\": ");
      iwb_string_append (out, id_text);
      if (!(after < span->length && row[after] == '}'))
        iwb_string_append (out, ", ");
      iwb_string_append_len (out, row + 1, span->length - 1);
      iwb_string_append (out, "}\n");
      return;
    }

  iwb_string_append (out, "{\"row\": ");
  start = out->len;
  if (self->rows != NULL)
    /* NaN as NaN: Python reads it back. No reference taken (the run's
     * thread writes rows that events on other threads borrow). */
    iwb_json_write_object (out, self->rows->pdata[index]);
  else
    {
      const IwbRowSpan *span = &g_array_index (self->raw_spans, IwbRowSpan, index);

      iwb_string_append_len (out, (const char *) g_bytes_get_data (self->raw_rows, NULL) + span->offset,
                             span->length);
    }

  if (id_text != NULL)
    {
      /* Our lhub_id first, then the row's own members: "{" becomes
       * "{"lhub_id": N," (or "{"lhub_id": N" for an empty row). */
      gsize after = start + 1;
      gboolean empty;
      char prefix[64];

      while (after < out->len && g_ascii_isspace (out->str[after]))
        after++;
      empty = after < out->len && out->str[after] == '}';
      g_snprintf (prefix, sizeof prefix, "\"lhub_id\": %s%s", id_text, empty ? "" : ", ");
      g_string_insert (out, start + 1, prefix);
    }
  iwb_string_append (out, "}\n");
}

/* The writer's next chunk of rows (iwb-pipe-source.h): the previous one
 * was written whole. */
static GBytes *
fill_chunk (gpointer user_data)
{
  IwbRun *self = user_data;
  g_autoptr(GString) out = NULL;
  guint first = self->next_row;

  self->counts.rows_in += self->chunk_rows;
  self->chunk_rows = 0;
  if (self->finished || self->next_row >= _iwb_run_n_rows (self))
    return NULL;

  out = g_string_sized_new (WRITE_CHUNK + 4096);
  while (self->next_row < _iwb_run_n_rows (self) && out->len < WRITE_CHUNK)
    append_row_line (self, out, self->next_row++);
  self->chunk_rows = self->next_row - first;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
on_writer_done (gpointer user_data,
                int      errsv)
{
  IwbRun *self = user_data;

  /* EPIPE: the child closed its stdin (or died): the rest of the rows are
   * not needed any more. */
  if (errsv != 0 && !self->finished)
    self->stdin_closed_early = TRUE;
  close_stdin (self);
}

/* About how many bytes the rows take on the child's stdin. */
static gsize
rows_bytes (IwbRun *self)
{
  guint n = _iwb_run_n_rows (self);

  if (self->raw_rows != NULL)
    return g_bytes_get_size (self->raw_rows) + (gsize) n * 32;
  return (gsize) n * 128;
}

void
_iwb_run_prepare_row_ids (IwbRun *self)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 next = 1;

  if (self->raw_spans != NULL)
    {
      /* set_rows_jsonl() parsed the rows at once when some had an id */
      self->sequential_ids = TRUE;
      return;
    }
  if (self->rows == NULL)
    return;

  /* The common case: rows without their own lhub_id get 1, 2, 3, … and
   * an id finds its row by index, without any table. */
  self->sequential_ids = TRUE;
  for (guint i = 0; i < self->rows->len && self->sequential_ids; i++)
    {
      JsonNode *own = json_object_get_member (self->rows->pdata[i], "lhub_id");

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        self->sequential_ids = FALSE;
    }
  if (self->sequential_ids)
    return;

  self->row_ids = g_ptr_array_new_with_free_func (g_free);
  self->id_to_row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      JsonNode *own = json_object_get_member (self->rows->pdata[i], "lhub_id");

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        {
          char *key = iwb_json_to_string (own, FALSE);

          g_hash_table_add (taken, g_strdup (key));
          if (!g_hash_table_contains (self->id_to_row, key))
            g_hash_table_insert (self->id_to_row, key, self->rows->pdata[i]);
          else
            g_free (key);
        }
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      JsonNode *own = json_object_get_member (self->rows->pdata[i], "lhub_id");
      char *key;

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        {
          g_ptr_array_add (self->row_ids, NULL);
          continue;
        }
      do
        key = g_strdup_printf ("%" G_GINT64_FORMAT, next++);
      while (g_hash_table_contains (taken, key) && (g_free (key), TRUE));
      g_hash_table_insert (self->id_to_row, g_strdup (key), self->rows->pdata[i]);
      g_ptr_array_add (self->row_ids, key);
    }
}

void
_iwb_run_write_rows (IwbRun *self)
{
  int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->stdin_stream));

  if (self->operation != IWB_RUN_EXECUTE || _iwb_run_n_rows (self) == 0)
    {
      close_stdin (self);
      return;
    }
  self->writer_source = iwb_pipe_writer_source_new (fd, rows_bytes (self), fill_chunk,
                                                    on_writer_done, self);
  g_source_attach (self->writer_source, g_main_context_get_thread_default ());
}
