/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What generate_metadata printed for a folder, kept in the user's cache
 * (integration-workbench/metadata/) and keyed by everything it depends on:
 * the interpreter, the SDK choice and the bundled runtime's files, the
 * child's environment, and every file of the folder (names, sizes and whole
 * contents). Only successful loads are kept. A folder over the size bound
 * is never cached. For IwbLoader (iwb_loader_set_use_cache()).
 */
#pragma once

#include "iwb-python.h"

G_BEGIN_DECLS

/* NULL when the folder cannot be cached (too big, unreadable). */
char     *_iwb_loader_cache_key   (IwbPython   *python,
                                   const char  *interpreter,
                                   const char  *folder);
gboolean  _iwb_loader_cache_read  (const char  *key,
                                   char       **facts,
                                   char       **result);
void      _iwb_loader_cache_write (const char  *key,
                                   const char  *facts,
                                   const char  *result);

G_END_DECLS
