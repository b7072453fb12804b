/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile input rows, second sweep: bytes a text file should not hold (NUL,
 * bytes that are not UTF-8, a stray BOM), line endings of every kind,
 * ragged and empty rows, in every format the parser and the JSON Lines
 * index read. The error must name the file, the line, and say WHAT is
 * wrong (a NUL byte is valid UTF-8: "not valid UTF-8" sent the user looking
 * for the wrong problem). Then actionOverrides whose members have the
 * wrong JSON type at every level. */
#include "config.h"

#include <string.h>

#include "iwb-core.h"

typedef struct
{
  const char     *what;
  const char     *data;
  gsize           len;       /* 0: strlen (data) */
  IwbInputFormat  format;
  const char     *prefix;    /* the error starts so; NULL: parses */
  const char     *contains;  /* and holds this (nullable) */
  guint           n_rows;    /* when it parses */
} InputCase;

#define L(s) s, sizeof (s) - 1

static const InputCase input_cases[] = {
  /* NUL bytes: said as such, with line and column, in every format */
  { "jsonl raw NUL", L ("{\"a\": 1}\n{\"a\": \"x\0y\"}\n"), IWB_INPUT_FORMAT_JSONL,
    "rows:2: a NUL byte at column 9", NULL, 0 },
  { "jsonl NUL after object", L ("{\"a\": 1}\0\n"), IWB_INPUT_FORMAT_AUTO,
    "rows:1: a NUL byte at column 9", NULL, 0 },
  { "csv NUL", L ("a,b\nx\0y,1\n"), IWB_INPUT_FORMAT_CSV,
    "rows:2: a NUL byte at column 2", NULL, 0 },
  { "csv NUL in quoted multiline field", L ("a\n\"one\ntwo\0\"\n"), IWB_INPUT_FORMAT_CSV,
    "rows:3: a NUL byte at column 4", NULL, 0 },
  { "json array NUL on line 3", L ("[\n{\"a\": 1},\n{\"a\": \0}]"), IWB_INPUT_FORMAT_JSON_ARRAY,
    "rows:3: a NUL byte at column 7", NULL, 0 },
  /* bytes that are not UTF-8: the byte and where */
  { "jsonl latin-1", L ("{\"a\": \"caf\xe9\"}\n"), IWB_INPUT_FORMAT_JSONL,
    "rows:1: byte 0xE9 at column 11 is not valid UTF-8", NULL, 0 },
  { "csv overlong encoding", L ("a\n\xc0\xaf\n"), IWB_INPUT_FORMAT_CSV,
    "rows:2: byte 0xC0 at column 1 is not valid UTF-8", NULL, 0 },
  { "csv truncated sequence at end", L ("a\nx\xe2\x82"), IWB_INPUT_FORMAT_CSV,
    "rows:2: byte 0xE2 at column 2 is not valid UTF-8", NULL, 0 },
  { "json array UTF-16 surrogate bytes", L ("[{\"a\": \"\xed\xa0\x80\"}]"), IWB_INPUT_FORMAT_JSON_ARRAY,
    "rows:1: byte 0xED at column 9 is not valid UTF-8", NULL, 0 },
  { "csv UTF-16 BOM", L ("\xff\xfe" "a\0\n\0"), IWB_INPUT_FORMAT_CSV,
    "rows:1: byte 0xFF at column 1 is not valid UTF-8", NULL, 0 },
  /* what parses: BOM, CRLF, lone CR inside quotes, blank lines */
  { "csv BOM CRLF", L ("\xef\xbb\xbf" "a,b\r\n1,2\r\n3,4\r\n"), IWB_INPUT_FORMAT_AUTO, NULL, NULL, 2 },
  { "jsonl BOM CRLF blank lines", L ("\xef\xbb\xbf{\"a\": 1}\r\n\r\n{\"a\": 2}\r\n"), IWB_INPUT_FORMAT_AUTO,
    NULL, NULL, 2 },
  { "csv quoted CRLF inside field", L ("a\r\n\"x\r\ny\"\r\n"), IWB_INPUT_FORMAT_CSV, NULL, NULL, 1 },
  /* shapes */
  { "csv ragged long", L ("a,b\n1,2,3\n"), IWB_INPUT_FORMAT_CSV, "rows:2: row 1 has 3 fields", NULL, 0 },
  { "jsonl top-level number", L ("5\n"), IWB_INPUT_FORMAT_JSONL, "rows:1:", "JSON object", 0 },
  { "jsonl top-level string", L ("\"s\"\n"), IWB_INPUT_FORMAT_JSONL, "rows:1:", "JSON object", 0 },
  { "jsonl two objects on a line", L ("{} {}\n"), IWB_INPUT_FORMAT_JSONL, "rows:1:", NULL, 0 },
  { "json array of numbers", L ("[1]"), IWB_INPUT_FORMAT_JSON_ARRAY, "rows: record 1:", NULL, 0 },
};

static void
test_input_encodings (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (input_cases); i++)
    {
      const InputCase *c = &input_cases[i];
      gsize len = c->len ? c->len : strlen (c->data);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;

      g_test_message ("%s", c->what);
      rows = iwb_input_rows_parse_named (c->data, len, c->format, "rows", &error);
      if (c->prefix == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, ==, c->n_rows);
          continue;
        }
      g_assert_null (rows);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (!g_str_has_prefix (error->message, c->prefix))
        g_error ("%s: “%s” does not start with “%s”", c->what, error->message, c->prefix);
      if (c->contains != NULL)
        g_assert_nonnull (strstr (error->message, c->contains));

      /* The JSON Lines index (the CLI's streaming reader) says the same
       * about the encoding as the parser does. */
      if (c->format == IWB_INPUT_FORMAT_JSONL &&
          (strstr (c->prefix, "NUL") != NULL || strstr (c->prefix, "UTF-8") != NULL))
        {
          g_autoptr(GError) index_error = NULL;
          g_autoptr(GArray) spans = iwb_input_rows_index_jsonl (c->data, len, "rows", NULL, &index_error);

          g_assert_null (spans);
          g_assert_error (index_error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
          g_assert_cmpstr (index_error->message, ==, error->message);
        }
    }
}

/* actionOverrides from a validator with a member of the wrong JSON type, at
 * every level: the override is refused with a message naming the member's
 * path and what it should be. The input members were not checked: a list
 * as a label, "yes" as optional, a string as options reached the forms. */
typedef struct
{
  const char *override;  /* one object of actionOverrides */
  const char *says;      /* NULL: well-formed */
} OverrideCase;

#define INPUT_WITH(member) \
  "{\"entrypoint\": \"main.post\", \"instantiation\": {\"steps\": [{\"inputs\": [" \
  "{\"id\": \"A\", \"label\": \"A\"}, {\"id\": \"B\", " member "}]}]}}"

static const OverrideCase override_cases[] = {
  { INPUT_WITH ("\"label\": \"B\", \"data_type\": \"int\", \"input_type\": \"text\", "
                "\"optional\": true, \"description\": null, \"default\": {\"any\": [1]}, "
                "\"options\": [\"x\", {\"label\": \"Y\", \"value\": \"y\"}], \"source\": \"param\""),
    NULL },
  { INPUT_WITH ("\"label\": null, \"optional\": null, \"options\": null, \"source\": null"), NULL },
  { INPUT_WITH ("\"label\": [1]"), "“instantiation.steps[0].inputs[1].label” (id “B”) is a list, not a string" },
  { INPUT_WITH ("\"label\": 7"), "inputs[1].label” (id “B”) is a number" },
  { INPUT_WITH ("\"data_type\": 5"), "inputs[1].data_type” (id “B”) is a number, not a string" },
  { INPUT_WITH ("\"data_type\": null"), "inputs[1].data_type” (id “B”) is null" },
  { INPUT_WITH ("\"input_type\": {}"), "inputs[1].input_type” (id “B”) is an object" },
  { INPUT_WITH ("\"optional\": \"yes\""), "inputs[1].optional” (id “B”) is a string, not true or false" },
  { INPUT_WITH ("\"optional\": 1"), "inputs[1].optional” (id “B”) is a number" },
  { INPUT_WITH ("\"description\": [[1]]"), "inputs[1].description” (id “B”) is a list" },
  { INPUT_WITH ("\"description\": false"), "inputs[1].description” (id “B”) is a boolean" },
  { INPUT_WITH ("\"options\": \"a,b\""), "inputs[1].options” (id “B”) is a string, not a list or null" },
  { INPUT_WITH ("\"options\": {\"a\": 1}"), "inputs[1].options” (id “B”) is an object" },
  { INPUT_WITH ("\"source\": 3"), "inputs[1].source” (id “B”) is a number" },
  { "{\"entrypoint\": \"main.post\", \"description\": 7}", "its “description” is a number" },
  { "{\"entrypoint\": \"main.post\", \"description\": [\"x\"]}", "its “description” is a list" },
  { "{\"entrypoint\": \"main.post\", \"description\": null}", NULL },
  { "{\"name\": {\"a\": 1}}", "its “name” is an object" },
};

static void
test_override_member_types (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (override_cases); i++)
    {
      const OverrideCase *c = &override_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (c->override, &error);
      gboolean ok;

      g_assert_no_error (error);
      g_test_message ("%s", c->override);
      ok = iwb_descriptor_override_check (json_node_get_object (node), &error);
      if (c->says == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR);
      if (strstr (error->message, c->says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, c->says);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/inputs/encodings", test_input_encodings);
  g_test_add_func ("/hostile/inputs/override-member-types", test_override_member_types);
  return g_test_run ();
}
