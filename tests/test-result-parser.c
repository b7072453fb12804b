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
  return g_test_run ();
}
