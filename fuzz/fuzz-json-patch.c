/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the RFC 6902 patch applier and RFC 6901 pointers
 * (src/core/json/iwb-json-patch.h) on any document and any patch.
 *
 * Input: "DOCUMENT\n%%\nPATCH". Each operation's "path" and "from" are also
 * looked up alone with iwb_json_pointer_get().
 */
#include "config.h"

#include "fuzz-common.h"
#include "iwb-error.h"
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

static void
lookup (JsonNode   *document,
        JsonObject *op,
        const char *member)
{
  JsonNode *node = json_object_get_member (op, member);
  JsonNode *found; /* transfer none */
  g_autoptr(GError) error = NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return;
  found = iwb_json_pointer_get (document, json_node_get_string (node), &error);
  IWB_FUZZ_CHECK ((found == NULL) == (error != NULL), "pointer result and error disagree");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *doc_text, *patch_text;
  size_t doc_len, patch_len;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GError) error = NULL;

  iwb_fuzz_setup ();

  iwb_fuzz_split (data, size, &doc_text, &doc_len, &patch_text, &patch_len);
  document = parse (doc_text, doc_len);
  patch = parse (patch_text, patch_len);
  if (document == NULL || patch == NULL)
    return 0;

  copy = iwb_json_deep_copy (document);

  if (JSON_NODE_HOLDS_ARRAY (patch))
    {
      JsonArray *ops = json_node_get_array (patch);

      for (guint i = 0; i < json_array_get_length (ops); i++)
        {
          JsonNode *op = json_array_get_element (ops, i);

          if (JSON_NODE_HOLDS_OBJECT (op))
            {
              lookup (document, json_node_get_object (op), "path");
              lookup (document, json_node_get_object (op), "from");
            }
        }
    }

  patched = iwb_json_patch_apply (document, patch, &error);
  IWB_FUZZ_CHECK ((patched == NULL) == (error != NULL), "patch result and error disagree");
  if (error != NULL)
    IWB_FUZZ_CHECK (error->domain == IWB_ERROR && g_utf8_validate (error->message, -1, NULL),
                    "unexpected error %s", error->message);
  /* the document given is not modified */
  if (!iwb_fuzz_has_nan (copy))
    IWB_FUZZ_CHECK (iwb_json_equal (document, copy), "iwb_json_patch_apply changed its input");
  return 0;
}
