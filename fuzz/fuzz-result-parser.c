/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the child's stdout lines through the [result] parser
 * (iwb_result_parse_line, iwb_result_classify) and the strict JSON parser
 * behind it (iwb_json_parse against iwb_json_check_object).
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
