/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-action.h"
#include "iwb-param.h"

G_BEGIN_DECLS

/* One lint finding: file relative to the integration folder (nullable),
 * line 1-based (0 = unknown), a stable code a test can assert on, and a
 * message for the user. */
typedef struct
{
  char  *file;
  guint  line;
  char  *code;
  char  *message;
} IwbDiagnostic;

#define IWB_TYPE_DIAGNOSTIC (iwb_diagnostic_get_type ())
GType          iwb_diagnostic_get_type  (void) G_GNUC_CONST;
IwbDiagnostic *iwb_diagnostic_new       (const char          *file,
                                         guint                line,
                                         const char          *code,
                                         const char          *message);
IwbDiagnostic *iwb_diagnostic_copy      (const IwbDiagnostic *diagnostic);
void           iwb_diagnostic_free      (IwbDiagnostic       *diagnostic);
char          *iwb_diagnostic_to_string (const IwbDiagnostic *diagnostic);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IwbDiagnostic, iwb_diagnostic_free)

#define IWB_TYPE_INTEGRATION (iwb_integration_get_type ())
G_DECLARE_FINAL_TYPE (IwbIntegration, iwb_integration, IWB, INTEGRATION, GObject)

IwbIntegration     *iwb_integration_new                (GFile          *folder,
                                                        const char     *name,
                                                        const char     *description,
                                                        const char     *logo_url,
                                                        GPtrArray      *connection_params,
                                                        GPtrArray      *actions,
                                                        const char * const *errors,
                                                        const char     *metadata_json);
GFile              *iwb_integration_get_folder         (IwbIntegration *self);
const char         *iwb_integration_get_name           (IwbIntegration *self);
const char         *iwb_integration_get_description    (IwbIntegration *self);
const char         *iwb_integration_get_logo_url       (IwbIntegration *self);
GListModel         *iwb_integration_get_connection_params (IwbIntegration *self);
GListModel         *iwb_integration_get_actions        (IwbIntegration *self);
const char * const *iwb_integration_get_errors         (IwbIntegration *self);
GPtrArray          *iwb_integration_get_warnings       (IwbIntegration *self);
void                iwb_integration_add_warning        (IwbIntegration *self,
                                                        IwbDiagnostic  *diagnostic);
const char         *iwb_integration_get_metadata_json  (IwbIntegration *self);
IwbAction          *iwb_integration_find_action        (IwbIntegration *self,
                                                        const char     *entrypoint_or_name);

G_END_DECLS
