/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Input rows from JSON Lines, a JSON array of objects, or CSV (RFC 4180).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include <string.h>

#include "iwb-error.h"
#include "iwb-file.h"
#include "iwb-input-rows.h"
#include "iwb-result-parser.h"
#include "iwb-utf8.h"

gboolean
iwb_input_format_from_string (const char     *str,
                              IwbInputFormat *out)
{
  if (g_strcmp0 (str, "auto") == 0)
    *out = IWB_INPUT_FORMAT_AUTO;
  else if (g_strcmp0 (str, "jsonl") == 0 || g_strcmp0 (str, "ndjson") == 0)
    *out = IWB_INPUT_FORMAT_JSONL;
  else if (g_strcmp0 (str, "json") == 0)
    *out = IWB_INPUT_FORMAT_JSON_ARRAY;
  else if (g_strcmp0 (str, "csv") == 0)
    *out = IWB_INPUT_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

static const char *
skip_bom (const char *data,
          gsize      *len)
{
  if (*len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      *len -= 3;
      return data + 3;
    }
  return data;
}

static IwbInputFormat
sniff (const char *data,
       gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      if (data[i] == '[')
        return IWB_INPUT_FORMAT_JSON_ARRAY;
      if (data[i] == '{')
        return IWB_INPUT_FORMAT_JSONL;
      break;
    }
  return IWB_INPUT_FORMAT_CSV;
}

/* Sets the error for text that g_utf8_validate() refused: says whether it
 * is a NUL byte (valid UTF-8, but a C string ends there) or bytes that are
 * not UTF-8, and where (line counted from @first_line at @text, column in
 * bytes). */
static void
set_encoding_error (GError     **error,
                    const char  *name,
                    guint        first_line,
                    const char  *text,
                    gsize        len)
{
  const char *bad = NULL;
  const char *line_start = text;
  guint line = first_line;

  g_utf8_validate (text, len, &bad);
  if (bad == NULL || bad >= text + len)
    bad = text;
  for (const char *q = text; q < bad; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }
  if (*bad == '\0')
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                 _("%s:%u: a NUL byte at column %u; input rows are text, remove it"),
                 name, line, (guint) (bad - line_start) + 1);
  else
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                 _("%s:%u: byte 0x%02X at column %u is not valid UTF-8; save the file as UTF-8"),
                 name, line, (guint) (guchar) *bad, (guint) (bad - line_start) + 1);
}

/* iwb_json_parse() is several times faster than json-glib 1.6 on rows. */
static JsonNode *
parse_one (const char  *text,
           gsize        len,
           GError     **error)
{
  g_autofree char *message = NULL;
  JsonNode *node = iwb_json_parse (text, len, &message);

  if (node == NULL)
    g_set_error_literal (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT, message);
  return node;
}

static GPtrArray *
parse_jsonl (const char  *data,
             gsize        len,
             const char  *name,
             GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  const char *p = data;
  const char *end = data + len;
  guint lineno = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *le = nl ? nl : end;
      gsize l = le - p;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gboolean blank = TRUE;

      lineno++;
      if (l > 0 && p[l - 1] == '\r')
        l--;
      for (gsize i = 0; i < l; i++)
        if (!g_ascii_isspace (p[i]))
          {
            blank = FALSE;
            break;
          }
      if (!blank)
        {
          if (!iwb_utf8_validate (p, l))
            {
              set_encoding_error (error, name, lineno, p, l);
              return NULL;
            }
          node = parse_one (p, l, &local_error);
          if (node == NULL)
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                           _("%s:%u: not valid JSON (%s); each line must be one JSON object"),
                           name, lineno, local_error ? local_error->message : "empty");
              return NULL;
            }
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                           "%s:%u: a row must be a JSON object ({\"column\": value, …}), not %s",
                           name, lineno, json_node_type_name (node));
              return NULL;
            }
          g_ptr_array_add (rows, json_object_ref (json_node_get_object (node)));
        }
      p = nl ? nl + 1 : end;
    }

  return g_steal_pointer (&rows);
}

static GPtrArray *
parse_json_array (const char  *data,
                  gsize        len,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (!iwb_utf8_validate (data, len))
    {
      set_encoding_error (error, name, 1, data, len);
      return NULL;
    }
  root = parse_one (data, len, &local_error);
  if (root == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                   _("%s: not valid JSON: %s"), name,
                   local_error ? local_error->message : "empty document");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                   _("%s: expected a JSON array of row objects, found %s"),
                   name, json_node_type_name (root));
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (e))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                       _("%s: record %u: a row must be a JSON object, not %s"),
                       name, i + 1, json_node_type_name (e));
          return NULL;
        }
      g_ptr_array_add (rows, json_object_ref (json_node_get_object (e)));
    }
  return g_steal_pointer (&rows);
}

/* Records count from 0 (the header); data rows from 1. */
static const char *
record_name (guint  record,
             char  *buf)
{
  if (record == 0)
    return "header";
  g_snprintf (buf, 32, "row %u", record);
  return buf;
}

/* RFC 4180: fields separated by commas, records by CRLF or LF; a field in
 * double quotes may hold commas, line breaks and "" for a quote. */
static GPtrArray *
parse_csv (const char  *data,
           gsize        len,
           const char  *name,
           GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = data;
  const char *end = data + len;
  guint line = 1;
  guint record_line = 1;
  guint record = 0;
  gboolean field_started = FALSE;
  char rn[32];

  if (!iwb_utf8_validate (data, len))
    {
      set_encoding_error (error, name, 1, data, len);
      return NULL;
    }

  while (TRUE)
    {
      gboolean end_of_record = FALSE;
      gboolean at_eof = p >= end;

      if (!at_eof && *p == '"' && field->len == 0 && !field_started)
        {
          guint quote_line = line;

          p++;
          field_started = TRUE;
          while (TRUE)
            {
              if (p >= end)
                {
                  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                               _("%s:%u: %s: a quoted field is never closed; "
                               "add the closing double quote"),
                               name, quote_line, record_name (record, rn));
                  return NULL;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              if (*p == '\n')
                line++;
              g_string_append_c (field, *p++);
            }
          if (p < end && *p != ',' && *p != '\n' && *p != '\r')
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                           _("%s:%u: %s: unexpected text after a closing quote; "
                           "double the quote (\"\") to put one inside a quoted field"),
                           name, line, record_name (record, rn));
              return NULL;
            }
          continue;
        }

      if (at_eof)
        end_of_record = TRUE;
      else if (*p == ',')
        {
          g_ptr_array_add (fields, g_strndup (field->str, field->len));
          g_string_truncate (field, 0);
          field_started = FALSE;
          p++;
          continue;
        }
      else if (*p == '\r' && p + 1 < end && p[1] == '\n')
        {
          p += 2;
          end_of_record = TRUE;
        }
      else if (*p == '\n' || *p == '\r')
        {
          p++;
          end_of_record = TRUE;
        }
      else
        {
          if (*p == '"')
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                           _("%s:%u: %s: a double quote inside an unquoted field; "
                           "quote the whole field and double the quote (\"\")"),
                           name, line, record_name (record, rn));
              return NULL;
            }
          g_string_append_c (field, *p++);
          field_started = TRUE;
          continue;
        }

      if (end_of_record)
        {
          gboolean empty_line = fields->len == 0 && field->len == 0 && !field_started;

          if (!empty_line)
            {
              g_ptr_array_add (fields, g_strndup (field->str, field->len));
              record++;
              if (header == NULL)
                {
                  header = g_steal_pointer (&fields);
                  fields = g_ptr_array_new_with_free_func (g_free);
                  for (guint i = 0; i < header->len; i++)
                    {
                      if (((char *) header->pdata[i])[0] == '\0')
                        {
                          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                                       _("%s:%u: header column %u has no name; "
                                       "the first line must name every column"),
                                       name, record_line, i + 1);
                          return NULL;
                        }
                      for (guint j = 0; j < i; j++)
                        if (g_str_equal (header->pdata[i], header->pdata[j]))
                          {
                            g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                                         _("%s:%u: column “%s” appears twice in the header; "
                                         "rename one of them"),
                                         name, record_line, (char *) header->pdata[i]);
                            return NULL;
                          }
                    }
                }
              else
                {
                  JsonObject *row;

                  if (fields->len != header->len)
                    {
                      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                                   _("%s:%u: row %u has %u fields but the header has %u; "
                                   "quote fields that contain commas"),
                                   name, record_line, record - 1, fields->len, header->len);
                      return NULL;
                    }
                  row = json_object_new ();
                  for (guint i = 0; i < header->len; i++)
                    json_object_set_string_member (row, header->pdata[i], fields->pdata[i]);
                  g_ptr_array_add (rows, row);
                  g_ptr_array_set_size (fields, 0);
                }
            }
          g_string_truncate (field, 0);
          field_started = FALSE;
          if (at_eof)
            break;
          line++;
          record_line = line;
        }
    }

  if (header == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                   _("%s: the CSV file is empty; its first line must name the columns"), name);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
iwb_input_rows_parse_named (const char     *data,
                            gsize           len,
                            IwbInputFormat  fmt,
                            const char     *source_name,
                            GError        **error)
{
  const char *name = source_name ? source_name : "input";

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (data == NULL)
    data = "";
  data = skip_bom (data, &len);
  if (fmt == IWB_INPUT_FORMAT_AUTO)
    fmt = sniff (data, len);

  switch (fmt)
    {
    case IWB_INPUT_FORMAT_JSONL:
      return parse_jsonl (data, len, name, error);
    case IWB_INPUT_FORMAT_JSON_ARRAY:
      return parse_json_array (data, len, name, error);
    case IWB_INPUT_FORMAT_CSV:
    case IWB_INPUT_FORMAT_AUTO:
    default:
      return parse_csv (data, len, name, error);
    }
}

GPtrArray *
iwb_input_rows_parse (const char     *data,
                      gsize           len,
                      IwbInputFormat  fmt,
                      GError        **error)
{
  return iwb_input_rows_parse_named (data, len, fmt, NULL, error);
}

GPtrArray *
iwb_input_rows_load (GFile          *file,
                     IwbInputFormat  fmt,
                     GError        **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  gsize len = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  base = g_file_get_parse_name (file);
  /* Bounded, and only a regular file: the window calls this on its main
   * thread, where a FIFO would hang it and /dev/zero take all the memory. */
  if (path != NULL)
    contents = iwb_file_read_bounded (path, IWB_INPUT_MAX_BYTES, IWB_FILE_READ_REGULAR_ONLY,
                                      &len, &local_error);
  else if (!g_file_load_contents (file, NULL, &contents, &len, NULL, &local_error))
    g_clear_pointer (&contents, g_free);
  if (contents == NULL)
    {
      g_set_error (error, IWB_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? IWB_ERROR_NOT_FOUND : IWB_ERROR_INVALID_INPUT,
                   _("Cannot read the input rows file %s: %s"), base, local_error->message);
      return NULL;
    }
  if (fmt == IWB_INPUT_FORMAT_AUTO)
    fmt = iwb_input_format_guess (path, contents, len);
  return iwb_input_rows_parse_named (contents, len, fmt, base, error);
}

IwbInputFormat
iwb_input_format_guess (const char *name,
                        const char *data,
                        gsize       len)
{
  const char *d = data ? data : "";
  gsize l = data ? len : 0;

  d = skip_bom (d, &l);
  if (name != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (g_str_has_suffix (lower, ".csv"))
        return IWB_INPUT_FORMAT_CSV;
      if (g_str_has_suffix (lower, ".jsonl") || g_str_has_suffix (lower, ".ndjson"))
        return IWB_INPUT_FORMAT_JSONL;
      if (g_str_has_suffix (lower, ".json"))
        return sniff (d, l) == IWB_INPUT_FORMAT_JSONL ? IWB_INPUT_FORMAT_JSONL
                                                      : IWB_INPUT_FORMAT_JSON_ARRAY;
    }
  return sniff (d, l);
}

GArray *
iwb_input_rows_index_jsonl (const char  *data,
                            gsize        len,
                            const char  *source_name,
                            gboolean    *any_lhub_id,
                            GError     **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (IwbRowSpan));
  const char *name = source_name ? source_name : "input";
  const char *base = data;
  const char *p;
  const char *end;
  guint lineno = 0;
  gboolean lhub = FALSE;

  if (data == NULL)
    data = base = "";
  p = skip_bom (data, &len);
  end = p + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *le = nl ? nl : end;
      gsize l = le - p;
      gboolean blank = TRUE;

      lineno++;
      for (gsize i = 0; i < l; i++)
        if (!g_ascii_isspace (p[i]))
          {
            blank = FALSE;
            break;
          }
      if (!blank)
        {
          g_autofree char *message = NULL;
          gsize start = 0;
          gboolean row_lhub = FALSE;
          IwbRowSpan span;
          gsize trimmed = l;

          if (!iwb_utf8_validate (p, l))
            {
              set_encoding_error (error, name, lineno, p, l);
              return NULL;
            }
          if (!iwb_json_check_object (p, l, &start, &row_lhub, &message))
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                           _("%s:%u: not a JSON object (%s); each line must be one JSON object"),
                           name, lineno, message);
              return NULL;
            }
          while (trimmed > start && g_ascii_isspace (p[trimmed - 1]))
            trimmed--;
          span.offset = (p - base) + start;
          span.length = trimmed - start;
          g_array_append_val (spans, span);
          lhub = lhub || row_lhub;
        }
      p = nl ? nl + 1 : end;
    }

  if (any_lhub_id)
    *any_lhub_id = lhub;
  return g_steal_pointer (&spans);
}

/* ---------------------------------------------------------------------- */
/* Reading, bounded                                                       */

/* Fresh memory is faulted in a page at a time as it is first written, which
 * costs more than the read itself on some machines (half the time of reading
 * 7 MB of rows in a VM); asking the kernel to map it all at once is cheaper.
 * Better still, a buffer of megabytes goes in huge pages where the kernel
 * offers them (transparent huge pages in "madvise" mode, the usual default):
 * in a VM each 4 KiB page costs a fault and a two-level TLB walk, and filling
 * 4.5 MB took 10.6 ms in small pages against 0.5 ms in huge ones. Only hints:
 * an older kernel says EINVAL and the pages come one by one. */
#define HUGE_PAGE ((gsize) 2 * 1024 * 1024)

static void
prefault (char  *buf,
          gsize  len)
{
#if defined(MADV_POPULATE_WRITE)
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  guintptr first = ((guintptr) buf + page - 1) & ~(guintptr) (page - 1);
  guintptr last = ((guintptr) buf + len) & ~(guintptr) (page - 1);

  if (len >= 64 * page && last > first)
    (void) madvise ((void *) first, last - first, MADV_POPULATE_WRITE);
#else
  (void) buf;
  (void) len;
#endif
}

/* @cap bytes (rounded up to whole huge pages when that large), faulted in;
 * freed with g_free() (free()), grown with g_realloc(). */
static char *
big_buffer (gsize *cap)
{
#if defined(MADV_HUGEPAGE)
  if (*cap >= HUGE_PAGE)
    {
      gsize size = (*cap + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
      void *buf = NULL;

      if (posix_memalign (&buf, HUGE_PAGE, size) == 0)
        {
          (void) madvise (buf, size, MADV_HUGEPAGE);
          prefault (buf, size);
          *cap = size;
          return buf;
        }
    }
#endif
  {
    char *buf = g_malloc (*cap);

    prefault (buf, *cap);
    return buf;
  }
}

GBytes *
iwb_input_rows_read (const char  *path,
                     gsize        max_bytes,
                     gsize        max_line,
                     GError     **error)
{
  gboolean is_stdin = g_strcmp0 (path, "-") == 0;
  g_autofree char *name = g_strdup (is_stdin ? "stdin" : path);
  g_autofree char *buf = NULL;
  gsize len = 0, cap = 64 * 1024;
  gsize line_start = 0;
  guint64 line_no = 1;
  struct stat st;
  int fd;

  if (is_stdin)
    {
      fd = STDIN_FILENO;
      if (fcntl (fd, F_GETFD) < 0)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                       _("--input -: stdin is closed, so no rows can be read from it; pipe the "
                         "rows in (… --input - < rows.jsonl) or give a file (--input rows.jsonl)"));
          return NULL;
        }
    }
  else
    {
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("Cannot read the input rows file %s: %s"), name, g_strerror (saved));
          return NULL;
        }
    }

  if (fstat (fd, &st) == 0)
    {
      const char *problem = NULL;

      if (S_ISDIR (st.st_mode))
        problem = _("is a folder; give a .jsonl, .json or .csv file of rows");
      else if (S_ISREG (st.st_mode) && (guint64) st.st_size > max_bytes)
        problem = _("is larger than the limit for input rows; split it into smaller files");
      if (problem != NULL)
        {
          if (!is_stdin)
            close (fd);
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT, "%s (%s): %s", name,
                       is_stdin ? "--input -" : "--input", problem);
          return NULL;
        }
      /* A file's size is known: one buffer, read into directly (+1: the
       * read that sees the end, or a file that grew, has room). */
      if (S_ISREG (st.st_mode))
        cap = MAX (cap, (gsize) st.st_size + 1);
    }
  buf = big_buffer (&cap);

  for (;;)
    {
      ssize_t n;
      const char *p;
      const char *end;

      if (cap - len < 4096)
        {
          /* a pipe, or a file that grew: double, as far as the limit allows */
          cap = MIN (cap * 2, max_bytes + 64 * 1024);
          buf = g_realloc (buf, cap);
        }
      n = read (fd, buf + len, MIN (cap - len, (gsize) G_MAXSSIZE));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          if (!is_stdin)
            close (fd);
          if (saved == EISDIR)
            g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                         _("%s (--input): is a folder; give a .jsonl, .json or .csv file of rows"),
                         name);
          else
            g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                         _("Cannot read the input rows from %s: %s"), name, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (len + (gsize) n > max_bytes)
        {
          if (!is_stdin)
            close (fd);
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                       _("%s: more than %lu MiB of input rows, the limit; "
                         "split the rows into smaller inputs (is it really a rows file?)"),
                       name, (unsigned long) (max_bytes / (1024 * 1024)));
          return NULL;
        }
      /* Lines: a row longer than the limit is a broken input (or a device
       * like /dev/zero that has no lines at all). */
      p = buf + len;
      end = p + n;
      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          gsize upto = (gsize) ((nl ? nl : end) - buf);

          if (upto - line_start > max_line)
            {
              if (!is_stdin)
                close (fd);
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                           /* Translators: the file name, the line number, the limit in MiB. */
                           _("%s:%llu: a line longer than %lu"
                             " MiB; input rows are one JSON object or CSV record per line"),
                           name, (unsigned long long) line_no, (unsigned long) (max_line / (1024 * 1024)));
              return NULL;
            }
          if (nl == NULL)
            break;
          line_start = (gsize) (nl - buf) + 1;
          line_no++;
          p = nl + 1;
        }
      len += (gsize) n;
    }
  if (!is_stdin)
    close (fd);
  return g_bytes_new_take (g_steal_pointer (&buf), len);
}
