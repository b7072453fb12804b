/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession: the state of one opened integration, with no GTK in it.
 *
 *  - the folder, the loaded IwbIntegration, its base descriptor (built from
 *    the metadata; connection validations always get it) and the effective
 *    descriptor the forms are built from (the base, or one with the
 *    validator's overrides applied);
 *  - the value store: the text of every form value, keyed by scope
 *    ("connection" or "action:ENTRYPOINT") and input id. Secret values
 *    (password / encryptedFile inputs) are kept in a table of their own,
 *    wiped when replaced or forgotten, and never listed;
 *  - the input rows of each action, kept across page rebuilds;
 *  - the preferences a child needs (interpreter, SDK, timeouts, TLS), as
 *    properties a front end binds its settings to;
 *  - the runs in progress ("n-running");
 *  - the HTTP mode of its runs: live, record into or replay from a cassette
 *    ("http-mode", "cassette-path", "replay-strict").
 *
 * A value travels one way: form row -> IwbFieldValue -> iwb_session_set_value()
 * -> iwb_session_create_run() -> IwbRun -> the child's environment.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-history.h"
#include "iwb-integration.h"
#include "iwb-loader.h"
#include "iwb-python.h"
#include "iwb-run.h"
#include "iwb-store.h"

G_BEGIN_DECLS

#define IWB_SESSION_SCOPE_CONNECTION "connection"

typedef enum
{
  IWB_SESSION_VALUE_NONE   = 0,
  IWB_SESSION_VALUE_TYPED  = 1 << 0, /* the user gave it (not a default the form chose) */
  IWB_SESSION_VALUE_SECRET = 1 << 1, /* password / encryptedFile: kept apart, wiped */
} IwbSessionValueFlags;

#define IWB_TYPE_SESSION (iwb_session_get_type ())
G_DECLARE_FINAL_TYPE (IwbSession, iwb_session, IWB, SESSION, GObject)

IwbSession     *iwb_session_new                 (void);

/* Another folder than the current one forgets every value and row. */
void            iwb_session_set_folder          (IwbSession     *self,
                                                 GFile          *folder);
GFile          *iwb_session_get_folder          (IwbSession     *self);
/* Forgets the folder, the integration, the descriptors, values and rows. */
void            iwb_session_close               (IwbSession     *self);

/* @base: the platform descriptor of @integration; @descriptor: what the
 * forms show (@base, or an effective one). */
void            iwb_session_set_integration     (IwbSession     *self,
                                                 IwbIntegration *integration,
                                                 JsonNode       *base,
                                                 JsonNode       *descriptor);
IwbIntegration *iwb_session_get_integration     (IwbSession     *self);
JsonNode       *iwb_session_get_base_descriptor (IwbSession     *self);
JsonNode       *iwb_session_get_descriptor      (IwbSession     *self);
void            iwb_session_set_descriptor      (IwbSession     *self,
                                                 JsonNode       *descriptor);
/* The scope of an action's values: "action:ENTRYPOINT" (owned). */
char           *iwb_session_action_scope        (const char     *entrypoint);

/* The value store. NULL or "" @text is kept as "" (an emptied field). */
void            iwb_session_set_value           (IwbSession          *self,
                                                 const char          *scope,
                                                 const char          *id,
                                                 const char          *text,
                                                 IwbSessionValueFlags flags);
/* The text kept for @scope/@id, or NULL; @flags (nullable) gets its flags. */
const char     *iwb_session_get_value           (IwbSession          *self,
                                                 const char          *scope,
                                                 const char          *id,
                                                 IwbSessionValueFlags *flags);
void            iwb_session_forget_values       (IwbSession     *self);
/* Number of values kept (secrets included), for tests. */
guint           iwb_session_get_n_values        (IwbSession     *self);

/* Input rows of an action (JsonObject*), kept while the session lives. */
void            iwb_session_set_rows            (IwbSession     *self,
                                                 const char     *entrypoint,
                                                 GPtrArray      *rows);
GPtrArray      *iwb_session_get_rows            (IwbSession     *self,
                                                 const char     *entrypoint);

/* Preferences (also the properties "python-interpreter", "sdk",
 * "load-timeout", "validate-timeout", "run-timeout", "ssl-verify"). */
guint           iwb_session_get_run_timeout     (IwbSession     *self);
/* The integration's environment's interpreter when it has one (READY or
 * STALE), else the base one. */
IwbPython      *iwb_session_create_python       (IwbSession     *self);
/* The preferences' interpreter and SDK, without the environment. */
IwbPython      *iwb_session_create_base_python  (IwbSession     *self);
IwbLoader      *iwb_session_create_loader       (IwbSession     *self);

/* HTTP mode of every run the session creates from now on (also the
 * properties "http-mode", "cassette-path", "replay-strict", with notify).
 * @cassette_path: the cassette to record into / replay from; NULL keeps
 * the one set before (a LIVE session may remember one for later). A
 * relative path is made absolute against the current directory. */
void            iwb_session_set_http_mode       (IwbSession     *self,
                                                 IwbHttpMode     mode,
                                                 const char     *cassette_path);
IwbHttpMode     iwb_session_get_http_mode       (IwbSession     *self);
const char     *iwb_session_get_cassette_path   (IwbSession     *self); /* nullable */
/* Replay only: an unrecorded call fails (TRUE) or goes to the network. */
void            iwb_session_set_replay_strict   (IwbSession     *self,
                                                 gboolean        strict);
gboolean        iwb_session_get_replay_strict   (IwbSession     *self);

/* A run of the loaded integration with the preferences applied and the
 * values of the store: connection values for every operation, the action's
 * own values and column / template mappings for an action. A connection
 * validation gets the base descriptor, an action the one its form shows.
 * Rows are the caller's (iwb_run_set_rows()). IWB_ERROR_NOT_FOUND when no
 * integration is loaded; the interpreter's error when it cannot be found;
 * IWB_ERROR_INVALID_VALUE when the HTTP mode is record or replay without a
 * cassette path. The run gets the session's HTTP mode. */
IwbRun         *iwb_session_create_run          (IwbSession      *self,
                                                 IwbRunOperation  operation,
                                                 const char      *entrypoint,
                                                 GError         **error);
/* iwb_run_start_async() with the run counted in "n-running" until it ends;
 * @callback gets the run as its source object (use iwb_run_start_finish()).
 * "n-running" drops after @callback returned.
 *
 * A run made by iwb_session_create_run() runs on a thread of its own: the
 * child's output is read and parsed there, and the events reach the
 * caller's thread-default context in slices of a few milliseconds, so a
 * flood of results never stalls the caller's loop. Every "event" handler
 * and @callback run on the caller's context, in order. Do not call the
 * run's setters or read its results while it runs (the FINISHED event and
 * @callback are the time to).
 *
 * The run's thread runs at nice IWB_SESSION_RUN_THREAD_NICE (that thread
 * only): when it and the caller's loop want the same core, the loop (a
 * window that draws) goes first. */
#define IWB_SESSION_RUN_THREAD_NICE 10

void            iwb_session_start_run           (IwbSession         *self,
                                                 IwbRun             *run,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
guint           iwb_session_get_n_running       (IwbSession     *self);

/* -- run history (iwb-session-history.c) ----------------------------------
 * Once the session has a history, every validation and run it starts
 * (iwb_session_start_run()) is recorded there with the session's values
 * (secret ones as a marker; their text redacted everywhere), the action's
 * input rows (iwb_session_set_rows()), every event and the "profile"
 * property when the session has one. Recording happens off the caller's
 * loop; "run-recorded" (IwbRun *run, gint64 id, const char *message)
 * comes on the caller's context once the run is committed (id 0 and a
 * message when it could not be). Runs started while the history opens are
 * recorded once it is open. */
void            iwb_session_open_history_async  (IwbSession          *self,
                                                 const char          *path, /* NULL: the default */
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
IwbHistory     *iwb_session_open_history_finish (IwbSession          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void            iwb_session_set_history         (IwbSession          *self,
                                                 IwbHistory          *history);
IwbHistory     *iwb_session_get_history         (IwbSession          *self);
/* TRUE by default; FALSE: runs started from now on are not recorded. */
void            iwb_session_set_history_enabled (IwbSession          *self,
                                                 gboolean             enabled);
gboolean        iwb_session_get_history_enabled (IwbSession          *self);
/* Applied to the history (and a pruning pass queued in its writer thread). */
void            iwb_session_set_history_retention (IwbSession        *self,
                                                   guint              runs_per_integration,
                                                   guint64            max_bytes);
/* The history's key of the folder (iwb_store_integration_key()), or NULL. */
char           *iwb_session_dup_integration_key (IwbSession          *self);
/* @run's history id once "run-recorded" came, else 0. */
gint64          iwb_session_get_run_history_id  (IwbSession          *self,
                                                 IwbRun              *run);
/* -- connection profiles (iwb-session-profiles.c) ---------------------------
 * The session's values (connection values, action parameter values, input
 * rows per action) come from, and go to, the named profiles of the folder's
 * integration in an IwbStore: non-secret values in profiles.json, secret
 * ones (password / encryptedFile inputs, and values the user marked secret)
 * in the Secret Service, or in memory when there is none.
 *
 * Properties: "profile" (the current profile's name, or NULL), "modified"
 * (a value or row list differs from the current profile as loaded or
 * saved), "profile-names" (GStrv: the integration's profiles, sorted),
 * "secrets-in-memory" (no Secret Service: secrets live in this process
 * only), "profiles-busy" (an operation is in flight). Signals:
 * "values-loaded" (every value and row was replaced: forms re-read them),
 * "profile-warning" (string; a store warning, each once).
 *
 * The _async operations run the store's work in a thread; their results
 * apply only if the session still shows the same folder (else they fail
 * with IWB_ERROR_CANCELLED). Names are checked (IWB_ERROR_INVALID_VALUE);
 * a taken name for New / Duplicate is IWB_ERROR_FAILED. All of them finish
 * with iwb_session_profile_finish(). */
void         iwb_session_set_store             (IwbSession          *self,
                                                IwbStore            *store);
/* The store (iwb_store_new (NULL) unless one was set). */
IwbStore    *iwb_session_get_store             (IwbSession          *self);
const char  *iwb_session_get_profile           (IwbSession          *self);
gboolean     iwb_session_get_modified          (IwbSession          *self);
const char * const *iwb_session_get_profile_names (IwbSession       *self);
gboolean     iwb_session_get_secrets_in_memory (IwbSession          *self);
gboolean     iwb_session_get_profiles_busy     (IwbSession          *self);
/* Keep a value that is not a password in the keyring too. */
void         iwb_session_set_value_user_secret (IwbSession          *self,
                                                const char          *scope,
                                                const char          *id,
                                                gboolean             secret);
gboolean     iwb_session_get_value_user_secret (IwbSession          *self,
                                                const char          *scope,
                                                const char          *id);
/* The session's typed values and rows as a profile named @name (no I/O). */
IwbProfile  *iwb_session_dup_profile           (IwbSession          *self,
                                                const char          *name);
/* Replaces every value and row by @profile's (no I/O); it becomes the
 * current profile, unmodified; emits "values-loaded". */
void         iwb_session_apply_profile         (IwbSession          *self,
                                                IwbProfile          *profile);
/* @text with its `${NAME}` references taken from the process environment
 * (what a run gets); IWB_ERROR_ENV_MISSING names the parameter. */
char        *iwb_session_expand_value          (IwbSession          *self,
                                                const char          *scope,
                                                const char          *id,
                                                const char          *text,
                                                GError             **error);
/* TRUE once iwb_session_open_profiles_async() ran for the current folder. */
gboolean     iwb_session_profiles_opened       (IwbSession          *self);
/* Lists the folder's profiles and loads the last used one, if any. */
void         iwb_session_open_profiles_async   (IwbSession          *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void         iwb_session_load_profile_async    (IwbSession          *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     iwb_session_load_profile_finish   (IwbSession          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Saves the values as @name (NULL: the current profile), replacing it. */
void         iwb_session_save_profile_async    (IwbSession          *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     iwb_session_save_profile_finish   (IwbSession          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Saves the values as a new profile @new_name, which becomes the current. */
void         iwb_session_duplicate_profile_async (IwbSession        *self,
                                                const char          *new_name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* A new empty profile, loaded: every form goes back to its defaults. */
void         iwb_session_new_profile_async     (IwbSession          *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void         iwb_session_rename_profile_async  (IwbSession          *self,
                                                const char          *old_name,
                                                const char          *new_name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Deleting the current profile keeps the values, as values of no profile. */
void         iwb_session_delete_profile_async  (IwbSession          *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     iwb_session_profile_finish        (IwbSession          *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
