/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Profiles and history for `iwb validate` and `iwb run`: --profile NAME
 * loads a saved profile (--set / --set-file still override single values),
 * and every validation or run is recorded in the history unless
 * --no-history. Three calls in a subcommand:
 *
 *   iwb_cli_session_add_entries()  with the other options
 *   iwb_cli_session_prepare()      right after iwb_cli_prepare_run(), before
 *                                  the run options are cleared
 *   iwb_cli_session_record()       right before iwb_cli_execute_run()
 *   iwb_cli_session_finish()       after it: waits until the run is stored
 */
#pragma once

#include "iwb-cli-common.h"

G_BEGIN_DECLS

typedef struct
{
  char                *profile;      /* --profile */
  gboolean             no_history;   /* --no-history */
  /* private */
  char                *integration;
  IwbProfile          *loaded;
  GHashTable          *values;       /* id -> value as given (`${NAME}` unexpanded) */
  GPtrArray           *secret_ids;
  GPtrArray           *secret_values;
  IwbHistory          *history;
  IwbHistoryRecording *recording;
  struct _IwbCliOpening *opening;    /* the history being opened beside the child's start */
} IwbCliSession;

void      iwb_cli_session_add_entries (IwbCliSession    *session,
                                       GOptionContext   *context);
/* FALSE with *exit_code set after printing the problem. */
gboolean  iwb_cli_session_prepare     (IwbCliSession    *session,
                                       IwbRun           *run,
                                       const char       *folder,
                                       IwbCliRunOptions *options,
                                       int              *exit_code);
void      iwb_cli_session_record      (IwbCliSession    *session,
                                       IwbRun           *run);
void      iwb_cli_session_finish      (IwbCliSession    *session);
void      iwb_cli_session_clear       (IwbCliSession    *session);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IwbCliSession, iwb_cli_session_clear)

/* Shared with `iwb profile`: the inputs of the connection (@entrypoint
 * NULL) or of one action in a platform descriptor (JsonObject*, borrowed),
 * and whether an input is secret (password / encryptedFile). */
GPtrArray *iwb_cli_descriptor_inputs  (JsonNode         *descriptor,
                                       const char       *entrypoint);
gboolean   iwb_cli_input_is_secret    (JsonObject       *input);
/* Prints the store's warnings once each on stderr. */
void       iwb_cli_print_store_warnings (IwbStore       *store);

G_END_DECLS
