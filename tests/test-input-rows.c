/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Input rows from JSON Lines, JSON arrays and CSV, with their edge cases. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "iwb-core.h"

static GPtrArray *
parse (const char     *data,
       IwbInputFormat  fmt,
       GError        **error)
{
  return iwb_input_rows_parse (data, strlen (data), fmt, error);
}

static const char *
str (GPtrArray  *rows,
     guint       i,
     const char *key)
{
  return json_object_get_string_member (rows->pdata[i], key);
}

static void
test_jsonl (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = parse ("{\"a\": 1, \"b\": \"x\"}\r\n\n   \n{\"a\": 2, \"nested\": {\"k\": [1]}}", IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (json_object_get_int_member (rows->pdata[0], "a"), ==, 1);
  g_assert_true (json_object_has_member (rows->pdata[1], "nested"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* a BOM is skipped */
  rows = parse ("\xef\xbb\xbf{\"a\": 1}\n", IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = parse ("{\"a\": 1}\n{\"a\": \n", IWB_INPUT_FORMAT_JSONL, &error);
  g_assert_null (rows);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input:2: not valid JSON"));
  g_clear_error (&error);

  rows = parse ("{\"a\": 1}\n[1, 2]\n", IWB_INPUT_FORMAT_JSONL, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input:2: a row must be a JSON object"));
  g_clear_error (&error);

  rows = iwb_input_rows_parse_named ("{\"a\": \"\xff\"}\n", 12, IWB_INPUT_FORMAT_JSONL, "rows.jsonl", &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "rows.jsonl:1: byte 0xFF at column 8 is not valid UTF-8"));
  g_clear_error (&error);

  rows = parse ("", IWB_INPUT_FORMAT_JSONL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
test_json_array (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = parse ("  [ {\"a\": \"1\"}, {\"a\": \"2\"} ]", IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (str (rows, 1, "a"), ==, "2");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = parse ("[]", IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = parse ("[{\"a\": 1}, 2]", IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input: record 2: a row must be a JSON object"));
  g_clear_error (&error);

  rows = parse ("{\"a\": 1}", IWB_INPUT_FORMAT_JSON_ARRAY, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "expected a JSON array"));
  g_clear_error (&error);

  rows = parse ("[{\"a\": 1},", IWB_INPUT_FORMAT_JSON_ARRAY, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_clear_error (&error);
}

static void
test_csv (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* quoting: commas, doubled quotes, line breaks; values stay strings;
   * CRLF; a missing final newline; an empty field */
  rows = parse ("id,text,n\r\n"
                "1,\"hello, world\",3\r\n"
                "2,\"say \"\"hi\"\"\",\r\n"
                "3,\"two\nlines\",007", IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (str (rows, 0, "text"), ==, "hello, world");
  g_assert_cmpstr (str (rows, 0, "n"), ==, "3");
  g_assert_cmpstr (str (rows, 1, "text"), ==, "say \"hi\"");
  g_assert_cmpstr (str (rows, 1, "n"), ==, "");
  g_assert_cmpstr (str (rows, 2, "text"), ==, "two\nlines");
  g_assert_cmpstr (str (rows, 2, "n"), ==, "007");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* header only, trailing blank lines, unicode, BOM */
  rows = parse ("\xef\xbb\xbf" "name,city\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = parse ("name,city\nJosé,Zürich\n\n\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (str (rows, 0, "city"), ==, "Zürich");
  g_assert_true (json_object_has_member (rows->pdata[0], "name"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* errors name the line and record */
  rows = parse ("a,b\n1,2\n3\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "input:3: row 2 has 1 fields but the header has 2; "
                                       "quote fields that contain commas");
  g_clear_error (&error);

  rows = parse ("a,b\n1,\"open\n2,3\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input:2: row 1: a quoted field is never closed"));
  g_clear_error (&error);

  rows = parse ("a,b\n1,\"x\"y\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input:2: row 1: unexpected text after a closing quote"));
  g_clear_error (&error);

  rows = parse ("a,b\n1,x\"y\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  rows = parse ("a,,c\n1,2,3\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "header column 2 has no name"));
  g_clear_error (&error);

  rows = parse ("a,a\n1,2\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "appears twice"));
  g_clear_error (&error);

  rows = parse ("", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* line numbers count quoted line breaks */
  rows = parse ("a,b\n\"x\ny\",1\n2\n", IWB_INPUT_FORMAT_CSV, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input:4: row 2 has 1 fields"));
  g_clear_error (&error);
}

static void
test_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-rows-XXXXXX", &error);
  g_autofree char *csv = g_build_filename (dir, "rows.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "rows.json", NULL);
  g_autofree char *jsonl_named_json = g_build_filename (dir, "lines.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr(GFile) f1 = g_file_new_for_path (csv);
  g_autoptr(GFile) f2 = g_file_new_for_path (json);
  g_autoptr(GFile) f3 = g_file_new_for_path (jsonl_named_json);
  g_autoptr(GFile) f4 = g_file_new_for_path (missing);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  /* a CSV whose first cell starts with '{' is still CSV by its extension */
  g_assert_true (g_file_set_contents (csv, "{weird},b\n1,2\n", -1, NULL));
  g_assert_true (g_file_set_contents (json, "[{\"a\": 1}]", -1, NULL));
  g_assert_true (g_file_set_contents (jsonl_named_json, "{\"a\": 1}\n{\"a\": 2}\n", -1, NULL));

  rows = iwb_input_rows_load (f1, IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str (rows, 0, "{weird}"), ==, "1");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = iwb_input_rows_load (f2, IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = iwb_input_rows_load (f3, IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = iwb_input_rows_load (f4, IWB_INPUT_FORMAT_AUTO, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.csv"));
  g_clear_error (&error);

  g_unlink (csv);
  g_unlink (json);
  g_unlink (jsonl_named_json);
  g_rmdir (dir);
}

static void
test_format_names (void)
{
  IwbInputFormat f;

  g_assert_true (iwb_input_format_from_string ("csv", &f) && f == IWB_INPUT_FORMAT_CSV);
  g_assert_true (iwb_input_format_from_string ("jsonl", &f) && f == IWB_INPUT_FORMAT_JSONL);
  g_assert_true (iwb_input_format_from_string ("json", &f) && f == IWB_INPUT_FORMAT_JSON_ARRAY);
  g_assert_true (iwb_input_format_from_string ("auto", &f) && f == IWB_INPUT_FORMAT_AUTO);
  g_assert_false (iwb_input_format_from_string ("xml", &f));
}


static void
test_index_jsonl (void)
{
  const char *data = "\xef\xbb\xbf  {\"a\": 1}  \r\n\n{\"b\": {\"lhub_id\": 3}}\n{}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;
  gboolean lhub = TRUE;
  const IwbRowSpan *s;

  spans = iwb_input_rows_index_jsonl (data, strlen (data), "rows.jsonl", &lhub, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, 3);
  /* a nested lhub_id is not the row's own */
  g_assert_false (lhub);
  s = &g_array_index (spans, IwbRowSpan, 0);
  g_assert_cmpint (strncmp (data + s->offset, "{\"a\": 1}", s->length), ==, 0);
  g_assert_cmpuint (s->length, ==, 8);
  s = &g_array_index (spans, IwbRowSpan, 2);
  g_assert_cmpuint (s->length, ==, 2);
  g_clear_pointer (&spans, g_array_unref);

  data = "{\"lhub_id\": \"x\", \"a\": 1}\n";
  spans = iwb_input_rows_index_jsonl (data, strlen (data), NULL, &lhub, &error);
  g_assert_no_error (error);
  g_assert_true (lhub);
  g_clear_pointer (&spans, g_array_unref);

  spans = iwb_input_rows_index_jsonl ("{\"a\": 1}\n[1]\n", 13, "rows.jsonl", &lhub, &error);
  g_assert_null (spans);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "rows.jsonl:2: not a JSON object (at byte 0: a row must be a JSON object)"));
  g_clear_error (&error);

  spans = iwb_input_rows_index_jsonl ("{\"a\": 1}\n\n{\"a\": 1} x\n", 21, NULL, NULL, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "input:3: not a JSON object"));
  g_assert_nonnull (strstr (error->message, "unexpected text after the JSON object"));
  g_clear_error (&error);

  spans = iwb_input_rows_index_jsonl ("{\"a\": \"\xff\"}\n", 12, NULL, NULL, &error);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  /* the same verdicts as the full parser on tricky rows */
  {
    static const char * const rows[] = {
      "{\"s\": \"a \\\"quoted\\\" \\u00e9 value\", \"n\": -1.5e3, \"l\": [true, false, null, {}], \"o\": {}}",
      "{\"bad\": tru}", "{\"bad\": \"\\q\"}", "{\"bad\": 01}", "{\"bad\": [1,]}", "{\"x\": NaN}",
      "{\"esc\\u0061ped\": 1}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        g_autoptr(JsonNode) full = iwb_json_parse (rows[i], strlen (rows[i]), NULL);
        gboolean ok = iwb_json_check_object (rows[i], strlen (rows[i]), NULL, NULL, NULL);

        g_test_message ("%s", rows[i]);
        g_assert_cmpint (ok, ==, full != NULL);
      }
  }
}

/* iwb_input_rows_read() gives back exactly the bytes of a file (read into one
 * buffer of its size) and of a pipe (a buffer that grows), and keeps its
 * limits on both: total size and line length, with the line's number. */
typedef struct
{
  int    fd;
  GBytes *data;
} PipeFeed;

static gpointer
feed_pipe (gpointer data)
{
  PipeFeed *feed = data;
  gsize len;
  const char *p = g_bytes_get_data (feed->data, &len);

  while (len > 0)
    {
      ssize_t n = write (feed->fd, p, MIN (len, 7000)); /* odd pieces, as a producer writes */

      if (n <= 0)
        break;
      p += n;
      len -= (gsize) n;
    }
  close (feed->fd);
  return NULL;
}

static GBytes *
read_through_pipe (GBytes  *data,
                   gsize    max_bytes,
                   gsize    max_line,
                   GError **error)
{
  int fds[2];
  int saved_stdin = dup (STDIN_FILENO);
  PipeFeed feed;
  GThread *thread;
  GBytes *got;

  g_assert_no_errno (pipe (fds));
  feed.fd = fds[1];
  feed.data = data;
  thread = g_thread_new ("feed", feed_pipe, &feed);
  g_assert_no_errno (dup2 (fds[0], STDIN_FILENO));
  close (fds[0]);
  got = iwb_input_rows_read ("-", max_bytes, max_line, error);
  /* a reader that stopped early: the writer sees EPIPE or finishes into the void */
  g_assert_no_errno (dup2 (saved_stdin, STDIN_FILENO));
  close (saved_stdin);
  g_thread_join (thread);
  return got;
}

static void
test_read_bounded (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("iwb-test-read-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "rows.jsonl", NULL);
  g_autoptr(GBytes) want = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "{\"value\": \"row number %u\", \"n\": \"%u\"}\n", i, i);
  want = g_bytes_new (text->str, text->len);
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));

  /* a file: every byte, nothing more */
  got = iwb_input_rows_read (path, 64 * 1024 * 1024, 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, want));
  g_clear_pointer (&got, g_bytes_unref);

  /* a pipe, many times its first buffer */
  signal (SIGPIPE, SIG_IGN);
  got = read_through_pipe (want, 64 * 1024 * 1024, 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, want));
  g_clear_pointer (&got, g_bytes_unref);

  /* the size limit, from a file and from a pipe */
  got = iwb_input_rows_read (path, text->len - 1, 1024 * 1024, &error);
  g_assert_null (got);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  got = read_through_pipe (want, 100 * 1000, 1024 * 1024, &error);
  g_assert_null (got);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "stdin: more than"));
  g_clear_error (&error);

  /* a long line, found across reads: its number is right */
  {
    g_autoptr(GString) lines = g_string_new ("{\"a\": 1}\n{\"b\": 2}\n");
    g_autoptr(GBytes) long_lines = NULL;

    g_string_append_c (lines, '"');
    for (guint i = 0; i < 200 * 1000; i++)
      g_string_append_c (lines, 'x');
    g_string_append (lines, "\"\n");
    long_lines = g_bytes_new (lines->str, lines->len);
    g_assert_true (g_file_set_contents (path, lines->str, (gssize) lines->len, NULL));
    got = iwb_input_rows_read (path, 64 * 1024 * 1024, 100 * 1000, &error);
    g_assert_null (got);
    g_assert_nonnull (strstr (error->message, "rows.jsonl:3: a line longer than"));
    g_clear_error (&error);
    got = read_through_pipe (long_lines, 64 * 1024 * 1024, 100 * 1000, &error);
    g_assert_null (got);
    g_assert_nonnull (strstr (error->message, "stdin:3: a line longer than"));
    g_clear_error (&error);
  }

  /* an empty file is no rows, not an error */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  got = iwb_input_rows_read (path, 1024, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (got), ==, 0);
  g_clear_pointer (&got, g_bytes_unref);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_format_guess (void)
{
  g_assert_cmpint (iwb_input_format_guess ("a.CSV", "{", 1), ==, IWB_INPUT_FORMAT_CSV);
  g_assert_cmpint (iwb_input_format_guess ("a.ndjson", "[", 1), ==, IWB_INPUT_FORMAT_JSONL);
  g_assert_cmpint (iwb_input_format_guess ("a.json", " [", 2), ==, IWB_INPUT_FORMAT_JSON_ARRAY);
  g_assert_cmpint (iwb_input_format_guess ("a.json", "{}\n{}", 5), ==, IWB_INPUT_FORMAT_JSONL);
  g_assert_cmpint (iwb_input_format_guess (NULL, "\xef\xbb\xbf{", 4), ==, IWB_INPUT_FORMAT_JSONL);
  g_assert_cmpint (iwb_input_format_guess (NULL, "a,b", 3), ==, IWB_INPUT_FORMAT_CSV);
  g_assert_cmpint (iwb_input_format_guess ("rows.txt", "[{}]", 4), ==, IWB_INPUT_FORMAT_JSON_ARRAY);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/input-rows/jsonl", test_jsonl);
  g_test_add_func ("/input-rows/json-array", test_json_array);
  g_test_add_func ("/input-rows/csv", test_csv);
  g_test_add_func ("/input-rows/load", test_load);
  g_test_add_func ("/input-rows/format-names", test_format_names);
  g_test_add_func ("/input-rows/index-jsonl", test_index_jsonl);
  g_test_add_func ("/input-rows/format-guess", test_format_guess);
  g_test_add_func ("/input-rows/read-bounded", test_read_bounded);
  return g_test_run ();
}
