/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "iwb-error.h"

G_DEFINE_QUARK (iwb-error-quark, iwb_error)
