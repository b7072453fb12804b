/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the tests of per-integration environments (test-pyenv, test-ui-env):
 * an offline wheel and an integration that needs it, and a package index
 * that never answers. Bodies in iwb-test-pyenv-util.c. */
#pragma once

#include <gio/gio.h>

/* Under @root: "wheels/" with the wheel of the package iwbtestpkg 1.0
 * (made by @make_wheel, tests/pyenv-fixtures/make-wheel.py, run with
 * $IWB_PYTHON), and "greeter/", an integration whose main.py imports it
 * and whose requirements.txt names it. @wheels and @folder get the two
 * paths. */
void  iwb_test_pyenv_greeter      (const char      *root,
                                   const char      *make_wheel,
                                   char           **wheels,
                                   char           **folder);

/* Starts @service on a free port of 127.0.0.1 as a package index that
 * accepts connections and never answers (pip waits there until it is
 * cancelled); *@connected becomes TRUE at the first connection.
 * Returns: (transfer full): its URL, "http://127.0.0.1:PORT/simple". */
char *iwb_test_silent_index_start (GSocketService  *service,
                                   gboolean        *connected);
