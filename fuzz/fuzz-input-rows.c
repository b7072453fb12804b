/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: input rows for an action run (src/core/process/
 * iwb-input-rows.h) in every format, and the JSON Lines index the CLI uses
 * for big inputs, checked against the row parser.
 *
 * Input: the file's bytes. The first line may name the format as
 * "#format=csv" (jsonl, json, auto); it is then removed. Without it, AUTO.
 */
#include "config.h"

#include "fuzz-common.h"
#include "iwb-error.h"
#include "iwb-input-rows.h"

static IwbInputFormat
take_format (const char **text,
             size_t      *len)
{
  static const char prefix[] = "#format=";
  const char *nl;
  g_autofree char *name = NULL;
  IwbInputFormat fmt = IWB_INPUT_FORMAT_AUTO;

  if (*len < sizeof prefix - 1 || memcmp (*text, prefix, sizeof prefix - 1) != 0)
    return IWB_INPUT_FORMAT_AUTO;
  nl = memchr (*text, '\n', *len);
  if (nl == NULL)
    return IWB_INPUT_FORMAT_AUTO;
  name = iwb_fuzz_strndup (*text + sizeof prefix - 1, nl - *text - (sizeof prefix - 1));
  if (!iwb_input_format_from_string (name, &fmt))
    fmt = IWB_INPUT_FORMAT_AUTO;
  *len -= nl + 1 - *text;
  *text = nl + 1;
  return fmt;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  size_t len = size;
  IwbInputFormat fmt, resolved;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) index_error = NULL;
  gboolean any_lhub_id = FALSE;

  iwb_fuzz_setup ();
  fmt = take_format (&text, &len);
  resolved = iwb_input_format_guess ("rows", text, len);

  rows = iwb_input_rows_parse_named (text, len, fmt, "rows.txt", &error);
  IWB_FUZZ_CHECK ((rows == NULL) == (error != NULL), "rows and error disagree");
  if (error != NULL)
    IWB_FUZZ_CHECK (g_error_matches (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT)
                    && g_str_has_prefix (error->message, "rows.txt"),
                    "error without the file name: %s", error->message);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    IWB_FUZZ_CHECK (g_ptr_array_index (rows, i) != NULL, "a NULL row");

  if (fmt == IWB_INPUT_FORMAT_AUTO)
    fmt = resolved;
  if (fmt != IWB_INPUT_FORMAT_JSONL)
    return 0;

  /* the index must accept exactly what the parser accepts, row for row */
  spans = iwb_input_rows_index_jsonl (text, len, "rows.txt", &any_lhub_id, &index_error);
  IWB_FUZZ_CHECK ((spans == NULL) == (index_error != NULL), "spans and error disagree");
  IWB_FUZZ_CHECK ((spans != NULL) == (rows != NULL),
                  "the JSONL index says %s, the row parser says %s",
                  index_error != NULL ? index_error->message : "valid",
                  error != NULL ? error->message : "valid");
  if (spans != NULL)
    {
      gboolean rows_lhub_id = FALSE;

      IWB_FUZZ_CHECK (spans->len == rows->len, "%u spans for %u rows", spans->len, rows->len);
      for (guint i = 0; i < spans->len; i++)
        {
          IwbRowSpan *span = &g_array_index (spans, IwbRowSpan, i);

          IWB_FUZZ_CHECK (span->offset + span->length <= len && text[span->offset] == '{',
                          "span %u is not an object in the data", i);
          if (json_object_has_member (g_ptr_array_index (rows, i), "lhub_id"))
            rows_lhub_id = TRUE;
        }
      /* may be TRUE for an escaped member name, never FALSE for lhub_id */
      IWB_FUZZ_CHECK (any_lhub_id || !rows_lhub_id, "any_lhub_id is FALSE but a row has lhub_id");
    }
  return 0;
}
