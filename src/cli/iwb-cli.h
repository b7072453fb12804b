/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "iwb-python.h"

G_BEGIN_DECLS

/* Exit codes shared by every subcommand (documented in `iwb --help`). */
#define IWB_EXIT_OK             0
#define IWB_EXIT_REPORTED       1  /* the integration reported errors */
#define IWB_EXIT_FAILED         2  /* could not load / child failed hard */
#define IWB_EXIT_TIMEOUT        3  /* timed out or cancelled */
#define IWB_EXIT_USAGE         64

/* Each subcommand: argv[0] is the subcommand's name. Returns the exit code. */
typedef int (*IwbCommandFunc) (int argc, char **argv);

/* -- subcommands: one declaration per file iwb-cmd-<name>.c */
int iwb_cmd_inspect (int argc, char **argv);
int iwb_cmd_validate (int argc, char **argv);
int iwb_cmd_run (int argc, char **argv);
int iwb_cmd_demo_service (int argc, char **argv);
int iwb_cmd_diff (int argc, char **argv);
int iwb_cmd_profile (int argc, char **argv);
int iwb_cmd_history (int argc, char **argv);
int iwb_cmd_diagnose (int argc, char **argv);
int iwb_cmd_env (int argc, char **argv);
/* In iwb-cmd-env.c: the interpreter of inspect/validate/run for FOLDER:
 * --python (@python_option) when given, else the integration's environment
 * (iwb env create) when it is ready or stale, else the default one. */
IwbPython *iwb_cli_python_for_folder (const char *python_option, IwbSdkChoice sdk,
                                      const char *folder);
struct _IwbRun; /* `iwb validate --show-overrides`, in iwb-cmd-diff.c */
int iwb_cmd_diff_show_overrides (struct _IwbRun *run, gboolean machine, int exit_code);

G_END_DECLS
