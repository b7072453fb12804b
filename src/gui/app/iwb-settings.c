/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's GSettings (see iwb-settings.h). */
#include "config.h"

#include "iwb-settings.h"

#define SCHEMA_ID "io.github.lhub.IntegrationWorkbench"

/**
 * iwb_settings_new:
 *
 * The application's settings. The schema is looked up where GLib looks
 * (installed, or `GSETTINGS_SCHEMA_DIR`), then in the build tree (running
 * uninstalled). When it is nowhere the settings live in memory for this
 * session instead of aborting the process.
 */
GSettings *
iwb_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) build_source = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    return g_settings_new (SCHEMA_ID);

  build_source = g_settings_schema_source_new_from_directory (IWB_BUILD_ROOT "/data", source,
                                                              FALSE, NULL);
  if (build_source != NULL)
    schema = g_settings_schema_source_lookup (build_source, SCHEMA_ID, FALSE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed: preferences are kept for this session only. "
                 "Install the application or set GSETTINGS_SCHEMA_DIR to the build tree’s data folder.",
                 SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

