/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the structural JSON diff (src/core/json/iwb-json-diff.h) as
 * `iwb diff` uses it, and its promise: the patch it gives turns the old
 * document into the new one (checked with the RFC 6902 applier).
 *
 * Input: "OLD\n%%\nNEW", two JSON documents (strict parser, as iwb diff).
 */
#include "config.h"

#include "fuzz-common.h"
#include "iwb-json-diff.h"
#include "iwb-json-patch.h"
#include "iwb-result-parser.h"

static JsonNode *
parse (const char *text,
       gsize       len)
{
  g_autofree char *error_message = NULL;

  if (!g_utf8_validate (text, len, NULL))
    return NULL;
  return iwb_json_parse (text, len, &error_message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *a_text, *b_text;
  size_t a_len, b_len;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(JsonNode) as_json = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *colored = NULL;

  iwb_fuzz_setup ();

  iwb_fuzz_split (data, size, &a_text, &a_len, &b_text, &b_len);
  a = parse (a_text, a_len);
  b = parse (b_text, b_len);
  if (a == NULL || b == NULL)
    return 0;

  changes = iwb_json_diff (a, b);
  IWB_FUZZ_CHECK (changes != NULL, "no change list");
  if (changes->len == 0 && !iwb_fuzz_has_nan (a))
    IWB_FUZZ_CHECK (iwb_json_equal (a, b), "no change between different documents");

  for (guint i = 0; i < changes->len; i++)
    {
      IwbJsonChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_pointer = iwb_json_change_dup_old_pointer (change);
      g_autofree char *new_pointer = iwb_json_change_dup_new_pointer (change);
      guint n = iwb_json_change_get_n_segments (change);

      IWB_FUZZ_CHECK (iwb_json_change_get_path (change) != NULL, "a change without a path");
      for (guint s = 0; s < n; s++)
        IWB_FUZZ_CHECK (iwb_json_change_get_segment (change, s) != NULL, "segment %u", s);
    }

  text = iwb_json_diff_to_text (changes, IWB_JSON_DIFF_TEXT_NONE);
  colored = iwb_json_diff_to_text (changes, IWB_JSON_DIFF_TEXT_COLOR);
  IWB_FUZZ_CHECK (text != NULL && colored != NULL, "no text");
  as_json = iwb_json_diff_to_json (changes);
  IWB_FUZZ_CHECK (as_json != NULL, "no JSON form");

  patch = iwb_json_diff_to_patch (changes);
  IWB_FUZZ_CHECK (patch != NULL, "no patch");
  patched = iwb_json_patch_apply (a, patch, &error);
  IWB_FUZZ_CHECK (patched != NULL, "the diff's own patch does not apply: %s",
                  error != NULL ? error->message : "(no error)");
  if (!iwb_fuzz_has_nan (a) && !iwb_fuzz_has_nan (b))
    {
      g_autofree char *want = json_to_string (b, FALSE);
      g_autofree char *got = json_to_string (patched, FALSE);

      IWB_FUZZ_CHECK (iwb_json_equal (patched, b),
                      "the patch does not turn old into new: want %s, got %s", want, got);
    }
  return 0;
}
