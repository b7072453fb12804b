/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON diff tests' shared helpers (declared in test-json-diff-util.h). */
#include "config.h"

#include "test-json-diff-util.h"

static char *
to_compact (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

GPtrArray *
diff_checked (JsonNode *a,
              JsonNode *b)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a_before = to_compact (a);
  g_autofree char *b_before = to_compact (b);
  GPtrArray *changes = iwb_json_diff (a, b);
  g_autoptr(JsonNode) patch = iwb_json_diff_to_patch (changes);
  g_autoptr(JsonNode) applied = iwb_json_patch_apply (a, patch, &error);
  g_autoptr(GPtrArray) back = iwb_json_diff (b, a);
  g_autoptr(JsonNode) back_patch = iwb_json_diff_to_patch (back);
  g_autoptr(JsonNode) back_applied = NULL;
  g_autofree char *a_after = NULL;
  g_autofree char *b_after = NULL;

  if (error != NULL)
    {
      g_autofree char *ptext = to_compact (patch);
      g_printerr ("A = %s\nB = %s\npatch = %s\n", a_before, b_before, ptext);
    }
  g_assert_no_error (error);
  if (!iwb_json_equal (applied, b))
    {
      g_autofree char *ptext = to_compact (patch);
      g_autofree char *got = to_compact (applied);
      g_printerr ("A = %s\nB = %s\npatch = %s\ngot = %s\n", a_before, b_before, ptext, got);
    }
  g_assert_true (iwb_json_equal (applied, b));

  back_applied = iwb_json_patch_apply (b, back_patch, &error);
  g_assert_no_error (error);
  g_assert_true (iwb_json_equal (back_applied, a));

  /* Neither input was modified. */
  a_after = to_compact (a);
  b_after = to_compact (b);
  g_assert_cmpstr (a_before, ==, a_after);
  g_assert_cmpstr (b_before, ==, b_after);

  /* Equal documents have no changes, whatever their member order. */
  g_assert_cmpuint (changes->len == 0, ==, iwb_json_equal (a, b));
  return changes;
}

guint
diff_count_kind (GPtrArray         *changes,
                 IwbJsonChangeKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < changes->len; i++)
    if (iwb_json_change_get_kind (changes->pdata[i]) == kind)
      n++;
  return n;
}
