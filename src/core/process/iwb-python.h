/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "iwb-types.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_SDK_BUNDLED,   /* our python/lhub_integ first on PYTHONPATH (default) */
  IWB_SDK_INSTALLED, /* the interpreter's own lhub_integ */
} IwbSdkChoice;

#define IWB_TYPE_PYTHON (iwb_python_get_type ())
G_DECLARE_FINAL_TYPE (IwbPython, iwb_python, IWB, PYTHON, GObject)

IwbPython    *iwb_python_new              (const char    *interpreter,
                                           IwbSdkChoice   sdk);
const char   *iwb_python_get_requested    (IwbPython     *self);
IwbSdkChoice  iwb_python_get_sdk          (IwbPython     *self);
const char   *iwb_python_resolve          (IwbPython     *self,
                                           GError       **error);
char        **iwb_python_build_environ    (IwbPython     *self,
                                           const char * const *extra);
GSubprocess  *iwb_python_spawn            (IwbPython     *self,
                                           const char    *cwd,
                                           const char * const *args,
                                           char         **envp,
                                           GSubprocessFlags flags,
                                           GError       **error);

gboolean      iwb_sdk_choice_from_string  (const char    *str,
                                           IwbSdkChoice  *out);
const char   *iwb_python_get_runtime_dir  (void);
const char   *iwb_python_get_capture_speedups (void);
void          iwb_python_forget_stale_bytecode (const char *folder);
char         *iwb_relocate_installed_path (const char    *path);
void          iwb_kill_process_group      (GPid           pid);
void          iwb_kill_all_process_groups (void);
GPid          iwb_subprocess_get_pid      (GSubprocess   *subprocess);

G_END_DECLS
