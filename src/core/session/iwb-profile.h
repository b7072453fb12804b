/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbProfile: one named set of values for one integration ("demo",
 * "staging", "prod"): every connection parameter value, and per action
 * (by entrypoint) the last action parameter values and input rows.
 *
 * Every function takes an @action: NULL (or "") for the connection, else the
 * action's entrypoint. A value may be secret (its input type is password or
 * encryptedFile, or the user marked it so): IwbStore then keeps it in the
 * Secret Service, never in its JSON file. A value may be a reference to the
 * environment (`${NAME}`), see iwb_profile_expand_value().
 *
 * A profile also remembers how its runs make their HTTP calls: live, or
 * recording into / replaying from a cassette file (not a secret: the
 * cassette is redacted). In JSON: an optional member
 * "http": {"mode": "record"|"replay", "cassette": PATH, "strict": BOOL},
 * written only when the mode is not live or a cassette is remembered. It is
 * a compatible addition to profiles format 1 (older versions ignore the
 * member, so the format number did not change); an older version that
 * rewrites the file drops it, and the profile is live again.
 *
 * A plain object with no I/O: safe to build in one thread and hand to
 * another (IwbStore's _async functions do), not to share while mutating.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "iwb-http-mode.h"

G_BEGIN_DECLS

#define IWB_TYPE_PROFILE (iwb_profile_get_type ())
G_DECLARE_FINAL_TYPE (IwbProfile, iwb_profile, IWB, PROFILE, GObject)

IwbProfile  *iwb_profile_new            (const char  *name);
/* A deep copy under another name (Duplicate). */
IwbProfile  *iwb_profile_copy           (IwbProfile  *self,
                                         const char  *name);

const char  *iwb_profile_get_name       (IwbProfile  *self);
void         iwb_profile_set_name       (IwbProfile  *self,
                                         const char  *name);

/* NULL @value unsets. */
void         iwb_profile_set_value      (IwbProfile  *self,
                                         const char  *action,
                                         const char  *id,
                                         const char  *value);
const char  *iwb_profile_get_value      (IwbProfile  *self,
                                         const char  *action,
                                         const char  *id);
/* Sorted ids that have a value. */
char       **iwb_profile_dup_ids        (IwbProfile  *self,
                                         const char  *action);
void         iwb_profile_set_secret     (IwbProfile  *self,
                                         const char  *action,
                                         const char  *id,
                                         gboolean     secret);
gboolean     iwb_profile_is_secret      (IwbProfile  *self,
                                         const char  *action,
                                         const char  *id);
/* Ids marked secret, sorted (values or not). */
char       **iwb_profile_dup_secret_ids (IwbProfile  *self,
                                         const char  *action);

/* Input rows of an action (an array of objects); NULL unsets. */
void         iwb_profile_set_rows       (IwbProfile  *self,
                                         const char  *action,
                                         JsonArray   *rows);
JsonArray   *iwb_profile_get_rows       (IwbProfile  *self,
                                         const char  *action);
/* Entrypoints that hold values or rows, sorted. */
char       **iwb_profile_dup_actions    (IwbProfile  *self);

/* HTTP mode of the profile's runs. @cassette_path: NULL keeps the one
 * remembered; a relative path is made absolute against the current
 * directory. @strict: replay only, an unrecorded call fails. */
void         iwb_profile_set_http_mode  (IwbProfile  *self,
                                         IwbHttpMode  mode,
                                         const char  *cassette_path);
IwbHttpMode  iwb_profile_get_http_mode  (IwbProfile  *self);
const char  *iwb_profile_get_cassette_path (IwbProfile *self); /* nullable */
void         iwb_profile_set_replay_strict (IwbProfile *self,
                                         gboolean     strict);
gboolean     iwb_profile_get_replay_strict (IwbProfile *self);

/* The whole profile as JSON, for files and tests. With @with_secrets FALSE
 * secret values are left out (only their ids, in "secrets"). */
JsonNode    *iwb_profile_to_json        (IwbProfile  *self,
                                         gboolean     with_secrets);
/* The reverse; NULL with IWB_ERROR_CORRUPT naming @where. */
IwbProfile  *iwb_profile_new_from_json  (const char  *name,
                                         JsonNode    *node,
                                         const char  *where,
                                         GError     **error);

/* -- environment references: `${NAME}` in a value is NAME's value in the
 *    process environment at run time; `$${` stands for a literal `${`. */

/* TRUE when @value holds at least one `${NAME}`; with @names, the names
 * (transfer full, in order of appearance). For the form's "from the
 * environment" marker. */
gboolean     iwb_profile_value_is_env_reference (const char   *value,
                                                 char       ***names);
/* @value with every `${NAME}` replaced from @envp (NULL: the process
 * environment). NULL with IWB_ERROR_ENV_MISSING naming the variable and
 * @what (e.g. "parameter API_KEY of profile demo") when one is not set, or
 * IWB_ERROR_INVALID_VALUE for a `${` without its `}` or a bad name. */
char        *iwb_profile_expand_value          (const char   *value,
                                                const char  **envp,
                                                const char   *what,
                                                GError      **error);

G_END_DECLS
