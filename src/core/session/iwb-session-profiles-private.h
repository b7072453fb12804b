/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbSession's connection profiles, shared by iwb-session-profiles.c (the
 * state, "modified", session <-> profile) and iwb-session-profiles-ops.c
 * (the store's operations in threads). */
#pragma once

#include "iwb-session-private.h"
#include "iwb-store.h"

G_BEGIN_DECLS

struct _IwbSessionProfiles
{
  IwbStore   *store;
  char       *integration;   /* the key profiles were opened for, or NULL */
  char       *name;          /* the current profile, or NULL */
  GStrv       names;         /* the integration's profiles, sorted */
  GHashTable *saved;         /* key -> checksum of the value / rows in the profile */
  GHashTable *dirty;         /* keys whose value differs from the profile */
  GHashTable *user_secrets;  /* "scope\x1fid" the user marked secret */
  GHashTable *warned;        /* store warnings already emitted */
  guint       applying;      /* > 0 while values are replaced: no "modified" */
  guint       pending;       /* operations in flight ("busy") */
  gboolean    modified;
};

IwbSessionProfiles *_iwb_session_profiles_of              (IwbSession *self);
void                _iwb_session_profiles_set_name        (IwbSession *self,
                                                           const char *name);
/* What @profile (NULL: none) holds, as checksums: what "modified" compares to. */
void                _iwb_session_profiles_remember_saved  (IwbSession *self,
                                                           IwbProfile *profile);
/* Every key of the session against those checksums. */
void                _iwb_session_profiles_recompute_dirty (IwbSession *self);

G_END_DECLS
