/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by iwb-load-error.c and iwb-load-error-links.c only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *_iwb_load_error_broken_link           (const char *folder,
                                                 const char *rel);
char     *_iwb_load_error_not_a_file            (const char *folder,
                                                 const char *rel);
char     *_iwb_load_error_broken_link_of_module (const char *folder,
                                                 const char *module);
gboolean  _iwb_load_error_is_local_module       (const char *folder,
                                                 const char *module);

G_END_DECLS
