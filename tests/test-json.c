/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-json: the one depth rule in every reader, iterative walkers, the
 * writer (json-glib's layout, Python's NaN / Infinity, read back by python3),
 * lone surrogates, and type-checked reads of overrides.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include <glib/gstdio.h>

#include "iwb-utf8.h"
#include "iwb-core.h"
#include "iwb-coerce.h"
#include "iwb-input-rows.h"
#include "iwb-json-tree.h"
#include "iwb-metadata.h"
#include "iwb-result-parser.h"
#include "test-iwb-util.h"

/* "[[[…" or "{"a":{"a":…" @depth levels deep, closed when @close. */
static char *
nested (const char *open,
        const char *close,
        guint       depth,
        gboolean    closed)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, "1");
  for (guint i = 0; closed && i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_depth_rule (void)
{
  g_autofree char *ok = nested ("[", "]", IWB_JSON_MAX_DEPTH, TRUE);
  g_autofree char *over = nested ("[", "]", IWB_JSON_MAX_DEPTH + 1, TRUE);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gsize offset = 0;

  node = iwb_json_parse_full (ok, -1, IWB_JSON_PARSE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  g_assert_null (iwb_json_parse_full (over, -1, IWB_JSON_PARSE_DEFAULT, &offset, &error));
  g_assert_error (error, IWB_JSON_ERROR, IWB_JSON_ERROR_TOO_DEEP);
  g_assert_cmpuint (offset, ==, IWB_JSON_MAX_DEPTH);
  g_assert_nonnull (strstr (error->message, "nested too deeply (deeper than 512 levels) at line 1 column 513"));
  g_clear_error (&error);

  /* 100,000 levels of every kind, closed or not, on several lines: an
   * error that says where, never a stack overflow */
  {
    const char *opens[] = { "[", "{\"a\":", "[\n", "[{\"k\": [" };
    const char *closes[] = { "]", "}", "]", "]}]" };

    for (guint k = 0; k < G_N_ELEMENTS (opens); k++)
      for (int closed = 0; closed < 2; closed++)
        {
          g_autofree char *deep = nested (opens[k], closes[k], 100000, closed);
          g_autofree char *legacy = NULL;
          g_autofree char *check = NULL;

          g_assert_null (iwb_json_parse_full (deep, -1, IWB_JSON_PARSE_WTF8, NULL, &error));
          g_assert_error (error, IWB_JSON_ERROR, IWB_JSON_ERROR_TOO_DEEP);
          g_assert_nonnull (strstr (error->message, k == 2 ? "at line 513 column 1"
                                                           : "at line 1 column"));
          g_clear_error (&error);
          g_assert_false (iwb_json_check (deep, strlen (deep), &error));
          g_assert_error (error, IWB_JSON_ERROR, IWB_JSON_ERROR_TOO_DEEP);
          g_clear_error (&error);
          g_assert_null (iwb_json_parse (deep, strlen (deep), &legacy));
          g_assert_nonnull (strstr (legacy, "nested too deeply"));
          if (deep[0] == '{')
            {
              g_assert_false (iwb_json_check_object (deep, strlen (deep), NULL, NULL, &check));
              g_assert_nonnull (strstr (check, "nested too deeply"));
            }
        }
  }
}

static void
test_python_compatible (void)
{
  const struct { const char *text; IwbJsonErrorCode code; const char *message; } bad[] = {
    { "", IWB_JSON_ERROR_EMPTY, "expected a value at line 1 column 1 (char 0)" },
    { "  \n ", IWB_JSON_ERROR_EMPTY, "at line 2 column 2 (char 4)" },
    { "1,2,3", IWB_JSON_ERROR_EXTRA_DATA, "at line 1 column 2 (char 1)" },
    { "{\"é\": 1} x", IWB_JSON_ERROR_EXTRA_DATA, "at line 1 column 10 (char 9)" },
    { "[1,]", IWB_JSON_ERROR_SYNTAX, "expected a value at line 1 column 4" },
    { "\"a\\x\"", IWB_JSON_ERROR_SYNTAX, "unknown escape" },
    { "\"a\xff\"", IWB_JSON_ERROR_ENCODING, "not valid UTF-8 text (save the file as UTF-8) at line 1 column 3" },
    { "[1, \xe9]", IWB_JSON_ERROR_ENCODING, "UTF-8) at line 1 column 5" },
    { "nul", IWB_JSON_ERROR_SYNTAX, "expected a value" },
    { "-", IWB_JSON_ERROR_SYNTAX, "expected a value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (iwb_json_parse_full (bad[i].text, -1, IWB_JSON_PARSE_DEFAULT, NULL, &error));
      g_assert_error (error, IWB_JSON_ERROR, (int) bad[i].code);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("%s: “%s” lacks “%s”", bad[i].text, error->message, bad[i].message);
    }

  {
    g_autoptr(JsonNode) n = iwb_json_parse_full ("[NaN, Infinity, -Infinity, 12345678901234567890, 1.0, 2]",
                                                 -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
    JsonArray *a = json_node_get_array (n);

    g_assert_true (isnan (json_array_get_double_element (a, 0)));
    g_assert_true (isinf (json_array_get_double_element (a, 1)));
    g_assert_cmpfloat (json_array_get_double_element (a, 2), <, 0);
    g_assert_cmpfloat (json_array_get_double_element (a, 3), >, 1e19);
    g_assert_true (json_node_get_value_type (json_array_get_element (a, 4)) == G_TYPE_DOUBLE);
    g_assert_true (json_node_get_value_type (json_array_get_element (a, 5)) == G_TYPE_INT64);
  }
  {
    /* duplicate members: the last value wins, as in Python */
    g_autoptr(JsonNode) n = iwb_json_parse_full ("{\"a\": 1, \"a\": 2}", -1, 0, NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (n), "a"), ==, 2);
  }
}

/* Every reader of the program applies the rule and says so. */
static void
test_depth_every_reader (void)
{
  g_autofree char *deep = nested ("[", "]", 100000, TRUE);
  g_autofree char *deep_obj = nested ("{\"a\":", "}", 100000, TRUE);
  g_autoptr(GError) error = NULL;

  /* [result] lines (and so overrides) */
  {
    g_autofree char *line = g_strconcat ("[result] ", deep, NULL);
    g_autoptr(JsonNode) value = NULL;
    g_autofree char *message = NULL;

    g_assert_cmpint (iwb_result_parse_line (line, strlen (line), &value, NULL, &message), ==,
                     IWB_RESULT_LINE_INVALID);
    g_assert_nonnull (strstr (message, "nested too deeply"));
  }
  {
    g_autofree char *line = g_strconcat ("[result] {\"actionOverrides\": ", deep, "}", NULL);
    const char *lines[] = { line, NULL };
    g_autoptr(JsonNode) overrides = NULL;

    g_assert_false (iwb_overrides_find_in_lines (lines, &overrides, &error));
    g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE);
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
    g_clear_error (&error);
  }
  /* metadata */
  {
    g_autoptr(GFile) folder = g_file_new_for_path ("/tmp");
    g_autoptr(IwbIntegration) integration = iwb_metadata_parse (deep_obj, folder, &error);

    g_assert_null (integration);
    g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
    g_clear_error (&error);
  }
  /* input rows: JSON Lines and a JSON array */
  {
    g_autofree char *jsonl = g_strconcat ("{\"a\": 1}\n{\"b\": ", deep, "}\n", NULL);
    g_autofree char *array = g_strconcat ("[{\"a\": 1}, {\"b\": ", deep, "}]", NULL);
    g_autoptr(GPtrArray) rows = NULL;

    rows = iwb_input_rows_parse_named (jsonl, strlen (jsonl), IWB_INPUT_FORMAT_JSONL, "rows.jsonl",
                                       &error);
    g_assert_null (rows);
    g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "rows.jsonl:2"));
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
    g_clear_error (&error);
    rows = iwb_input_rows_parse_named (array, strlen (array), IWB_INPUT_FORMAT_JSON_ARRAY,
                                       "rows.json", &error);
    g_assert_null (rows);
    g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
    g_clear_error (&error);
  }
  /* a "json" parameter */
  {
    g_autoptr(JsonNode) value = NULL;
    g_autofree char *message = NULL;

    g_assert_false (iwb_coerce ("json", deep, &value, &message));
    g_assert_nonnull (strstr (message, "nested too deeply"));
  }
}

/* The metadata an integration's child prints (here: a deep [result] line
 * printed at exit, after the SDK's own) and `iwb diff` files: errors, not
 * crashes. */
static void
test_depth_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-json-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (dir, "deep-metadata", NULL);
  g_autofree char *main_py = g_build_filename (folder, "main.py", NULL);
  g_autofree char *deep_path = g_build_filename (dir, "deep.json", NULL);
  g_autofree char *small_path = g_build_filename (dir, "small.json", NULL);
  g_autofree char *deep = nested ("{\"a\":\n", "}", 100000, TRUE);
  g_auto(IwbCliResult) inspect = { 0 };
  g_auto(IwbCliResult) diff = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (main_py,
    "\"\"\"Deep metadata\"\"\"\n"
    "import atexit\n"
    "from lhub_integ import action\n"
    "atexit.register(lambda: print('[result] ' + '[' * 100000 + ']' * 100000, flush=True))\n"
    "@action\n"
    "def echo(text):\n"
    "    return {'text': text}\n", -1, &error));
  g_assert_true (g_file_set_contents (deep_path, deep, -1, &error));
  g_assert_true (g_file_set_contents (small_path, "{\"a\": 1}", -1, &error));

  iwb_cli_run (&inspect, NULL, NULL, "inspect", folder, NULL);
  g_assert_cmpint (inspect.status, !=, 0);
  g_assert_cmpint (inspect.status, <, 128); /* not killed by a signal */
  g_assert_nonnull (strstr (inspect.err, "nested too deeply"));

  iwb_cli_run (&diff, NULL, NULL, "diff", small_path, deep_path, NULL);
  g_assert_cmpint (diff.status, ==, 2);
  g_assert_nonnull (strstr (diff.err, "deep.json:513:1: nested too deeply"));

  g_assert_cmpint (g_remove (main_py), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
  g_assert_cmpint (g_remove (deep_path), ==, 0);
  g_assert_cmpint (g_remove (small_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A tree deeper than the rule, built by code (json-glib frees it
 * recursively, so it stays at a depth json-glib survives). */
static JsonNode *
deep_tree (guint depth,
           int   leaf)
{
  JsonNode *node = json_node_init_int (json_node_alloc (), leaf);

  for (guint i = 0; i < depth; i++)
    {
      JsonArray *arr = json_array_new ();
      JsonNode *parent = json_node_init_array (json_node_alloc (), arr);

      json_array_add_element (arr, node);
      json_array_unref (arr);
      node = parent;
    }
  return node;
}

typedef struct
{
  JsonNode *a;
  JsonNode *b;
  gboolean  equal_aa;
  gboolean  equal_ab;
  JsonNode *copy;
  char     *text;
  GPtrArray *changes;
} WalkData;

static gpointer
walk_thread (gpointer user_data)
{
  WalkData *w = user_data;

  w->copy = iwb_json_deep_copy (w->a);
  w->equal_aa = iwb_json_equal (w->a, w->copy);
  w->equal_ab = iwb_json_equal (w->a, w->b);
  w->text = iwb_json_to_string (w->a, FALSE);
  /* (its values are copies: json-glib frees them recursively, so in the
   * main thread) */
  w->changes = iwb_json_diff (w->a, w->b);
  return NULL;
}

/* The walkers run on a 512 KiB stack: a walker that recursed once per level
 * would need several MiB for 20,000 levels. AddressSanitizer puts redzones
 * around every frame's locals (the diff's bounded recursion, down to the
 * 512-level rule, then needs about 3x the stack): 2 MiB there, still ten
 * times too little for 20,000 recursive levels. */
#if defined(__SANITIZE_ADDRESS__)
#define WALK_STACK_SIZE (2 * 1024 * 1024)
#else
#define WALK_STACK_SIZE (512 * 1024)
#endif
static void
test_walkers_iterative (void)
{
  WalkData w = { deep_tree (20000, 1), deep_tree (20000, 2) };
  pthread_attr_t attr;
  pthread_t thread;

  g_assert_cmpint (pthread_attr_init (&attr), ==, 0);
  g_assert_cmpint (pthread_attr_setstacksize (&attr, WALK_STACK_SIZE), ==, 0);
  g_assert_cmpint (pthread_create (&thread, &attr, (void *(*) (void *)) walk_thread, &w), ==, 0);
  g_assert_cmpint (pthread_join (thread, NULL), ==, 0);
  pthread_attr_destroy (&attr);

  g_assert_true (w.equal_aa);
  g_assert_false (w.equal_ab);
  g_assert_true (g_str_has_prefix (w.text, "[[[[1]]]]") == FALSE);
  g_assert_true (g_str_has_prefix (w.text, "[[[["));
  g_assert_cmpuint (strlen (w.text), ==, 2 * 20000 + 1);
  g_assert_cmpint (w.text[20000], ==, '1');
  g_assert_cmpuint (w.changes->len, ==, 1); /* compared as a whole below the rule */
  g_ptr_array_unref (w.changes);

  json_node_unref (w.a);
  json_node_unref (w.b);
  json_node_unref (w.copy);
  g_free (w.text);
}

/* python3 -c "print(json.dumps(json.loads(stdin)))", with ensure_ascii
 * when @ascii (lone surrogates cannot be printed as UTF-8) */
static char *
python_round_trip_full (const char *json,
                        gboolean    ascii)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *python = g_getenv ("IWB_PYTHON");

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           python != NULL ? python : "python3", "-c",
                           "import json, sys\n"
                           "v = json.loads(sys.stdin.read())\n"
                           "sys.stdout.write(json.dumps(v, ensure_ascii=sys.argv[1] == '1', "
                           "separators=(',', ':')))\n",
                           ascii ? "1" : "0", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, json, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return out;
}

static char *
python_round_trip (const char *json)
{
  return python_round_trip_full (json, FALSE);
}

static void
test_writer_python (void)
{
  const char *text = "[NaN,Infinity,-Infinity,0.1,1e+20,-0.0,1.5,3,1e-05,123456789.0,"
                     "1.2345678901234567e+19,\"\\u0001\\u007f é\\\"\\\\\"]";
  g_autoptr(JsonNode) node = iwb_json_parse_full (text, -1, 0, NULL, NULL);
  g_autofree char *out = iwb_json_to_string (node, FALSE);
  g_autofree char *python = NULL;

  g_assert_cmpstr (out, ==, text);
  python = python_round_trip (out);
  /* doubles of every magnitude print exactly as Python's repr() */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (4);
    g_autoptr(GString) many = g_string_new ("[");
    g_autofree char *back = NULL;

    for (guint i = 0; i < 3000; i++)
      {
        double d = g_rand_double_range (rand, -1, 1) * pow (10, g_rand_int_range (rand, -30, 30));

        if (i % 3 == 0)
          d = round (d * 1000) / 1000;
        if (i > 0)
          g_string_append_c (many, ',');
        iwb_json_write_double (many, d);
      }
    g_string_append_c (many, ']');
    back = python_round_trip (many->str);
    g_assert_cmpstr (back, ==, many->str);
  }
  g_assert_cmpstr (python, ==, "[NaN,Infinity,-Infinity,0.1,1e+20,-0.0,1.5,3,1e-05,123456789.0,"
                               "1.2345678901234567e+19,\"\\u0001\x7f é\\\"\\\\\"]");
}

static JsonNode *
random_value (GRand *rand,
              int    depth)
{
  static const char *strings[] = { "", "a", "é ü", "tab\there", "q\"uote\\", "\x01\x02\x7f",
                                   "line\nbreak", "/slash", "日本", "\xf0\x9f\x98\x80" };
  int kind = depth >= 4 ? g_rand_int_range (rand, 0, 5) : g_rand_int_range (rand, 0, 7);

  switch (kind)
    {
    case 0:
      return json_node_init_null (json_node_alloc ());
    case 1:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 2:
      return json_node_init_int (json_node_alloc (), g_rand_int_range (rand, -100000, 100000));
    case 3:
      /* doubles json-glib prints in their shortest form */
      return json_node_init_double (json_node_alloc (), g_rand_int_range (rand, -1000, 1000) / 8.0);
    case 4:
      return json_node_init_string (json_node_alloc (),
                                    strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))]);
    case 5:
      {
        JsonArray *arr = json_array_new ();
        JsonNode *node;

        for (int i = g_rand_int_range (rand, 0, 4); i > 0; i--)
          json_array_add_element (arr, random_value (rand, depth + 1));
        node = json_node_init_array (json_node_alloc (), arr);
        json_array_unref (arr);
        return node;
      }
    default:
      {
        JsonObject *obj = json_object_new ();
        JsonNode *node;

        for (int i = g_rand_int_range (rand, 0, 4); i > 0; i--)
          json_object_set_member (obj, strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))],
                                  random_value (rand, depth + 1));
        node = json_node_init_object (json_node_alloc (), obj);
        json_object_unref (obj);
        return node;
      }
    }
}

/* Same bytes as json-glib's generator wherever json-glib prints JSON (it
 * prints U+001F raw, which is not JSON: ours escapes it, checked below). */
static void
test_writer_json_glib (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261204);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(JsonNode) node = random_value (rand, 0);

      for (int pretty = 0; pretty < 2; pretty++)
        {
          g_autofree char *ours = iwb_json_to_string (node, pretty);
          g_autofree char *theirs = json_to_string (node, pretty);
          g_autoptr(JsonNode) back = NULL;

          g_assert_cmpstr (ours, ==, theirs);
          back = iwb_json_parse_full (ours, -1, IWB_JSON_PARSE_WTF8, NULL, NULL);
          g_assert_true (iwb_json_equal (back, node));
        }
    }
  {
    g_autoptr(JsonNode) us = json_node_init_string (json_node_alloc (), "\x1f");
    g_autofree char *text = iwb_json_to_string (us, FALSE);

    g_assert_cmpstr (text, ==, "\"\\u001f\"");
  }
}

static void
test_surrogates (void)
{
  const char *a = "[\"x\\ud800y\", \"\\udfff\", \"a\\u0000b\", \"\\ud83d\\ude00\", \"\\ud83d\\ud83d\"]";
  const char *b = "[\"x\\ud801y\", \"\\udffe\", \"a\\ufffdb\", \"\\ud83d\\ude00\", \"\\ud83d\\ud83e\"]";
  g_autoptr(JsonNode) na = iwb_json_parse_full (a, -1, IWB_JSON_PARSE_WTF8, NULL, NULL);
  g_autoptr(JsonNode) nb = iwb_json_parse_full (b, -1, IWB_JSON_PARSE_WTF8, NULL, NULL);
  g_autoptr(JsonNode) plain = iwb_json_parse_full (a, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain_text = NULL;

  g_assert_nonnull (na);
  g_assert_nonnull (nb);
  for (guint i = 0; i < 5; i++)
    if (i != 3)
      g_assert_false (iwb_json_equal (json_array_get_element (json_node_get_array (na), i),
                                      json_array_get_element (json_node_get_array (nb), i)));
  changes = iwb_json_diff (na, nb);
  g_assert_cmpuint (changes->len, ==, 4);

  text = iwb_json_to_string (na, FALSE);
  g_assert_cmpstr (text, ==, "[\"x\\ud800y\",\"\\udfff\",\"a\\u0000b\",\"\xf0\x9f\x98\x80\","
                             "\"\\ud83d\\ud83d\"]");
  /* Python reads them back as the same code points */
  {
    g_autofree char *python = python_round_trip_full (text, TRUE);
    g_autoptr(JsonNode) back = iwb_json_parse_full (python, -1, IWB_JSON_PARSE_WTF8, NULL, NULL);

    g_assert_true (iwb_json_equal (back, na));
  }
  /* without the flag: U+FFFD, valid UTF-8 for the rest of the program */
  plain_text = iwb_json_to_string (plain, FALSE);
  g_assert_true (g_utf8_validate (plain_text, -1, NULL));
  g_assert_nonnull (strstr (plain_text, "x\xef\xbf\xbdy"));
}

/* NaN and Infinity as Python prints them, and lone surrogates kept, in what
 * users run: `iwb run --format jsonl` (rows in and results out) and
 * `iwb diff` in its three formats. */
static void
test_cli_output (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-json-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (dir, "nan", NULL);
  g_autofree char *main_py = g_build_filename (folder, "main.py", NULL);
  g_autofree char *rows = g_build_filename (dir, "rows.jsonl", NULL);
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.json", NULL);
  g_auto(IwbCliResult) run = { 0 };
  const char *formats[] = { "text", "json", "patch" };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (main_py,
    "\"\"\"NaN\"\"\"\n"
    "import math\n"
    "from lhub_integ import action\n"
    "@action\n"
    "def echo(x):\n"
    "    return {'x': x, 'nan': float('nan'), 'inf': -math.inf, 'float': 1e20}\n", -1, &error));
  g_assert_true (g_file_set_contents (rows, "{\"x\": NaN}\n{\"x\": Infinity}\n", -1, &error));
  iwb_cli_run (&run, NULL, NULL, "run", folder, "echo", "--input", rows, "--format", "jsonl", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "nan.0"));
  g_assert_null (strstr (run.out, "inf.0"));
  g_assert_nonnull (strstr (run.out, "\"nan\":NaN"));
  g_assert_nonnull (strstr (run.out, "\"inf\":-Infinity"));
  g_assert_nonnull (strstr (run.out, "\"x\":Infinity"));
  g_assert_nonnull (strstr (run.out, "\"float\":1e+20"));
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (run.out), "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_free (python_round_trip (lines[i]));
  }

  g_assert_true (g_file_set_contents (a, "{\"s\": \"x\\ud800\", \"n\": NaN, \"t\": \"a\\u0000\"}", -1, &error));
  g_assert_true (g_file_set_contents (b, "{\"s\": \"x\\udbff\", \"n\": Infinity, \"t\": \"a\\ufffd\"}", -1, &error));
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_auto(IwbCliResult) diff = { 0 };

      iwb_cli_run (&diff, NULL, NULL, "diff", "--format", formats[f], a, b, NULL);
      g_assert_cmpint (diff.status, ==, 1);
      g_assert_cmpstr (diff.err, ==, "");
      g_assert_nonnull (strstr (diff.out, "\"x\\udbff\""));
      g_assert_nonnull (strstr (diff.out, "Infinity"));
      if (f < 2) /* a patch holds the new values only */
        {
          g_assert_nonnull (strstr (diff.out, "\"x\\ud800\""));
          g_assert_nonnull (strstr (diff.out, "\"a\\u0000\""));
          g_assert_nonnull (strstr (diff.out, "NaN"));
        }
      if (f == 0)
        g_assert_nonnull (strstr (diff.out, "3 changes"));
      else
        g_free (python_round_trip_full (diff.out, TRUE));
    }

  g_assert_cmpint (g_remove (main_py), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
  g_assert_cmpint (g_remove (rows), ==, 0);
  g_assert_cmpint (g_remove (a), ==, 0);
  g_assert_cmpint (g_remove (b), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The diff's compact tree reads what iwb_json_parse_full() reads (escapes,
 * repeated member names: the last value at the first one's place, numbers),
 * and the diff of two trees is the diff of the two JsonNode documents. */
static void
test_tree (void)
{
  const char *texts[] = {
    "{\"a\": 1, \"b\": [true, null, 1.5, -0.0, \"x\\ny\"], \"a\": {\"c\\u00e9\": \"\\ud800\"}}",
    "[1, 2.0, 12345678901234567890, NaN, -Infinity, \"\", {}, [], {\"\": \"\\u0000\"}]",
    "\"plain\"",
    "{\"id\": 3, \"items\": [{\"id\": 1, \"v\": [1, 2]}, {\"id\": 2}, {\"id\": \"2\"}]}",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < G_N_ELEMENTS (texts) + 400; i++)
    {
      g_autofree char *a_text = i < G_N_ELEMENTS (texts) ? g_strdup (texts[i]) : NULL;
      g_autofree char *b_text = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;
      g_autoptr(JsonNode) back = NULL;
      g_autoptr(GPtrArray) by_nodes = NULL;
      g_autoptr(GPtrArray) by_trees = NULL;
      g_autofree char *t1 = NULL;
      g_autofree char *t2 = NULL;
      IwbJsonKeys *keys = iwb_json_keys_new ();
      IwbJsonTree *ta, *tb;

      if (a_text == NULL)
        {
          g_autoptr(JsonNode) ra = random_value (rand, 0);
          g_autoptr(JsonNode) rb = random_value (rand, 0);

          a_text = iwb_json_to_string (ra, g_rand_boolean (rand));
          b_text = iwb_json_to_string (g_rand_int_range (rand, 0, 4) == 0 ? ra : rb, FALSE);
        }
      else
        b_text = g_strdup (texts[(i + 1) % G_N_ELEMENTS (texts)]);

      a = iwb_json_parse_full (a_text, -1, IWB_JSON_PARSE_WTF8, NULL, NULL);
      b = iwb_json_parse_full (b_text, -1, IWB_JSON_PARSE_WTF8, NULL, NULL);
      ta = iwb_json_tree_parse (keys, g_strdup (a_text), strlen (a_text), IWB_JSON_PARSE_WTF8,
                                NULL, NULL);
      tb = iwb_json_tree_parse (keys, g_strdup (b_text), strlen (b_text), IWB_JSON_PARSE_WTF8,
                                NULL, NULL);
      g_assert_nonnull (ta);
      g_assert_nonnull (tb);
      back = iwb_json_tree_to_node (ta, 0);
      t1 = iwb_json_to_string (back, FALSE);
      t2 = iwb_json_to_string (a, FALSE);
      g_assert_cmpstr (t1, ==, t2);
      g_assert_true (iwb_json_tree_equal (ta, 0, tb, 0) == iwb_json_equal (a, b));

      by_nodes = iwb_json_diff (a, b);
      by_trees = iwb_json_diff_trees (ta, tb);
      g_clear_pointer (&t1, g_free);
      g_clear_pointer (&t2, g_free);
      t1 = iwb_json_diff_to_text (by_nodes, IWB_JSON_DIFF_TEXT_NONE);
      t2 = iwb_json_diff_to_text (by_trees, IWB_JSON_DIFF_TEXT_NONE);
      g_assert_cmpstr (t1, ==, t2);

      iwb_json_tree_free (ta);
      iwb_json_tree_free (tb);
      iwb_json_keys_free (keys);
    }

  /* errors say where, from the original text */
  {
    IwbJsonKeys *keys = iwb_json_keys_new ();
    const char *bad = "[\"a\\n\\n\",\n \"\\u00e9\", x]";
    IwbJsonLocation loc = { 0 };
    g_autoptr(GError) error = NULL;

    g_assert_null (iwb_json_tree_parse (keys, g_strdup (bad), strlen (bad), 0, &loc, &error));
    g_assert_error (error, IWB_JSON_ERROR, IWB_JSON_ERROR_SYNTAX);
    g_assert_cmpuint (loc.line, ==, 2);
    g_assert_cmpuint (loc.column, ==, 12);
    iwb_json_keys_free (keys);
  }
}

/* A member of the wrong type anywhere in an override: a warning, never a
 * critical (criticals are fatal in this test). */
static void
test_override_wrong_types (void)
{
  const char *base_text =
    "{\"name\": \"I\", \"actions\": [{\"name\": \"Echo\", \"entrypoint\": \"main.echo\", "
    "\"instantiation\": {\"steps\": [{\"inputs\": [{\"id\": \"text\", \"label\": \"Text\", "
    "\"data_type\": \"string\", \"input_type\": \"text\", \"optional\": false, \"source\": \"param\"}]}]}}]}";
  const char *bad[] = {
    "[{\"name\": [\"x\"]}]",
    "[{\"entrypoint\": 5}]",
    "[{\"entrypoint\": {\"a\": 1}, \"name\": \"Echo\"}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": \"x\"}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": {\"steps\": {}}}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": {\"steps\": [3]}}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": {\"steps\": [{\"inputs\": \"x\"}]}}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": {\"steps\": [{\"inputs\": [[1]]}]}}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": {\"steps\": [{\"inputs\": [{\"id\": [1]}]}]}}]",
    "[{\"entrypoint\": \"main.echo\", \"instantiation\": {\"steps\": [{\"inputs\": [{\"id\": \"text\", "
      "\"source\": 7, \"label\": [1], \"optional\": \"yes\", \"options\": 3}]}]}}]",
    "[{\"entrypoint\": \"main.echo\", \"name\": null, \"description\": {\"x\": []}}]",
    "[7, null, \"main.echo\", [], {}]",
  };
  g_autoptr(JsonNode) base = iwb_json_parse_full (base_text, -1, 0, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) overrides = iwb_json_parse_full (bad[i], -1, 0, NULL, NULL);
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) effective = iwb_overrides_apply (base, overrides, &warnings, &error);
      g_autofree char *summary = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (effective);
      summary = iwb_overrides_summary (base, effective);
      g_assert_nonnull (summary);
      if (i < 9 || i == 11)
        g_assert_cmpuint (warnings->len, >, 0);
    }
}

/* The same end to end: `iwb validate --show-overrides` prints warnings,
 * and no Json-CRITICAL, in both output formats. */
static void
test_override_wrong_types_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-json-XXXXXX", &error);
  g_autofree char *main_py = g_build_filename (dir, "main.py", NULL);

  g_assert_true (g_file_set_contents (main_py,
    "\"\"\"Odd overrides\"\"\"\n"
    "import json\n"
    "from lhub_integ import action, connection_validator\n"
    "@connection_validator\n"
    "def validate_connections():\n"
    "    print('[result] ' + json.dumps({'actionOverrides': [\n"
    "        {'name': ['x']}, {'entrypoint': 3},\n"
    "        {'entrypoint': 'main.echo', 'name': {'a': 1}},\n"
    "        {'entrypoint': 'main.echo', 'instantiation': {'steps': [{'inputs': [\n"
    "            {'id': 'text', 'label': ['l'], 'source': 7, 'optional': 'yes', 'options': 3,\n"
    "             'default': float('nan')}]}]}}]}))\n"
    "@action\n"
    "def echo(text):\n"
    "    return {'text': text}\n", -1, &error));

  for (int machine = 0; machine < 2; machine++)
    {
      g_auto(IwbCliResult) r = { 0 };

      if (machine)
        iwb_cli_run (&r, NULL, NULL, "validate", dir, "--show-overrides", "--format", "json", NULL);
      else
        iwb_cli_run (&r, NULL, NULL, "validate", dir, "--show-overrides", NULL);
      g_assert_null (strstr (r.err, "CRITICAL"));
      g_assert_null (strstr (r.out, "CRITICAL"));
      g_assert_nonnull (strstr (r.out, "is a list, not a string"));
      g_assert_null (strstr (r.out, "nan.0"));
      if (machine)
        {
          /* every line is JSON Python reads (NaN included) */
          g_auto(GStrv) lines = g_strsplit (g_strstrip (r.out), "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            {
              g_autofree char *back = python_round_trip (lines[i]);
              g_assert_nonnull (back);
            }
          g_assert_nonnull (strstr (r.out, "NaN"));
        }
    }
  g_assert_cmpint (g_remove (main_py), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The reference for iwb_json_check_object(): the full scan, with a sink
 * that tracks the depth and marks a depth-1 member name that is "lhub_id"
 * or has escapes. */
typedef struct
{
  guint    depth;
  gboolean lhub;
} RefCheck;

static void
ref_begin (gpointer data,
           gboolean is_object)
{
  ((RefCheck *) data)->depth++;
}

static void
ref_end (gpointer data)
{
  ((RefCheck *) data)->depth--;
}

static void
ref_key (gpointer    data,
         const char *raw,
         gsize       len,
         gboolean    escaped)
{
  RefCheck *c = data;

  if (c->depth == 1 && (escaped || (len == 7 && memcmp (raw, "lhub_id", 7) == 0)))
    c->lhub = TRUE;
}

/* iwb_json_check_object() reads flat rows without the sink machinery
 * (iwb_json_scan_flat_object()): whatever the line, it must say exactly what
 * the full scan says — valid or not, whether it has an lhub_id. Lines made
 * by mutating rows of every kind, each byte a JSON-ish one. */
static void
test_check_object_flat_rows (void)
{
  static const IwbJsonSink ref_sink = { ref_begin, ref_end, ref_key, NULL, NULL, NULL };
  static const char *const rows[] = {
    "{\"value\": \"row number 0\", \"n\": \"0\"}",
    "{\"lhub_id\": 7, \"a\": -0.5e+3, \"b\": true, \"c\": false, \"d\": null}",
    "  {\"x\":1,\"y\":[1,2],\"z\":{\"lhub_id\":1}}  ",
    "{\"lhub\\u005fid\": 1, \"s\": \"a\\\"b\", \"t\": \"\xc3\xa9\"}",
    "{}", "{ }", "\t{\"k\" : 10 ,\"j\":0}\r\n",
    "{\"n\": NaN, \"i\": -Infinity, \"e\": 1E5, \"z\": 0.0}",
  };
  static const char alphabet[] = "{}[]\":,\\ \t\r\n0123456789-+.eEtrufalsnNIl_hbidu\x01\x7f\xc3\xa9\xff";
  GRand *rand = g_rand_new_with_seed (4242);
  guint valid = 0, invalid = 0;

  for (guint round = 0; round < 60000; round++)
    {
      g_autoptr(GString) line = g_string_new (rows[g_rand_int_range (rand, 0, G_N_ELEMENTS (rows))]);
      guint edits = g_rand_int_range (rand, 0, 4);
      g_autofree char *message = NULL;
      RefCheck ref = { 0, FALSE };
      IwbJsonErrorCode code = 0;
      gsize offset = 0, start = 0, ref_start = 0;
      const char *what = NULL;
      gboolean lhub = FALSE, ok, ref_ok;

      for (guint e = 0; e < edits && line->len > 0; e++)
        {
          guint at = g_rand_int_range (rand, 0, line->len);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              line->str[at] = c;
              break;
            case 1:
              g_string_insert_c (line, at, c);
              break;
            default:
              g_string_erase (line, at, 1);
              break;
            }
        }
      while (ref_start < line->len && strchr (" \t\n\r", line->str[ref_start]) != NULL &&
             line->str[ref_start] != '\0')
        ref_start++;
      ref_ok = ref_start < line->len && line->str[ref_start] == '{' &&
               iwb_json_scan (line->str, line->len, TRUE, &ref_sink, &ref, &code, &offset, &what);
      ok = iwb_json_check_object (line->str, line->len, &start, &lhub, &message);
      if (ok != ref_ok)
        g_error ("check_object says %s, the full scan %s: %s", ok ? "valid" : "invalid",
                 ref_ok ? "valid" : "invalid", line->str);
      if (ok)
        {
          valid++;
          g_assert_cmpuint (start, ==, ref_start);
          g_assert_cmpint (lhub, ==, ref.lhub);
        }
      else
        {
          invalid++;
          g_assert_nonnull (message);
        }
    }
  /* both kinds were tried, many times */
  g_assert_cmpuint (valid, >, 5000);
  g_assert_cmpuint (invalid, >, 5000);
  g_rand_free (rand);
}

/* Strings are scanned eight bytes at a time up to the first byte that
 * needs a look (a quote, a backslash, a control character, a non-ASCII
 * byte): each of them, at every offset from a string's start and end
 * (every place within the words), is read as it is one byte at a time —
 * the value decoded, an error found at its byte. */
static void
test_string_bytes_everywhere (void)
{
  static const struct { const char *raw; const char *value; gssize error_at; } specials[] = {
    { "\\\"", "\"", -1 },
    { "\\\\", "\\", -1 },
    { "\\n", "\n", -1 },
    { "\\u00e9", "\xc3\xa9", -1 },
    { "\xc3\xa9", "\xc3\xa9", -1 },            /* é */
    { "\xe2\x82\xac", "\xe2\x82\xac", -1 },    /* € */
    { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", -1 },
    { "\x01", NULL, 0 },                       /* a control character */
    { "\x1f", NULL, 0 },
    { "\t", NULL, 0 },
    { "\xff", NULL, 0 },                       /* not UTF-8 */
    { "\xc3(", NULL, 0 },
    { " ", " ", -1 },                         /* the bounds of the plain bytes */
    { "!", "!", -1 },
    { "#", "#", -1 },
    { "[", "[", -1 },
    { "]", "]", -1 },
    { "\x7f", "\x7f", -1 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (specials); k++)
    for (guint before = 0; before < 20; before++)
      for (guint after = 0; after < 12; after++)
        {
          g_autoptr(GString) text = g_string_new ("[\"");
          g_autoptr(GString) want = g_string_new (NULL);
          g_autoptr(JsonNode) node = NULL;
          g_autoptr(GError) error = NULL;
          gsize at = 0, special_at;

          for (guint i = 0; i < before; i++)
            g_string_append_c (text, 'a' + i % 26), g_string_append_c (want, 'a' + i % 26);
          special_at = text->len;
          g_string_append (text, specials[k].raw);
          if (specials[k].value)
            g_string_append (want, specials[k].value);
          for (guint i = 0; i < after; i++)
            g_string_append_c (text, 'A' + i % 26), g_string_append_c (want, 'A' + i % 26);
          g_string_append (text, "\"]");

          node = iwb_json_parse_full (text->str, text->len, IWB_JSON_PARSE_DEFAULT, &at, &error);
          if (specials[k].error_at < 0)
            {
              g_assert_no_error (error);
              g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, want->str);
            }
          else
            {
              g_assert_null (node);
              g_assert_nonnull (error);
              g_assert_cmpuint (at, ==, special_at + specials[k].error_at);
            }
        }
}

/* iwb_utf8_validate() (the check of every line a child writes) says what
 * GLib says, for each kind of byte at every place in the 8-byte words. */
static void
test_utf8_validate_everywhere (void)
{
  static const char *const inserts[] = { "\xc3\xa9", "\xe2\x82\xac", "\xff", "\xc3", "\xed\xa0\x80", "\x7f", "",
                                         "\xf0\x9f\x98\x80" };

  for (guint k = 0; k < G_N_ELEMENTS (inserts); k++)
    for (guint before = 0; before < 20; before++)
      for (guint after = 0; after < 12; after++)
        {
          g_autoptr(GString) text = g_string_new (NULL);

          for (guint i = 0; i < before; i++)
            g_string_append_c (text, 'a' + i % 26);
          g_string_append (text, inserts[k]);
          for (guint i = 0; i < after; i++)
            g_string_append_c (text, 'A' + i % 26);
          g_assert_cmpint (iwb_utf8_validate (text->str, text->len), ==,
                           g_utf8_validate_len (text->str, text->len, NULL));
          /* and a NUL in place of the insert */
          text->str[before] = '\0';
          if (text->len > before)
            g_assert_cmpint (iwb_utf8_validate (text->str, text->len), ==,
                             g_utf8_validate_len (text->str, text->len, NULL));
        }
}

/* iwb_json_write_int() writes what printf does, at the ends of the range
 * and around every power of ten, appended to what the string held. */
static void
test_write_int (void)
{
  g_autoptr(GString) out = g_string_new ("[");
  g_autoptr(GString) want = g_string_new ("[");
  gint64 values[] = { 0, 1, -1, 9, 10, -10, 99, 100, G_MAXINT64, G_MININT64,
                      G_MAXINT64 - 1, G_MININT64 + 1, G_MAXINT32, G_MININT32,
                      (gint64) G_MAXUINT32 + 1 };
  gint64 p = 1;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      iwb_json_write_int (out, values[i]);
      g_string_append_printf (want, "%" G_GINT64_FORMAT, values[i]);
      g_string_append_c (out, ',');
      g_string_append_c (want, ',');
    }
  /* 10^0 .. 10^18, each and its neighbours (p is not multiplied past
   * 10^18: 10^19 does not fit) */
  for (int e = 0; e < 19; e++)
    {
      if (e > 0)
        p *= 10;
      for (gint64 d = -1; d <= 1; d++)
        for (int sign = -1; sign <= 1; sign += 2)
          {
            iwb_json_write_int (out, sign * (p + d));
            g_string_append_printf (want, "%" G_GINT64_FORMAT, sign * (p + d));
            g_string_append_c (out, ',');
            g_string_append_c (want, ',');
          }
    }
  g_assert_cmpstr (out->str, ==, want->str);

  /* the text alone, NUL-terminated inside the buffer */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      char buf[IWB_INT_TEXT_SIZE];
      g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, values[i]);

      g_assert_cmpstr (iwb_int_to_text (values[i], buf), ==, expected);
    }
}

/* iwb_json_write_thousandths() against printf's "%.3f" with the trailing
 * zeros cut (one decimal kept), the text iwb_json_write_double() gives. */
static void
test_write_thousandths (void)
{
  gint64 values[] = { 0, 1, -1, 10, 100, 999, 1000, 1001, 1010, 1100, -1500, 7000,
                      123456789, -123456789, G_GINT64_CONSTANT (999999999999),
                      G_GINT64_CONSTANT (4503599627370495) };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      g_autofree char *expected = g_strdup_printf ("x%.3f", values[i] / 1000.0);
      gsize len = strlen (expected);

      while (expected[len - 1] == '0' && expected[len - 2] != '.')
        expected[--len] = '\0';
      iwb_json_write_thousandths (out, values[i]);
      g_assert_cmpstr (out->str, ==, expected);
      if (values[i] != 0 && values[i] < G_GINT64_CONSTANT (1000000000000))
        {
          g_autoptr(GString) d = g_string_new ("x");

          iwb_json_write_double (d, values[i] / 1000.0);
          g_assert_cmpstr (d->str, ==, expected);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/depth-rule", test_depth_rule);
  g_test_add_func ("/json/python-compatible", test_python_compatible);
  g_test_add_func ("/json/depth-every-reader", test_depth_every_reader);
  g_test_add_func ("/json/depth-cli", test_depth_cli);
  g_test_add_func ("/json/walkers-iterative", test_walkers_iterative);
  g_test_add_func ("/json/writer-python", test_writer_python);
  g_test_add_func ("/json/write-int", test_write_int);
  g_test_add_func ("/json/write-thousandths", test_write_thousandths);
  g_test_add_func ("/json/writer-json-glib", test_writer_json_glib);
  g_test_add_func ("/json/surrogates", test_surrogates);
  g_test_add_func ("/json/tree", test_tree);
  g_test_add_func ("/json/string-bytes-everywhere", test_string_bytes_everywhere);
  g_test_add_func ("/json/check-object-flat-rows", test_check_object_flat_rows);
  g_test_add_func ("/json/utf8-validate-everywhere", test_utf8_validate_everywhere);
  g_test_add_func ("/json/cli-output", test_cli_output);
  g_test_add_func ("/json/override-wrong-types", test_override_wrong_types);
  g_test_add_func ("/json/override-wrong-types-cli", test_override_wrong_types_cli);

  return g_test_run ();
}
