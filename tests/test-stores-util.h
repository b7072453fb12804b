/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by test-store and test-history: a temporary XDG home per test, a
 * usable gnome-keyring, and a search of every file for secret texts. */
#pragma once

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "iwb-core.h"

typedef struct
{
  char *root;   /* the test's temporary folder */
  char *data;   /* XDG_DATA_HOME (and the stores' folder's parent) */
  char *store;  /* data/integration-workbench */
} StoresHome;

/* Removes @path and everything below it (iwb_test_remove_tree ()). */
void
stores_rm_rf (const char *path);

/* Points XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and XDG_STATE_HOME
 * (for the `iwb` children) at a new temporary folder. */
void
stores_home_init (StoresHome *home);

void
stores_home_clear (StoresHome *home);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoresHome, stores_home_clear)

/* Writes @home's history database (data/integration-workbench/history.sqlite)
 * from tests/history-fixtures/@fixture, the SQL of a database an older
 * version wrote, with sqlite3 itself; returns its path. */
char *
stores_history_from_fixture (StoresHome *home,
                             const char *fixture);

/* Fails the test if any file under @dir holds any of @needles; returns the
 * number of files searched. */
guint
stores_assert_not_in_files (const char         *dir,
                            const char * const *needles);

/* The forms a secret takes in files: raw, JSON-escaped (both ways),
 * URL-encoded, form-encoded, base64. Python's own encodings of @secret are
 * computed the same way by tests/store-fixtures/leaky. */
GStrv
stores_secret_forms (const char *secret);

gboolean
stores_keyring_usable (char **why);

/* The test D-Bus session needs a gnome-keyring with an unlocked default
 * collection (build-aux/run-tests.sh starts one). Under a bare
 * dbus-run-session, start one the same way: a "login" keyring in a
 * temporary folder, unlocked with a password. */
void
stores_ensure_keyring (void);
