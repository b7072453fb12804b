/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbLoader internals shared by iwb-loader.c and iwb-loader-bootstrap.c. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The bootstrap's first stdout line starts with this; the facts follow. */
#define FACTS_PREFIX     "[iwb-facts] "

/* TRUE if @folder is a readable local folder with a top-level .py file;
 * else an IWB_ERROR that says what to choose instead. */
gboolean    _iwb_loader_check_folder     (GFile   *folder,
                                          GError **error);
/* The `python3 -c` script of the child (built once). */
const char *_iwb_loader_bootstrap_script (void);

G_END_DECLS
