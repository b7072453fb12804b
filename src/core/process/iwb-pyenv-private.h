/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbPyenv internals shared by iwb-pyenv.c (state, stamp, delete) and
 * iwb-pyenv-create.c (venv + pip children). */
#pragma once

#include "iwb-pyenv.h"

G_BEGIN_DECLS

struct _IwbPyenv
{
  GObject        parent_instance;

  GFile         *folder;
  char          *folder_path;     /* real path */
  IwbPython     *base;
  char          *base_path;       /* real path of the base interpreter */
  char          *path;            /* the environment's folder */
  char          *interpreter;     /* path/bin/python */

  IwbPyenvState  state;
  char          *problem;
  char          *python_version;  /* from the stamp */
  gboolean       stamp_isolated;
  gboolean       has_requirements;

  /* options of the next creation */
  gboolean       isolated;
  gboolean       no_index;
  char          *index_url;
  char          *proxy;
  GStrv          extra_index_urls;
  GStrv          find_links;

  /* while creating */
  gboolean       busy;
  double         fraction;
  char          *step;
};

#define IWB_PYENV_MAX_REQUIREMENTS (1024 * 1024)

void      _iwb_pyenv_set_busy          (IwbPyenv    *self,
                                        gboolean     busy);
void      _iwb_pyenv_set_progress      (IwbPyenv    *self,
                                        double       fraction,
                                        const char  *step);
void      _iwb_pyenv_emit_output       (IwbPyenv    *self,
                                        const char  *line,
                                        gboolean     from_stderr);
/* The SHA-256 of requirements.txt and the number of requirement lines. */
char     *_iwb_pyenv_hash_requirements (IwbPyenv    *self,
                                        guint       *n_requirements,
                                        GError     **error);
gboolean  _iwb_pyenv_write_stamp       (IwbPyenv    *self,
                                        const char  *requirements_sha256,
                                        GError     **error);
/* Removes @path and everything below it, never following symbolic links. */
gboolean  _iwb_pyenv_remove_tree       (const char  *path,
                                        GError     **error);
void      _iwb_pyenv_remove_tree_async (const char          *path,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* An exclusive lock on PATH.lock while the environment is created or
 * deleted, against a second iwb or window doing the same: the fd, or -1
 * with @error set. */
int       _iwb_pyenv_lock              (IwbPyenv    *self,
                                        GError     **error);
void      _iwb_pyenv_unlock            (int          fd);
/* Whether another process holds that lock now. */
gboolean  _iwb_pyenv_is_locked         (IwbPyenv    *self);
/* A URL with its user:password@ part replaced by "****@" (messages). */
char     *_iwb_pyenv_redact_url        (const char  *url);

G_END_DECLS
