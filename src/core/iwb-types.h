/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _IwbPython      IwbPython;
typedef struct _IwbParam       IwbParam;
typedef struct _IwbAction      IwbAction;
typedef struct _IwbIntegration IwbIntegration;
typedef struct _IwbRun         IwbRun;
typedef struct _IwbRunEvent    IwbRunEvent;

G_END_DECLS
