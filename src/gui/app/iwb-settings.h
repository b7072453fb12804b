/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's GSettings, for the application and its windows. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *iwb_settings_new (void);

G_END_DECLS
