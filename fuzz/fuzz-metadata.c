/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the metadata the loader reads from the child
 * (iwb_metadata_parse), then what the program does next with the model:
 * the descriptor is built and printed, each action is looked up by its
 * entrypoint, and each param's default and environment name are formatted.
 *
 * Input: the metadata text. The loader hands the parser a NUL-terminated
 * string, so the input stops at its first NUL byte.
 */
#include "config.h"

#include "fuzz-common.h"
#include "iwb-action.h"
#include "iwb-descriptor.h"
#include "iwb-metadata.h"
#include "iwb-param.h"

static void
visit_params (GListModel *params)
{
  guint n = g_list_model_get_n_items (params);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (params, i);
      g_autofree char *default_text = iwb_param_dup_default_text (param);
      g_autofree char *env_name = iwb_param_dup_env_name (param);

      IWB_FUZZ_CHECK (iwb_param_get_id (param) != NULL, "a param without an id");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *json = iwb_fuzz_strndup ((const char *) data, size);
  g_autoptr(GFile) folder = g_file_new_for_path ("/nonexistent/iwb-fuzz-integration");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autofree char *text = NULL;
  GListModel *actions;
  guint n_actions;

  iwb_fuzz_setup ();

  integration = iwb_metadata_parse (json, folder, &error);
  if (integration == NULL)
    {
      IWB_FUZZ_CHECK (error != NULL && error->message != NULL, "NULL without an error");
      return 0;
    }
  IWB_FUZZ_CHECK (error == NULL, "a model and an error");

  visit_params (iwb_integration_get_connection_params (integration));
  actions = iwb_integration_get_actions (integration);
  n_actions = g_list_model_get_n_items (actions);
  for (guint i = 0; i < n_actions; i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (actions, i);
      g_autoptr(JsonNode) action_descriptor = iwb_descriptor_build_action (action);
      const char *entrypoint = iwb_action_get_entrypoint (action);

      visit_params (iwb_action_get_params (action));
      visit_params (iwb_action_get_inputs (action));
      if (entrypoint != NULL)
        IWB_FUZZ_CHECK (iwb_integration_find_action (integration, entrypoint) != NULL,
                        "action %s not found by its entrypoint", entrypoint);
    }

  descriptor = iwb_descriptor_build (integration);
  IWB_FUZZ_CHECK (descriptor != NULL, "no descriptor");
  text = iwb_descriptor_to_string (descriptor, TRUE);
  IWB_FUZZ_CHECK (text != NULL, "no descriptor text");
  /* a lone surrogate escape ("\ud800") must not reach the model as bytes
   * that are not UTF-8 (regression: tests/fuzz-corpus/metadata/regress-lone-surrogate) */
  IWB_FUZZ_CHECK (g_utf8_validate (text, -1, NULL),
                  "the descriptor built from the metadata is not valid UTF-8");
  return 0;
}
