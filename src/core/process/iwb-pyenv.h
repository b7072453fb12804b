/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbPyenv: the Python environment of one integration, built from its
 * requirements.txt the way the platform builds the integration's container.
 *
 * Where: $XDG_CACHE_HOME/integration-workbench/envs/NAME-KEY/, one folder per
 * (integration folder, interpreter): KEY hashes the real path of the
 * integration folder and the path of the base interpreter (its folder
 * resolved: a venv's python is not the interpreter it links to). The file
 * `iwb-env.json` inside records the interpreter's version and the SHA-256 of
 * the requirements.txt it was built from; it is written last, so a folder
 * without it is an interrupted creation.
 *
 * States: NONE (no folder), READY, STALE (requirements.txt changed or is
 * gone since), BROKEN (interrupted creation, interpreter gone or of another
 * minor version). Creating replaces whatever was there.
 *
 * Creating runs `BASE -m venv --system-site-packages PATH` (Debian's
 * python3-* packages stay visible; iwb_pyenv_set_isolated() drops them),
 * then `PATH/bin/python -m pip install -r requirements.txt` in the
 * integration folder. pip's own settings reach it: PIP_* variables
 * (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS, PIP_NO_INDEX, ...),
 * PIP_CONFIG_FILE / pip.conf, and the proxy variables; the setters below add
 * command-line options, which win over them. Every line of venv and pip is
 * emitted as "output"; "progress" follows the steps. A cancel kills the
 * whole process group and removes the half-made folder.
 *
 * The runs of the integration use the environment through an IwbPython
 * whose interpreter is iwb_pyenv_get_interpreter(): with the bundled SDK,
 * PYTHONPATH still puts python/lhub_integ first; with the installed SDK, the
 * base interpreter's site-packages stay visible (not in isolated ones).
 *
 * For the window: where it creates the IwbPython of an integration (today
 * iwb_session_create_python() in session/iwb-session.c, for loads and
 * runs), pass that IwbPython (the preferences' interpreter and SDK) as
 * @base to iwb_pyenv_python_for_folder() with the session's folder and use
 * what it returns; show iwb_python_get_requested() of it in the header. (The
 * CLI skips the environment only for an explicit --python.) An env view
 * binds to an IwbPyenv made with the same @base: "output", "progress",
 * notify::state, notify::busy; iwb_pyenv_refresh() when the folder
 * changes (requirements.txt); iwb_pyenv_get_path() for "Open Folder".
 */
#pragma once

#include <gio/gio.h>

#include "iwb-python.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_PYENV_STATE_NONE,
  IWB_PYENV_STATE_READY,
  IWB_PYENV_STATE_STALE,
  IWB_PYENV_STATE_BROKEN,
} IwbPyenvState;

#define IWB_PYENV_STAMP "iwb-env.json"

#define IWB_TYPE_PYENV (iwb_pyenv_get_type ())
G_DECLARE_FINAL_TYPE (IwbPyenv, iwb_pyenv, IWB, PYENV, GObject)

/* @base: the interpreter the environment is made from (its SDK choice is
 * kept by iwb_pyenv_dup_python()). The state is read at once. */
IwbPyenv      *iwb_pyenv_new                  (GFile               *folder,
                                               IwbPython           *base);
GFile         *iwb_pyenv_get_folder           (IwbPyenv            *self);
IwbPython     *iwb_pyenv_get_base             (IwbPyenv            *self);
/* The environment's folder ("Open Folder"), whether it exists or not; NULL
 * when the base interpreter cannot be found (see iwb_pyenv_get_problem()). */
const char    *iwb_pyenv_get_path             (IwbPyenv            *self);
/* PATH/bin/python; NULL like the path. */
const char    *iwb_pyenv_get_interpreter      (IwbPyenv            *self);
gboolean       iwb_pyenv_has_requirements     (IwbPyenv            *self);
IwbPyenvState  iwb_pyenv_get_state            (IwbPyenv            *self);
/* Why the state is STALE or BROKEN, or why there can be no environment;
 * NULL otherwise. */
const char    *iwb_pyenv_get_problem          (IwbPyenv            *self);
/* What the stamp says: the interpreter version, isolated or not. */
const char    *iwb_pyenv_get_python_version   (IwbPyenv            *self);
gboolean       iwb_pyenv_get_isolated         (IwbPyenv            *self);
/* Reads the disk again (requirements.txt changed...) and notifies state. */
IwbPyenvState  iwb_pyenv_refresh              (IwbPyenv            *self);
gboolean       iwb_pyenv_get_busy             (IwbPyenv            *self);
double         iwb_pyenv_get_fraction         (IwbPyenv            *self);
const char    *iwb_pyenv_get_step             (IwbPyenv            *self);

/* An IwbPython running the environment's interpreter with @base's SDK
 * choice; NULL unless the state is READY or STALE. */
IwbPython     *iwb_pyenv_dup_python           (IwbPyenv            *self);

/* Options of the next creation (pip's command-line options). */
void           iwb_pyenv_set_isolated         (IwbPyenv            *self,
                                               gboolean             isolated);
void           iwb_pyenv_set_index_url        (IwbPyenv            *self,
                                               const char          *url);
void           iwb_pyenv_set_extra_index_urls (IwbPyenv            *self,
                                               const char * const  *urls);
/* Folders of wheels (absolute paths) or URLs of pages of links. */
void           iwb_pyenv_set_find_links       (IwbPyenv            *self,
                                               const char * const  *links);
void           iwb_pyenv_set_no_index         (IwbPyenv            *self,
                                               gboolean             no_index);
void           iwb_pyenv_set_proxy            (IwbPyenv            *self,
                                               const char          *proxy);

/* Creates (or re-creates) the environment. Errors: IWB_ERROR_NOT_FOUND (no
 * requirements.txt), IWB_ERROR_PYTHON_NOT_FOUND, IWB_ERROR_CANCELLED,
 * IWB_ERROR_FAILED (venv or pip failed: their own ERROR lines in the
 * message). Emits "output" and "progress" on the caller's main context. */
void           iwb_pyenv_create_async         (IwbPyenv            *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       iwb_pyenv_create_finish        (IwbPyenv            *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Removes the environment's folder (in a thread); no environment is fine. */
void           iwb_pyenv_delete_async         (IwbPyenv            *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       iwb_pyenv_delete_finish        (IwbPyenv            *self,
                                               GAsyncResult        *result,
                                               GError             **error);
gboolean       iwb_pyenv_delete               (IwbPyenv            *self,
                                               GError             **error);

/* -- for the loader, the CLI and the window */

const char    *iwb_pyenv_state_to_string      (IwbPyenvState        state);
/* $XDG_CACHE_HOME/integration-workbench/envs */
char          *iwb_pyenv_dup_envs_dir         (void);
gboolean       iwb_pyenv_folder_has_requirements (GFile            *folder);
/* The IwbPython the loads and runs of @folder use when the user did not
 * choose an interpreter: the environment's (READY or STALE) or a new
 * reference to @base. @state (nullable) tells which. */
IwbPython     *iwb_pyenv_python_for_folder    (GFile               *folder,
                                               IwbPython           *base,
                                               IwbPyenvState       *state);
/* For a loader error "No module named MODULE": a sentence saying whether an
 * environment would help and how to get it (never "pip install" into the
 * system interpreter, which Debian forbids, PEP 668). */
char          *iwb_pyenv_advice_for_missing_module (GFile          *folder,
                                                    IwbPython      *base,
                                                    const char     *module);

G_END_DECLS
