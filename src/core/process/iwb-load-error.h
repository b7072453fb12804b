/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "iwb-error.h"

G_BEGIN_DECLS

IwbErrorCode iwb_load_error_explain (const char *folder,
                                     const char *interpreter,
                                     JsonObject *facts,
                                     const char *sdk_error,
                                     GString    *out);
IwbErrorCode iwb_load_error_explain_all (const char         *folder,
                                         const char         *interpreter,
                                         JsonObject         *facts,
                                         const char * const *sdk_errors,
                                         GString            *out);
gboolean     iwb_load_error_check_link  (const char         *path,
                                         GError            **error);
char        *iwb_load_error_exit_site   (const char         *folder,
                                         JsonObject         *facts);

G_END_DECLS
