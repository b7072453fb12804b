/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SDK's DataType coercion table (spec 2.2 / 2.4) on typed text. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "iwb-core.h"

typedef struct
{
  const char *type;
  const char *text;
  const char *json;    /* expected value as JSON text, NULL when it fails */
  const char *message; /* expected message when it fails (NULL: don't check) */
} Case;

static const Case cases[] = {
  { "string", "  spaced  ", "\"  spaced  \"", NULL },
  { "column", "col", "\"col\"", NULL },
  { "jinja", "{{ x }}", "\"{{ x }}\"", NULL },
  { "unknown-type", "abc", "\"abc\"", NULL },
  { "number", "1.5", "1.5", NULL },
  { "number", " 2 ", "2.0", NULL },
  { "number", "1e3", "1000.0", NULL },
  { "number", "-0.25", "-0.25", NULL },
  { "number", "1_000", "1000.0", NULL },
  { "number", ".5", "0.5", NULL },
  { "number", "5.", "5.0", NULL },
  { "number", "abc", NULL, "could not convert string to float: 'abc'" },
  { "number", "", NULL, "could not convert string to float: ''" },
  { "number", "0x10", NULL, "could not convert string to float: '0x10'" },
  { "number", "1__0", NULL, NULL },
  { "number", "_1", NULL, NULL },
  { "number", "1e", NULL, NULL },
  { "number", "1,5", NULL, "could not convert string to float: '1,5'" },
  { "int", "123.5", "123", NULL },
  { "int", "-1.5", "-1", NULL },
  { "int", "1e3", "1000", NULL },
  { "int", "42", "42", NULL },
  { "int", "nan", NULL, "cannot convert float NaN to integer" },
  { "int", "inf", NULL, "cannot convert float infinity to integer" },
  { "int", "-Infinity", NULL, "cannot convert float infinity to integer" },
  { "int", "ten", NULL, "could not convert string to float: 'ten'" },
  { "bool", "true", "true", NULL },
  { "bool", "TRUE", "true", NULL },
  { "bool", "Yes", "true", NULL },
  { "bool", "y", "true", NULL },
  { "bool", "1", "true", NULL },
  { "bool", "no", "false", NULL },
  { "bool", "N", "false", NULL },
  { "bool", "0", "false", NULL },
  { "bool", "False", "false", NULL },
  { "bool", " true", NULL, "Expected boolean input but {input} could not be coerced into a boolean value" },
  { "bool", "2", NULL, "Expected boolean input but {input} could not be coerced into a boolean value" },
  { "json", "{\"a\": [1, 2]}", "{\"a\":[1,2]}", NULL },
  { "json", "[1, 2]", "[1,2]", NULL },
  { "json", "3", "3", NULL },
  { "json", "\"s\"", "\"s\"", NULL },
  { "json", "null", "null", NULL },
  { "json", "1,2,3", NULL, "Extra data: line 1 column 2 (char 1)" },
  /* json-glib 1.6 took only the first of two objects */
  { "json", "{\"a\": 1} {\"b\": 2}", NULL, "Extra data: line 1 column 10 (char 9)" },
  { "json", "{\"é\": 1}\n  [2]", NULL, "Extra data: line 2 column 3 (char 11)" },
  { "json", "{bad", NULL, NULL },
  { "json", "  ", NULL, "Expecting value: line 1 column 3 (char 2)" },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(JsonNode) out = NULL;
      g_autofree char *message = NULL;
      gboolean ok = iwb_coerce (c->type, c->text, &out, &message);

      g_test_message ("%s %s", c->type, c->text);
      if (c->json != NULL)
        {
          g_autofree char *got = NULL;

          g_assert_true (ok);
          g_assert_null (message);
          got = json_to_string (out, FALSE);
          g_assert_cmpstr (got, ==, c->json);
        }
      else
        {
          g_assert_false (ok);
          g_assert_null (out);
          g_assert_nonnull (message);
          if (c->message != NULL)
            g_assert_cmpstr (message, ==, c->message);
        }
    }
}

static void
test_special_floats (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  g_assert_true (iwb_coerce ("number", "nan", &a, NULL));
  g_assert_true (isnan (json_node_get_double (a)));
  g_assert_true (iwb_coerce ("number", "-inf", &b, NULL));
  g_assert_true (isinf (json_node_get_double (b)) && json_node_get_double (b) < 0);
}

static JsonObject *
input (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  return json_object_ref (json_node_get_object (node));
}

static void
test_inputs (void)
{
  g_autoptr(JsonObject) required = input ("{\"id\":\"A\",\"data_type\":\"string\",\"optional\":false,\"default\":null,\"source\":\"connection\"}");
  g_autoptr(JsonObject) opt_string = input ("{\"id\":\"B\",\"data_type\":\"string\",\"optional\":true,\"default\":null,\"source\":\"param\"}");
  g_autoptr(JsonObject) opt_int = input ("{\"id\":\"C\",\"data_type\":\"int\",\"optional\":true,\"default\":null,\"source\":\"param\"}");
  g_autoptr(JsonObject) opt_bool = input ("{\"id\":\"D\",\"data_type\":\"bool\",\"optional\":true,\"source\":\"param\"}");
  g_autoptr(JsonObject) with_default = input ("{\"id\":\"E\",\"data_type\":\"int\",\"optional\":false,\"default\":\"10\",\"source\":\"param\"}");
  g_autoptr(JsonObject) bad_default = input ("{\"id\":\"F\",\"data_type\":\"number\",\"optional\":true,\"default\":\"x\",\"source\":\"param\"}");
  g_autoptr(JsonObject) column = input ("{\"id\":\"col\",\"data_type\":\"column\",\"optional\":false,\"source\":\"column\"}");
  g_autoptr(JsonObject) opt_column = input ("{\"id\":\"col\",\"data_type\":\"column\",\"optional\":true,\"source\":\"column\"}");
  g_autoptr(JsonObject) bool_default = input ("{\"id\":\"G\",\"data_type\":\"bool\",\"optional\":true,\"default\":true,\"source\":\"param\"}");
  JsonNode *out = NULL;
  char *message = NULL;

  g_assert_false (iwb_coerce_input (required, NULL, NULL, &message));
  g_assert_cmpstr (message, ==, "Parameter must be defined");
  g_clear_pointer (&message, g_free);
  g_assert_false (iwb_coerce_input (required, "", NULL, &message));
  g_clear_pointer (&message, g_free);
  /* whitespace counts as set, and is not stripped */
  g_assert_true (iwb_coerce_input (required, " ", &out, NULL));
  g_assert_cmpstr (json_node_get_string (out), ==, " ");
  g_clear_pointer (&out, json_node_unref);

  g_assert_true (iwb_coerce_input (opt_string, NULL, &out, NULL));
  g_assert_true (JSON_NODE_HOLDS_NULL (out));
  g_clear_pointer (&out, json_node_unref);

  /* the SDK coerces None for optional numeric/bool params: it fails */
  g_assert_false (iwb_coerce_input (opt_int, NULL, NULL, &message));
  g_assert_true (g_str_has_prefix (message, "float() argument must be a string or a real number, not 'NoneType'"));
  g_clear_pointer (&message, g_free);
  g_assert_false (iwb_coerce_input (opt_bool, NULL, NULL, &message));
  g_assert_true (g_str_has_prefix (message, "'NoneType' object has no attribute 'lower'"));
  g_clear_pointer (&message, g_free);

  /* the default is coerced too, and makes the param optional */
  g_assert_true (iwb_coerce_input (with_default, NULL, &out, NULL));
  g_assert_cmpint (json_node_get_int (out), ==, 10);
  g_clear_pointer (&out, json_node_unref);
  g_assert_true (iwb_coerce_input (with_default, "7.9", &out, NULL));
  g_assert_cmpint (json_node_get_int (out), ==, 7);
  g_clear_pointer (&out, json_node_unref);
  g_assert_false (iwb_coerce_input (bad_default, NULL, NULL, &message));
  g_assert_cmpstr (message, ==, "could not convert string to float: 'x'");
  g_clear_pointer (&message, g_free);
  g_assert_true (iwb_coerce_input (bool_default, NULL, &out, NULL));
  g_assert_true (json_node_get_boolean (out));
  g_clear_pointer (&out, json_node_unref);

  g_assert_false (iwb_coerce_input (column, NULL, NULL, &message));
  g_assert_cmpstr (message, ==, "Column name cannot be empty");
  g_clear_pointer (&message, g_free);
  g_assert_true (iwb_coerce_input (column, "src", &out, NULL));
  g_assert_cmpstr (json_node_get_string (out), ==, "src");
  g_clear_pointer (&out, json_node_unref);
  g_assert_true (iwb_coerce_input (opt_column, NULL, NULL, NULL));

  {
    g_autofree char *t = iwb_coerce_default_text (with_default);
    g_autofree char *n = iwb_coerce_default_text (required);
    g_autofree char *b = iwb_coerce_default_text (bool_default);

    g_assert_cmpstr (t, ==, "10");
    g_assert_null (n);
    g_assert_cmpstr (b, ==, "True");
  }
}

static void
test_secret_not_echoed (void)
{
  g_autoptr(JsonObject) pin = input ("{\"id\":\"PIN\",\"data_type\":\"int\",\"input_type\":\"password\",\"optional\":false,\"source\":\"connection\"}");
  g_autoptr(JsonObject) port = input ("{\"id\":\"PORT\",\"data_type\":\"int\",\"input_type\":\"text\",\"optional\":false,\"source\":\"connection\"}");
  g_autofree char *pin_message = NULL;
  g_autofree char *port_message = NULL;

  /* A password that does not coerce: the error says why, not what was typed. */
  g_assert_false (iwb_coerce_input (pin, "s3cret-PIN", NULL, &pin_message));
  g_assert_null (strstr (pin_message, "s3cret-PIN"));
  g_assert_true (g_str_has_prefix (pin_message, "could not convert string to float: "));
  /* Other fields keep the SDK's message verbatim. */
  g_assert_false (iwb_coerce_input (port, "abc", NULL, &port_message));
  g_assert_cmpstr (port_message, ==, "could not convert string to float: 'abc'");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/coerce/table", test_table);
  g_test_add_func ("/coerce/special-floats", test_special_floats);
  g_test_add_func ("/coerce/inputs", test_inputs);
  g_test_add_func ("/coerce/secret-not-echoed", test_secret_not_echoed);
  return g_test_run ();
}
