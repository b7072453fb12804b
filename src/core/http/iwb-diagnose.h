/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Why does a connection to a service fail? One IwbDiagnose checks one
 * http(s) URL layer by layer with GIO and libsoup — proxy in use, name
 * resolution, TCP connect, TLS handshake (expired, unknown issuer, name
 * mismatch, with subject, issuer and dates), HTTP status of the URL — and
 * says for each layer: passed, failed (why, in plain words, and what to do)
 * or not reached. The failing layer is the first one that failed.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  IWB_DIAGNOSE_LAYER_PROXY,
  IWB_DIAGNOSE_LAYER_DNS,
  IWB_DIAGNOSE_LAYER_TCP,
  IWB_DIAGNOSE_LAYER_TLS,
  IWB_DIAGNOSE_LAYER_HTTP,
  IWB_DIAGNOSE_N_LAYERS,
} IwbDiagnoseLayer;

typedef enum
{
  IWB_DIAGNOSE_NOT_REACHED,
  IWB_DIAGNOSE_PASSED,
  IWB_DIAGNOSE_FAILED,
  IWB_DIAGNOSE_SKIPPED,   /* does not apply: TLS of an http:// URL, or checked through a proxy */
} IwbDiagnoseState;

#define IWB_TYPE_DIAGNOSE (iwb_diagnose_get_type ())
G_DECLARE_FINAL_TYPE (IwbDiagnose, iwb_diagnose, IWB, DIAGNOSE, GObject)

/* @url: the http(s) URL to check; @label: what it is (a connection input
 * id), or NULL. */
IwbDiagnose        *iwb_diagnose_new             (const char           *url,
                                                  const char           *label);
/* Seconds each layer may take (default 10). */
void                iwb_diagnose_set_timeout     (IwbDiagnose          *self,
                                                  guint                 seconds);
/* Trust the CA certificates of this PEM file instead of the system's. */
void                iwb_diagnose_set_ca_file     (IwbDiagnose          *self,
                                                  const char           *path);
/* Hide the URL in what is shown (a secret value): it is called @label. */
void                iwb_diagnose_set_secret      (IwbDiagnose          *self,
                                                  gboolean              secret);

/* Runs the checks. Fails (IWB_ERROR_INVALID_VALUE) only when the URL is not
 * an http(s) URL, or when cancelled (IWB_ERROR_CANCELLED); a failing layer
 * is a result, not an error. */
void                iwb_diagnose_run_async       (IwbDiagnose          *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            iwb_diagnose_run_finish      (IwbDiagnose          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

const char         *iwb_diagnose_get_url         (IwbDiagnose          *self);
/* The URL as it may be shown (userinfo masked; the label when secret). */
const char         *iwb_diagnose_get_display_url (IwbDiagnose          *self);
const char         *iwb_diagnose_get_label       (IwbDiagnose          *self);
IwbDiagnoseState    iwb_diagnose_get_state       (IwbDiagnose          *self,
                                                  IwbDiagnoseLayer      layer);
/* What was found (passed) or what is wrong and what to do (failed). */
const char         *iwb_diagnose_get_detail      (IwbDiagnose          *self,
                                                  IwbDiagnoseLayer      layer);
/* TRUE when no layer failed. */
gboolean            iwb_diagnose_get_passed      (IwbDiagnose          *self);
/* The certificate problems found by the TLS layer (0: none or not reached). */
GTlsCertificateFlags iwb_diagnose_get_tls_errors (IwbDiagnose          *self);
/* The HTTP status of the URL (0: not reached). */
guint               iwb_diagnose_get_http_status (IwbDiagnose          *self);
/* {"url", "label", "passed", "layers": [{"layer", "state", "detail"}...]} */
JsonNode           *iwb_diagnose_to_json         (IwbDiagnose          *self);

/* "Name resolution", "TCP connect"... (translated) */
const char         *iwb_diagnose_layer_to_string (IwbDiagnoseLayer     layer);
/* "proxy", "dns", "tcp", "tls", "http" */
const char         *iwb_diagnose_layer_to_id     (IwbDiagnoseLayer     layer);
/* "passed", "failed", "not reached", "skipped" (translated) */
const char         *iwb_diagnose_state_to_string (IwbDiagnoseState     state);

G_END_DECLS
