/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `[result]` lines (spec 6.3 / 6.5) and their shapes. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "iwb-core.h"

static IwbResultLineStatus
parse (const char  *line,
       JsonNode   **value,
       JsonNode   **id,
       char       **message)
{
  return iwb_result_parse_line (line, strlen (line), value, id, message);
}

static void
test_lines (void)
{
  JsonNode *value = NULL, *id = NULL;
  char *message = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (parse ("plain log line", &value, &id, &message), ==, IWB_RESULT_LINE_NONE);
  g_assert_cmpint (parse ("[resul] {}", &value, &id, &message), ==, IWB_RESULT_LINE_NONE);
  g_assert_cmpint (parse (" [result] {}", &value, &id, &message), ==, IWB_RESULT_LINE_NONE);

  g_assert_cmpint (parse ("[result] {\"a\": 1}", &value, &id, &message), ==, IWB_RESULT_LINE_OK);
  g_assert_null (id);
  text = json_to_string (value, FALSE);
  g_assert_cmpstr (text, ==, "{\"a\":1}");
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&text, g_free);

  /* no space after the marker is fine too, and any JSON value */
  g_assert_cmpint (parse ("[result]\"s\"", &value, &id, &message), ==, IWB_RESULT_LINE_OK);
  g_assert_cmpstr (json_node_get_string (value), ==, "s");
  g_clear_pointer (&value, json_node_unref);

  /* 1.0.14: no space after [/meta] */
  g_assert_cmpint (parse ("[result][meta]{\"original_lhub_id\": 7}[/meta]{\"b\": 2}", &value, &id, &message),
                   ==, IWB_RESULT_LINE_OK);
  g_assert_cmpint (json_node_get_int (id), ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (value), "b"), ==, 2);
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&id, json_node_unref);

  /* 1.0.12: one space after [/meta]; string ids; 0 and "" still correlate */
  g_assert_cmpint (parse ("[result][meta]{\"original_lhub_id\": \"x1\"}[/meta] [1, 2]", &value, &id, &message),
                   ==, IWB_RESULT_LINE_OK);
  g_assert_cmpstr (json_node_get_string (id), ==, "x1");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (value));
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&id, json_node_unref);
  g_assert_cmpint (parse ("[result][meta]{\"original_lhub_id\": 0}[/meta]{}", &value, &id, &message),
                   ==, IWB_RESULT_LINE_OK);
  g_assert_nonnull (id);
  g_assert_cmpint (json_node_get_int (id), ==, 0);
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&id, json_node_unref);
  g_assert_cmpint (parse ("[result][meta]{\"original_lhub_id\": null}[/meta]{}", &value, &id, &message),
                   ==, IWB_RESULT_LINE_OK);
  g_assert_null (id);
  g_clear_pointer (&value, json_node_unref);

  /* broken lines say why */
  g_assert_cmpint (parse ("[result] {\"actionOverrides\": [broken", &value, &id, &message),
                   ==, IWB_RESULT_LINE_INVALID);
  g_assert_null (value);
  g_assert_nonnull (message);
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (parse ("[result] ", &value, &id, &message), ==, IWB_RESULT_LINE_INVALID);
  g_assert_nonnull (strstr (message, "no JSON value"));
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (parse ("[result][meta]{\"original_lhub_id\": 1}{}", &value, &id, &message),
                   ==, IWB_RESULT_LINE_INVALID);
  g_assert_nonnull (strstr (message, "[/meta]"));
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (parse ("[result][meta]not json[/meta]{}", &value, &id, &message),
                   ==, IWB_RESULT_LINE_INVALID);
  g_clear_pointer (&message, g_free);

  /* the closing marker is found after brackets and partial markers, not
   * past the line's length, and not past a NUL (as strstr reads a line) */
  g_assert_cmpint (parse ("[result][meta]{\"original_lhub_id\": \"[/met[[/\"}[/meta]{\"c\": 3}",
                          &value, &id, &message), ==, IWB_RESULT_LINE_OK);
  g_assert_cmpstr (json_node_get_string (id), ==, "[/met[[/");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (value), "c"), ==, 3);
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&id, json_node_unref);
  g_assert_cmpint (iwb_result_parse_line ("[result][meta]{}[/meta]{}", 20, &value, &id, &message),
                   ==, IWB_RESULT_LINE_INVALID);
  g_assert_nonnull (strstr (message, "[/meta]"));
  g_clear_pointer (&message, g_free);
  {
    static const char with_nul[] = "[result][meta]{}\0[/meta]{}";

    g_assert_cmpint (iwb_result_parse_line (with_nul, sizeof with_nul - 1, &value, &id, &message),
                     ==, IWB_RESULT_LINE_INVALID);
    g_assert_nonnull (strstr (message, "[/meta]"));
    g_clear_pointer (&message, g_free);
  }

  /* the length is honoured: no NUL terminator needed */
  g_assert_cmpint (iwb_result_parse_line ("[result] 12345", 11, &value, &id, &message), ==, IWB_RESULT_LINE_OK);
  g_assert_cmpint (json_node_get_int (value), ==, 12);
  g_clear_pointer (&value, json_node_unref);
}

static IwbResultShape
shape (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  return iwb_result_classify (node);
}

static void
test_shapes (void)
{
  g_assert_cmpint (shape ("{}"), ==, IWB_RESULT_SHAPE_EMPTY_SUCCESS);
  g_assert_cmpint (shape ("{\"a\": 1}"), ==, IWB_RESULT_SHAPE_VALUE);
  g_assert_cmpint (shape ("[1]"), ==, IWB_RESULT_SHAPE_VALUE);
  g_assert_cmpint (shape ("\"text\""), ==, IWB_RESULT_SHAPE_VALUE);
  g_assert_cmpint (shape ("{\"has_error\": true, \"error\": \"x\", \"data\": null}"), ==, IWB_RESULT_SHAPE_ROW_ERROR);
  g_assert_cmpint (shape ("{\"has_error\": true, \"error\": \"x\"}"), ==, IWB_RESULT_SHAPE_ROW_ERROR);
  g_assert_cmpint (shape ("{\"has_error\": false, \"error\": null, \"x\": 1}"), ==, IWB_RESULT_SHAPE_VALUE);
  g_assert_cmpint (shape ("{\"errors\": [{\"message\": \"Parameter must be defined\", \"inputId\": \"A\"}], "
                          "\"message\": \"Integration validation failed.\"}"),
                   ==, IWB_RESULT_SHAPE_VALIDATION_ERRORS);
  g_assert_cmpint (shape ("{\"errors\": [{\"message\": \"Environment variable X must be defined\"}], "
                          "\"message\": \"Integration validation failed.\"}"),
                   ==, IWB_RESULT_SHAPE_INSTANTIATION_ERROR);
  g_assert_cmpint (shape ("{\"errors\": [], \"message\": \"Failed to parse integration\"}"),
                   ==, IWB_RESULT_SHAPE_INSTANTIATION_ERROR);
  g_assert_cmpint (shape ("{\"errors\": [\"Unsupported type annotation: x\"], \"message\": \"m\"}"),
                   ==, IWB_RESULT_SHAPE_INSTANTIATION_ERROR);
  g_assert_cmpint (shape ("{\"actionOverrides\": []}"), ==, IWB_RESULT_SHAPE_OVERRIDES);
  g_assert_cmpint (shape ("{\"actionOverrides\": \"nope\"}"), ==, IWB_RESULT_SHAPE_OVERRIDES);
  g_assert_cmpint (iwb_result_classify (NULL), ==, IWB_RESULT_SHAPE_VALUE);
}


/* The canonical text (iwb_result_canonical_json, iwb_result_read_line) is
 * what printing the parsed tree gives, for every kind of value. */
static void
check_canonical (const char *text,
                 gboolean    expect_nonfinite)
{
  g_autoptr(JsonNode) tree = iwb_json_parse (text, strlen (text), NULL);
  g_autofree char *expected = NULL;
  g_autofree char *compact = NULL;
  g_autoptr(GString) out = g_string_new ("prefix:");
  gboolean nonfinite = !expect_nonfinite;

  g_test_message ("canonical: %s", text);
  g_assert_nonnull (tree);
  compact = iwb_json_to_string (tree, FALSE);
  expected = g_strconcat ("prefix:", compact, NULL);
  g_assert_true (iwb_result_canonical_json (text, strlen (text), out, &nonfinite));
  g_assert_cmpstr (out->str, ==, expected);
  g_assert_cmpint (nonfinite, ==, expect_nonfinite);
}

/* a random JSON text: keys from a small set (so that objects repeat
 * names), escapes, numbers of every form, nesting */
static void
random_json (GRand   *rand,
             GString *out,
             guint    depth)
{
  static const char * const scalars[] = {
    "0", "-0", "7", "-12", "1.0", "1.5", "-2.25e3", "1E-7", "0.1", "1e+20", "1e999", "-1e999",
    "123456789012345678", "-123456789012345678", "1234567890123456789", "9223372036854775807",
    "-9223372036854775808", "9223372036854775808", "12345678901234567890123", "true", "false",
    "null", "NaN", "Infinity", "-Infinity", "\"\"", "\"plain\"", "\"a\\\"b\\\\c\\/d\"",
    "\"\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"lone \\ud800 surrogate\"",
    "\"nul \\u0000 here\"", "\"del \x7f and \\u007f\"", "\"\\u001f unit sep\"",
    "\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"", "\"\\u0041\\u00\x61\x62\"",
  };
  static const char * const keys[] = {
    "\"a\"", "\"b\"", "\"\\u0061\"", "\"has_error\"", "\"message\"", "\"errors\"", "\"k\xc3\xa9\"",
    "\"\\n\"", "\"\"",
  };
  guint pick = g_rand_int_range (rand, 0, depth > 4 ? 1 : 4);

  if (pick == 1 || pick == 2)
    {
      gboolean object = pick == 1;
      guint n = g_rand_int_range (rand, 0, 5);

      g_string_append (out, object ? "{ " : "[");
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append (out, g_rand_boolean (rand) ? "," : " ,\n ");
          if (object)
            {
              g_string_append (out, keys[g_rand_int_range (rand, 0, G_N_ELEMENTS (keys))]);
              g_string_append (out, g_rand_boolean (rand) ? ":" : " : ");
            }
          random_json (rand, out, depth + 1);
        }
      g_string_append (out, object ? "}" : " ]");
    }
  else
    g_string_append (out, scalars[g_rand_int_range (rand, 0, G_N_ELEMENTS (scalars))]);
}

static gboolean
has_nonfinite (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l != NULL; l = l->next)
        if (has_nonfinite (l->data))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        if (has_nonfinite (json_array_get_element (a, i)))
          return TRUE;
      return FALSE;
    }
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE &&
         !isfinite (json_node_get_double (node));
}

static void
test_canonical (void)
{
  static const char * const invalid[] = {
    "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"unterminated", "[1] [2]",
    "\"\\u12\"", "{\"a\" 1}", "\"bad \xff byte\"", "{\"a\": 1, \"a\": }",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261205);
  g_autoptr(GString) many = g_string_new ("{");

  check_canonical ("{\"value\": \"row number 0\", \"n\": \"0\"}", FALSE);
  check_canonical (" { \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : {} , \"d\" : [] } ", FALSE);
  /* a repeated name: json-glib keeps its first place and its last value */
  check_canonical ("{\"dup\": 1, \"x\": 2, \"dup\": [3]}", FALSE);
  check_canonical ("{\"o\": {\"a\": 1, \"\\u0061\": 2}}", FALSE);
  check_canonical ("[NaN, 1]", TRUE);
  check_canonical ("{\"big\": 1e999}", TRUE);
  check_canonical ("[-0, 1.0, 100000.0, 1e5, 0.1, 1E-7, 123456789012345678901234567890]", FALSE);
  /* more names than are checked for repeats one by one */
  for (guint i = 0; i < 70; i++)
    g_string_append_printf (many, "%s\"k%u\": %u", i ? ", " : "", i % 69, i);
  g_string_append (many, "}");
  check_canonical (many->str, FALSE);
  /* wide objects without a repeat, and with one far apart, nested too */
  for (guint dup = 0; dup < 2; dup++)
    {
      g_autoptr(GString) wide = g_string_new ("{\"inner\": {");

      for (guint i = 0; i < 100; i++)
        g_string_append_printf (wide, "%s\"f%u\": %u", i ? ", " : "", dup && i == 90 ? 40 : i, i);
      g_string_append (wide, "}, \"after\": 1}");
      check_canonical (wide->str, FALSE);
    }

  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(JsonNode) tree = NULL;

      random_json (rand, text, 0);
      tree = iwb_json_parse (text->str, text->len, NULL);
      check_canonical (text->str, has_nonfinite (tree) ||
                                  /* a repeated name's dropped value may have been the one */
                                  strstr (text->str, "NaN") != NULL || strstr (text->str, "Infinity") ||
                                  strstr (text->str, "e999"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GString) out = g_string_new ("kept");
      g_autofree char *shown = g_strescape (invalid[i], NULL); /* TAP wants UTF-8 */

      g_test_message ("invalid: %s", shown);
      g_assert_false (iwb_result_canonical_json (invalid[i], strlen (invalid[i]), out, NULL));
      g_assert_cmpstr (out->str, ==, "kept");
    }
}

/* iwb_result_read_line() says what iwb_result_parse_line() and
 * iwb_result_classify() say, and builds a tree only when it must. */
static void
test_read_line (void)
{
  static const char * const lines[] = {
    "[result] {\"a\": 1}", "[result]\"s\"", "[result] []", "[result] {}",
    "[result][meta]{\"original_lhub_id\": 7}[/meta]{\"b\": 2}",
    "[result][meta]{\"original_lhub_id\": -7}[/meta] {\"b\": 2}",
    "[result][meta]{\"original_lhub_id\": 0}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": -0}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": 007}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": 12345678901234567890}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": 123456789012345678}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": \"x1\"}[/meta] [1, 2]",
    "[result][meta]{\"original_lhub_id\": 7, \"other\": 1}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": null}[/meta]{}",
    "[result][meta]{\"original_lhub_id\": 7}[/meta]",
    "[result][meta]{\"original_lhub_id\": 7}{}",
    "[result][meta][1][/meta]{}",
    "[result] {\"has_error\": true, \"error\": \"x\", \"data\": {\"lhub_id\": 3}}",
    "[result] {\"has_error\": false, \"error\": null, \"x\": 1}",
    "[result] {\"has_error\": 1, \"error\": \"x\"}",
    "[result] {\"errors\": [{\"message\": \"m\", \"inputId\": \"A\"}], \"message\": \"v\"}",
    "[result] {\"errors\": [\"x\"], \"message\": \"m\"}",
    "[result] {\"errors\": \"x\", \"message\": \"m\"}",
    "[result] {\"errors\": [], \"other\": \"m\"}",
    "[result] {\"actionOverrides\": []}",
    "[result] {\"nested\": {\"actionOverrides\": [], \"has_error\": true}}",
    "[result] {\"has_error\": false, \"has_error\": true, \"error\": \"dup\"}",
    "[result] {\"a\": NaN}",
    "[result] {\"a\": 1,}",
    "[result] not json",
    "[result]   ",
    "plain log line",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(JsonNode) value = NULL, id = NULL, value2 = NULL, id2 = NULL;
      g_autofree char *message = NULL, *message2 = NULL;
      g_autoptr(GString) canonical = g_string_new (NULL);
      IwbResultLineStatus status, status2;
      IwbResultShape shape;
      gboolean nonfinite;

      g_test_message ("line: %s", lines[i]);
      status = iwb_result_parse_line (lines[i], strlen (lines[i]), &value, &id, &message);
      status2 = iwb_result_read_line (lines[i], strlen (lines[i]), canonical, &nonfinite, &shape,
                                      &value2, &id2, &message2);
      g_assert_cmpint (status, ==, status2);
      g_assert_cmpstr (message, ==, message2);
      if (status != IWB_RESULT_LINE_OK)
        {
          g_assert_cmpuint (canonical->len, ==, 0);
          g_assert_null (value2);
          continue;
        }
      {
        g_autofree char *expected = iwb_json_to_string (value, FALSE);

        g_assert_cmpstr (canonical->str, ==, expected);
      }
      g_assert_true ((id == NULL) == (id2 == NULL));
      if (id != NULL)
        g_assert_true (iwb_json_equal (id, id2));
      g_assert_cmpint (shape, ==, iwb_result_classify (value));
      g_assert_cmpint (nonfinite, ==, strstr (lines[i], "NaN") != NULL);
      if (shape != IWB_RESULT_SHAPE_VALUE && shape != IWB_RESULT_SHAPE_EMPTY_SUCCESS)
        g_assert_nonnull (value2);
      if (value2 != NULL)
        g_assert_true (iwb_json_equal (value, value2));
    }
}

/* An event's time_ms as iwb_json_write_double() prints it, at every scale. */
static void
test_event_time (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(JsonNode) payload = json_node_init_int (json_node_alloc (), 1);

  for (guint i = 0; i < 20000; i++)
    {
      gint64 t = i < 3000 ? (gint64) i : i < 6000 ? G_GINT64_CONSTANT (1000000000000) - 3 + (i - 3000) % 7
               : (gint64) (g_rand_double (rand) * pow (10, g_rand_int_range (rand, 0, 15)));
      g_autoptr(IwbRunEvent) e = iwb_run_event_new_result (IWB_RUN_EVENT_RESULT, t, payload, NULL, NULL);
      g_autoptr(JsonNode) node = iwb_run_event_to_json (e);
      g_autofree char *expected = iwb_json_to_string (node, FALSE);
      g_autoptr(GString) line = g_string_new (NULL);

      iwb_run_event_write_json (e, line);
      g_assert_cmpstr (line->str, ==, expected);
    }
}

/* An event's line is the same whether it was made from texts or trees. */
static void
test_event_json (void)
{
  static const char * const payloads[] = {
    "{\"value\": \"row number 0\", \"n\": \"0\"}", "[1, 2.5, NaN]", "\"s\\u00e9\"", "{}", "null",
    "{\"has_error\": true, \"error\": \"boom\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    for (guint with_row = 0; with_row < 2; with_row++)
      {
        const char *row_text = "{\"x\": 1.5, \"y\": \"caf\\u00e9\"}";
        g_autoptr(JsonNode) payload = iwb_json_parse (payloads[i], strlen (payloads[i]), NULL);
        g_autoptr(JsonNode) row = iwb_json_parse (row_text, strlen (row_text), NULL);
        g_autoptr(JsonNode) id = json_node_init_int (json_node_alloc (), 42);
        IwbRunEventKind kind = i == 5 ? IWB_RUN_EVENT_ROW_ERROR : IWB_RUN_EVENT_RESULT;
        g_autoptr(IwbRunEvent) from_tree =
          iwb_run_event_new_result (kind, 1234567, payload, id,
                                    with_row ? json_node_get_object (row) : NULL);
        g_autoptr(GString) canon_payload = g_string_new (NULL);
        g_autoptr(GString) canon_row = g_string_new (NULL);
        g_autoptr(IwbRunEvent) from_text = NULL;
        g_autoptr(JsonNode) node = NULL;
        g_autofree char *expected = NULL;
        g_autoptr(GString) a = g_string_new (NULL);
        g_autoptr(GString) b = g_string_new (NULL);

        g_assert_true (iwb_result_canonical_json (payloads[i], strlen (payloads[i]), canon_payload, NULL));
        g_assert_true (iwb_result_canonical_json (row_text, strlen (row_text), canon_row, NULL));
        from_text = iwb_run_event_new_result_json (kind, 1234567, g_strdup (canon_payload->str), NULL, id,
                                                   with_row ? g_strdup (canon_row->str) : NULL, NULL, NULL, FALSE);
        node = iwb_run_event_to_json (from_tree);
        expected = iwb_json_to_string (node, FALSE);
        iwb_run_event_write_json (from_tree, a);
        iwb_run_event_write_json (from_text, b);
        g_assert_cmpstr (a->str, ==, expected);
        g_assert_cmpstr (b->str, ==, expected);
        /* and the trees made from the texts (NaN equals nothing) */
        if (strstr (payloads[i], "NaN") == NULL)
          g_assert_true (iwb_json_equal (iwb_run_event_get_payload (from_text), payload));
        if (with_row)
          {
            g_autoptr(JsonNode) rn = json_node_init_object (json_node_alloc (),
                                                            iwb_run_event_get_input_row (from_text));
            g_assert_true (iwb_json_equal (rn, row));
          }
        else
          g_assert_null (iwb_run_event_get_input_row (from_text));
        g_assert_cmpstr (iwb_run_event_get_message (from_text), ==, iwb_run_event_get_message (from_tree));
      }
}

/* iwb_json_parse against json-glib on the same texts */
static void
test_json_parse (void)
{
  static const char * const valid[] = {
    "{}", "[]", "0", "-0", "12", "-12", "1.5", "-1.5e3", "2E-2", "1e+2",
    "9223372036854775807", "-9223372036854775808", "true", "false", "null",
    "\"\"", "\"plain\"", "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
    "\"\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"caf\xc3\xa9 \xe4\xb8\xad\"",
    " { \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : \"d\" } ",
    "{\"dup\": 1, \"dup\": 2}", "[[[[[]]]]]", "{\"nested\": {\"deep\": {\"x\": [true, false]}}}",
    "\t\r\n[1]\n",
  };
  static const char * const invalid[] = {
    "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-",
    "1e", "+1", "tru", "nul", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"",
    "[1] [2]", "{\"a\" 1}", "\"tab\tinside\"", "[1 2]", "{\"a\":}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) mine = NULL;
      g_autofree char *message = NULL;
      JsonNode *theirs;

      g_test_message ("valid: %s", valid[i]);
      g_assert_true (json_parser_load_from_data (parser, valid[i], -1, NULL));
      theirs = json_parser_get_root (parser);
      mine = iwb_json_parse (valid[i], strlen (valid[i]), &message);
      g_assert_null (message);
      g_assert_nonnull (mine);
      if (i == 21) /* duplicate member: the last one wins, like Python */
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (mine), "dup"), ==, 2);
      else
        g_assert_true (json_node_equal (mine, theirs));
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *message = NULL;
      JsonNode *mine;

      g_test_message ("invalid: %s", invalid[i]);
      mine = iwb_json_parse (invalid[i], strlen (invalid[i]), &message);
      g_assert_null (mine);
      g_assert_nonnull (message);
      g_assert_true (g_str_has_prefix (message, "at byte "));
    }

  /* what Python's json.dumps prints for special floats */
  {
    g_autoptr(JsonNode) n = iwb_json_parse ("[NaN, Infinity, -Infinity]", 26, NULL);
    JsonArray *a = json_node_get_array (n);

    g_assert_true (isnan (json_array_get_double_element (a, 0)));
    g_assert_true (isinf (json_array_get_double_element (a, 1)));
    g_assert_cmpfloat (json_array_get_double_element (a, 2), <, 0);
  }
  /* lone surrogates and NUL escapes become U+FFFD */
  {
    g_autoptr(JsonNode) n = iwb_json_parse ("\"a\\ud800b\\u0000c\"", 17, NULL);
    g_assert_cmpstr (json_node_get_string (n), ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
  }
  /* depth is bounded */
  {
    g_autofree char *deep = g_strnfill (100000, '[');
    g_autofree char *message = NULL;

    g_assert_null (iwb_json_parse (deep, 100000, &message));
    g_assert_nonnull (strstr (message, "nested too deeply"));
  }
  /* out-of-range integers keep their magnitude as doubles */
  {
    g_autoptr(JsonNode) n = iwb_json_parse ("123456789012345678901234567890", 30, NULL);
    g_assert_cmpfloat (json_node_get_double (n), >, 1e29);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/result-parser/lines", test_lines);
  g_test_add_func ("/result-parser/shapes", test_shapes);
  g_test_add_func ("/result-parser/json-parse", test_json_parse);
  g_test_add_func ("/result-parser/canonical", test_canonical);
  g_test_add_func ("/result-parser/read-line", test_read_line);
  g_test_add_func ("/result-parser/event-json", test_event_json);
  g_test_add_func ("/result-parser/event-time", test_event_time);
  return g_test_run ();
}
