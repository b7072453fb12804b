/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-integration.h"

G_BEGIN_DECLS

/* Static facts about an integration folder, gathered by a small Python `ast`
 * script (the integration's code is parsed, never imported). The loader runs
 * it in the generate_metadata child before the SDK takes over (see
 * iwb-loader.c); iwb_lint_get_script() is the same as a standalone script. */
const char *iwb_lint_get_script (void);
const char *iwb_lint_get_facts_function (void);
/* `_iwb_watch(prefix)`: reports, at run time, where the import of a
 * top-level module raised (one JSON line per failed module, printed after
 * PREFIX); the loader adds them to the facts as the "import_errors" array. */
const char *iwb_lint_get_import_watch_function (void);
#define IWB_LINT_IMPORT_ERROR_PREFIX "[iwb-import-error] "

/* Warnings the SDK does not give, from the metadata model and the facts
 * (JSON printed by the script). Returns (element-type IwbDiagnostic).
 * Diagnostic codes:
 *   several-docstrings          a second module with a docstring (file:line of it)
 *   key-in-word                 `hostname:` read as `name:` (and the like)
 *   column-data-type            DataType.COLUMN given to a parameter
 *   optional-without-default    optional NUMBER/INT/BOOL/JSON param without a default
 *   unknown-action              ActionParam(action=…) attached to no action
 *   docstring-unknown-argument  `:param x:` for an argument the action lacks */
GPtrArray  *iwb_lint_check      (IwbIntegration *integration,
                                 JsonObject     *facts);

/* Queries over the facts, for error messages with file:line. */
gboolean    iwb_lint_find_syntax_error (JsonObject   *facts,
                                        char        **file,
                                        guint        *line,
                                        char        **message,
                                        char        **text);
gboolean    iwb_lint_find_import       (JsonObject   *facts,
                                        const char   *module,
                                        char        **file,
                                        guint        *line);
gboolean    iwb_lint_find_relative_import (JsonObject *facts,
                                           char      **file,
                                           guint      *line);
gboolean    iwb_lint_find_param        (JsonObject   *facts,
                                        const char   *kind,
                                        const char   *id,
                                        char        **file,
                                        guint        *line);
gboolean    iwb_lint_find_duplicate_param (JsonObject *facts,
                                           const char *kind,
                                           const char *id,
                                           char      **file,
                                           guint      *line);
gboolean    iwb_lint_find_key_at_end   (JsonObject   *facts,
                                        char        **file,
                                        guint        *line,
                                        char        **key);
gboolean    iwb_lint_find_module_read  (JsonObject   *facts,
                                        const char   *id,
                                        char        **file,
                                        guint        *line);
gboolean    iwb_lint_find_column_use   (JsonObject   *facts,
                                        char        **file,
                                        guint        *line);
gboolean    iwb_lint_find_doc_field    (JsonObject          *facts,
                                        const char * const  *keys,
                                        char               **file,
                                        guint               *line,
                                        char               **function,
                                        char               **key,
                                        char               **name);
gboolean    iwb_lint_find_bad_doc_field (JsonObject  *facts,
                                         char       **file,
                                         guint       *line,
                                         char       **function,
                                         char       **text);

G_END_DECLS
