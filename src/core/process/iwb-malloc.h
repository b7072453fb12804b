/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How the program's allocator is set up, once, at the start of main()
 * (before any thread): see iwb-malloc.c.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void iwb_malloc_setup (void);

G_END_DECLS
