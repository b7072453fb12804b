/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Copy as cURL": a POSIX shell command line that repeats the request of a
 * captured exchange with curl. Every value the child redacted (the
 * "[redacted]" marker) becomes a shell variable such as "$PASSWORD", named
 * after the secret parameter where it can be told: a secret value never
 * reaches the command, because it never reached the app.
 * No GTK here: the UI tests and the view share it.
 */
#pragma once

#include "iwb-http-exchange.h"

G_BEGIN_DECLS

/* What the capture puts in place of a secret (python/iwb_host/redact.py). */
#define IWB_HTTP_REDACTED_MARK "[redacted]"

/* @secret_names (nullable): the ids of the secret parameters (password,
 * encryptedFile) of the integration, to name the variables after them.
 * @variables (out, nullable): the variables the command uses, in order.
 * Lines before the command (starting with "#") say what to set and what
 * could not be repeated (a binary or truncated request body). */
char *iwb_http_curl_command (IwbHttpExchange    *exchange,
                             const char * const *secret_names,
                             GStrv              *variables);

/* The text with every single quote escaped, in single quotes: one shell word. */
char *iwb_http_shell_quote  (const char         *text);

G_END_DECLS
