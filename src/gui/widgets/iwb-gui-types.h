/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Forward declarations of the GUI's objects, so that headers name each other
 * without including each other (GNOME Text Editor's editor-types.h). A header
 * of src/gui includes this file, core headers and the headers of lower GUI
 * layers only (widgets < views < pages < app); see docs/architecture.md.
 * It sits with the widgets, the lowest layer, so every layer may use it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _IwbApplication    IwbApplication;
typedef struct _IwbWindow         IwbWindow;
typedef struct _IwbConnectionPage IwbConnectionPage;
typedef struct _IwbActionPage     IwbActionPage;
typedef struct _IwbParamForm      IwbParamForm;
typedef struct _IwbRowsEditor     IwbRowsEditor;
typedef struct _IwbRunView        IwbRunView;
typedef struct _IwbDiffView       IwbDiffView;

/* What a window does on its own once its folder is loaded: driven from the
 * command line (`--demo`, `--validate`, `--run ACTION`) so that a state can
 * be reached without clicks (screenshots, demos). */
typedef struct
{
  gboolean  demo;       /* start the demo service, fill its credentials */
  gboolean  validate;   /* validate the connection after loading */
  char     *run_action; /* name or entrypoint of an action to run */
  gboolean  show_overrides; /* open the descriptor changes once a validation applied overrides */
  gboolean  show_http;  /* with run_action: the run's HTTP tab, its first call selected */
} IwbStartupRequest;

G_END_DECLS
