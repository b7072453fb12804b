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
 * A plain object with no I/O: safe to build in one thread and hand to
 * another (IwbStore's _async functions do), not to share while mutating.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

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
