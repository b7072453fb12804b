/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the child's stdout lines through the [result] parser
 * (iwb_result_parse_line, iwb_result_classify) and the strict JSON parser
 * behind it (iwb_json_parse against iwb_json_check_object); the tree-less
 * reader (iwb_result_read_line, iwb_result_canonical_json) must say and
 * print exactly what the tree does.
 *
 * Input: any bytes; each '\n'-separated line is one stdout line, and the
 * whole input is also one JSON text. Like the run (iwb-run.c), only valid
 * UTF-8 reaches the parsers, as their contract requires.
 */
#include "config.h"

#include "fuzz-common.h"
#include "iwb-result-parser.h"

static void
parse_line (const char *line,
            gsize       len)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) lhub_id = NULL;
  g_autofree char *error_message = NULL;

  switch (iwb_result_parse_line (line, len, &value, &lhub_id, &error_message))
    {
    case IWB_RESULT_LINE_NONE:
      IWB_FUZZ_CHECK (len < 8 || memcmp (line, "[result]", 8) != 0,
                      "a [result] line was taken for a log line");
      break;
    case IWB_RESULT_LINE_OK:
      IWB_FUZZ_CHECK (value != NULL, "OK without a value");
      (void) iwb_result_classify (value);
      break;
    case IWB_RESULT_LINE_INVALID:
      IWB_FUZZ_CHECK (error_message != NULL && g_utf8_validate (error_message, -1, NULL),
                      "INVALID without a readable message");
      break;
    default:
      IWB_FUZZ_CHECK (FALSE, "unknown status");
    }

  /* the same line without a tree */
  {
    g_autoptr(JsonNode) value2 = NULL;
    g_autoptr(JsonNode) lhub_id2 = NULL;
    g_autofree char *error_message2 = NULL;
    g_autoptr(GString) canonical = g_string_new (NULL);
    IwbResultShape shape;
    gboolean nonfinite;
    IwbResultLineStatus status = iwb_result_read_line (line, len, canonical, &nonfinite, &shape,
                                                       &value2, &lhub_id2, &error_message2);

    IWB_FUZZ_CHECK ((value != NULL) == (status == IWB_RESULT_LINE_OK),
                    "iwb_result_read_line and iwb_result_parse_line disagree");
    IWB_FUZZ_CHECK (g_strcmp0 (error_message, error_message2) == 0, "the messages differ");
    if (value != NULL)
      {
        g_autofree char *text = iwb_json_to_string (value, FALSE);
        g_autofree char *id = lhub_id ? iwb_json_to_string (lhub_id, FALSE) : NULL;
        g_autofree char *id2 = lhub_id2 ? iwb_json_to_string (lhub_id2, FALSE) : NULL;

        IWB_FUZZ_CHECK (g_str_equal (text, canonical->str), "canonical text %s, tree prints %s",
                        canonical->str, text);
        IWB_FUZZ_CHECK (shape == iwb_result_classify (value), "the shapes differ");
        IWB_FUZZ_CHECK (g_strcmp0 (id, id2) == 0, "the lhub_ids differ");
        IWB_FUZZ_CHECK (value2 != NULL || shape == IWB_RESULT_SHAPE_VALUE ||
                        shape == IWB_RESULT_SHAPE_EMPTY_SUCCESS, "a tree is missing");
      }
    else
      IWB_FUZZ_CHECK (canonical->len == 0 && value2 == NULL, "text or tree for a line that failed");
  }
}

static void
parse_document (const char *text,
                gsize       len)
{
  g_autofree char *parse_error = NULL;
  g_autofree char *check_error = NULL;
  g_autoptr(JsonNode) node = iwb_json_parse (text, len, &parse_error);
  gsize start = 0;
  gboolean has_lhub_id = FALSE;
  gboolean is_object = iwb_json_check_object (text, len, &start, &has_lhub_id, &check_error);

  IWB_FUZZ_CHECK ((node == NULL) == (parse_error != NULL), "value and error disagree");
  {
    g_autoptr(GString) canonical = g_string_new (NULL);
    gboolean ok = iwb_result_canonical_json (text, len, canonical, NULL);

    IWB_FUZZ_CHECK (ok == (node != NULL), "iwb_result_canonical_json and iwb_json_parse disagree");
    if (ok)
      {
        g_autofree char *printed = iwb_json_to_string (node, FALSE);

        IWB_FUZZ_CHECK (g_str_equal (printed, canonical->str), "canonical text %s, tree prints %s",
                        canonical->str, printed);
      }
  }
  IWB_FUZZ_CHECK (is_object == (check_error == NULL), "check result and error disagree");
  /* the checker and the parser must agree on what one JSON object is */
  IWB_FUZZ_CHECK (is_object == (node != NULL && JSON_NODE_HOLDS_OBJECT (node)),
                  "iwb_json_check_object says %d, iwb_json_parse says %s",
                  is_object, node == NULL ? "invalid" : json_node_type_name (node));
  if (is_object)
    {
      IWB_FUZZ_CHECK (start < len && text[start] == '{', "object_start is not a '{'");
      /* has_lhub_id may be TRUE for an escaped name (the checker does not
       * unescape), never FALSE for an object that has the member */
      IWB_FUZZ_CHECK (has_lhub_id || !json_object_has_member (json_node_get_object (node), "lhub_id"),
                      "has_lhub_id is FALSE for an object with lhub_id");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *end = text + size;
  const char *line = text;

  iwb_fuzz_setup ();

  while (line <= end)
    {
      const char *nl = memchr (line, '\n', end - line);
      gsize len = (nl != NULL ? nl : end) - line;

      if (g_utf8_validate (line, len, NULL))
        parse_line (line, len);
      if (nl == NULL)
        break;
      line = nl + 1;
    }

  if (g_utf8_validate (text, size, NULL))
    parse_document (text, size);
  return 0;
}
