/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession's state, shared by iwb-session.c (values, folder, descriptors,
 * preferences) and iwb-session-runs.c (creating runs, driving them on a
 * thread of their own).
 */
#pragma once

#include "iwb-field-value.h"
#include "iwb-session.h"

G_BEGIN_DECLS

/* One value of the store (iwb-session.c; read by iwb-session-profiles.c). */
typedef struct
{
  char                *text;
  IwbSessionValueFlags flags;
} StoredValue;

/* iwb-session-profiles.c: the connection profiles' state. */
typedef struct _IwbSessionProfiles IwbSessionProfiles;
#define IWB_SESSION_PROFILES_PROP_BASE 100 /* its property ids */

struct _IwbSession
{
  GObject         parent_instance;

  GFile          *folder;
  IwbIntegration *integration;
  JsonNode       *base_descriptor;
  JsonNode       *descriptor;

  GHashTable     *values;   /* "scope\x1fid" -> StoredValue* */
  GHashTable     *secrets;  /* "scope\x1fid" -> StoredValue*, text wiped on free */
  GHashTable     *rows;     /* entrypoint -> GPtrArray of JsonObject */

  char           *python_interpreter;
  char           *sdk;
  guint           load_timeout;
  guint           validate_timeout;
  guint           run_timeout;
  gboolean        ssl_verify;
  IwbHttpMode     http_mode;
  char           *cassette_path;
  gboolean        replay_strict;

  GPtrArray      *running;  /* IwbRun* started with iwb_session_start_run() */

  IwbSessionProfiles *profiles; /* iwb-session-profiles.c, made on first use */
};

void _iwb_session_notify_n_running (IwbSession *self);
void _iwb_session_emit_run_started (IwbSession *self,
                                    IwbRun     *run);

/* iwb-session-runs.c: the INPUT objects of the connection (NULL
 * @entrypoint) or of one action in @descriptor, or NULL. */
JsonArray *_iwb_session_descriptor_inputs (JsonNode   *descriptor,
                                           const char *entrypoint);
IwbFieldValue *_iwb_session_input_value (IwbSession            *self,
                                         JsonArray             *inputs,
                                         guint                  i,
                                         const char            *scope,
                                         const char           **text,
                                         IwbSessionValueFlags  *flags);
/* iwb-session-history.c: the signal, and the relay's hook (on the run's
 * own thread) that feeds the recording of @run, if any. */
void _iwb_session_history_class_init (GObjectClass *klass);
void _iwb_session_history_event      (IwbRun       *run,
                                      IwbRunEvent  *event);
/* iwb-session-profiles.c: hooks of the value store, the object's life */
void     _iwb_session_profiles_value_changed (IwbSession          *self,
                                              const char          *scope,
                                              const char          *id,
                                              const char          *text,
                                              IwbSessionValueFlags flags);
void     _iwb_session_profiles_rows_changed  (IwbSession          *self,
                                              const char          *entrypoint,
                                              GPtrArray           *rows);
void     _iwb_session_profiles_reset         (IwbSession          *self);
void     _iwb_session_profiles_free          (IwbSession          *self);
void     _iwb_session_profiles_class_init    (GObjectClass        *object_class);
gboolean _iwb_session_profiles_get_property  (IwbSession          *self,
                                              guint                prop_id,
                                              GValue              *value);

G_END_DECLS
