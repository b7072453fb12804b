/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: dynamic overrides of the action descriptors
 * (src/core/json/iwb-overrides.h), the path a validator's output takes in
 * the window and the CLI: the overrides are found among the validation's
 * stdout lines, applied to the base descriptor, counted, summarised and
 * mapped to changed inputs.
 *
 * Input: "BASE\n%%\nSTDOUT": BASE is the base descriptor (JSON; when it does
 * not parse, a small built-in one is used so that the mutations of the
 * stdout part still reach apply()), STDOUT the validator's output lines.
 */
#include "config.h"

#include "fuzz-common.h"
#include "iwb-error.h"
#include "iwb-overrides.h"
#include "iwb-result-parser.h"

static const char fallback_base[] =
  "{\"name\":\"F\",\"actions\":[{\"name\":\"Post\",\"entrypoint\":\"main.post\","
  "\"description\":null,\"instantiation\":{\"steps\":[{\"inputs\":["
  "{\"id\":\"CHANNEL\",\"label\":\"CHANNEL\",\"data_type\":\"string\",\"input_type\":\"select\","
  "\"optional\":false,\"options\":[\"a\",\"b\"],\"source\":\"param\"},"
  "{\"id\":\"text\",\"label\":\"text\",\"data_type\":\"column\",\"input_type\":\"columnSelect\","
  "\"optional\":false,\"source\":\"column\"}]}]}}]}";

static JsonNode *
parse_base (const char *text,
            gsize       len)
{
  g_autofree char *error_message = NULL;
  JsonNode *node = NULL;

  if (g_utf8_validate (text, len, NULL))
    node = iwb_json_parse (text, len, &error_message);
  if (node == NULL)
    {
      g_clear_pointer (&error_message, g_free);
      node = iwb_json_parse (fallback_base, sizeof fallback_base - 1, &error_message);
      IWB_FUZZ_CHECK (node != NULL, "the built-in base does not parse: %s", error_message);
    }
  return node;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *base_text, *out_text;
  size_t base_len, out_len;
  g_autoptr(JsonNode) base = NULL;
  g_autoptr(JsonNode) overrides = NULL;
  g_autoptr(JsonNode) effective = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) changed = NULL;
  g_autofree char *out = NULL;
  g_autofree char *summary = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_inputs = 0, n_actions = 0;

  iwb_fuzz_setup ();

  iwb_fuzz_split (data, size, &base_text, &base_len, &out_text, &out_len);
  if (!g_utf8_validate (out_text, out_len, NULL))
    return 0; /* the window and the CLI make stdout valid UTF-8 first */
  base = parse_base (base_text, base_len);

  out = iwb_fuzz_strndup (out_text, out_len);
  lines = g_strsplit (out, "\n", -1);
  if (!iwb_overrides_find_in_lines ((const char * const *) lines, &overrides, &error))
    {
      IWB_FUZZ_CHECK (overrides == NULL, "overrides returned with FALSE");
      if (error != NULL)
        IWB_FUZZ_CHECK (g_error_matches (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE),
                        "unexpected error: %s", error->message);
      return 0;
    }
  IWB_FUZZ_CHECK (overrides != NULL && error == NULL, "TRUE without overrides");

  effective = iwb_overrides_apply (base, overrides, &warnings, &error);
  if (effective == NULL)
    {
      IWB_FUZZ_CHECK (g_error_matches (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE),
                      "apply failed without an INVALID_OVERRIDE error");
      return 0;
    }
  IWB_FUZZ_CHECK (error == NULL, "an effective descriptor and an error");
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    IWB_FUZZ_CHECK (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL),
                    "a warning is not UTF-8");

  iwb_overrides_count_changes (base, effective, &n_inputs, &n_actions);
  IWB_FUZZ_CHECK (n_inputs == 0 || n_actions > 0, "%u inputs changed in no action", n_inputs);
  summary = iwb_overrides_summary (base, effective);
  IWB_FUZZ_CHECK (summary != NULL, "no summary");
  changed = iwb_overrides_changed_inputs (base, effective);
  IWB_FUZZ_CHECK (changed != NULL, "no changed-input table");
  return 0;
}
