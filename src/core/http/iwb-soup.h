/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * libsoup, loaded on first use rather than at start-up.
 *
 * Only the demo service and the connection diagnosis speak HTTP from C; every
 * other command (iwb run above all) would pay for libsoup and the fourteen
 * libraries it brings (Kerberos, PSL, brotli, nghttp2...) at each start:
 * 3.6 ms of a 10 ms start on this machine (mapping, relocating, page faults).
 * The files that use libsoup include this header instead of <libsoup/soup.h>:
 * the functions they call go through the table below, filled by
 * iwb_soup_load(), so the binary has no reference to libsoup and the linker
 * (--as-needed) leaves it out of the libraries loaded at start.
 *
 * Add a function: to IWB_SOUP_FUNCTIONS. Do not use the G_DECLARE_* cast
 * functions (SOUP_SESSION (x)): they are compiled before these macros and
 * call libsoup directly (readelf -d src/cli/iwb shows it: tests/test-soup-lazy).
 */
#include <libsoup/soup.h>

#define IWB_SOUP_FUNCTIONS(F) \
  F (message_add_flags) \
  F (message_get_reason_phrase) \
  F (message_get_response_headers) \
  F (message_get_status) \
  F (message_headers_get_one) \
  F (message_headers_replace) \
  F (message_new_from_uri) \
  F (server_add_handler) \
  F (server_disconnect) \
  F (server_get_uris) \
  F (server_listen_local) \
  F (server_message_get_method) \
  F (server_message_get_request_body) \
  F (server_message_get_request_headers) \
  F (server_message_get_response_headers) \
  F (server_message_pause) \
  F (server_message_set_response) \
  F (server_message_set_status) \
  F (server_message_unpause) \
  F (server_new) \
  F (session_get_type) \
  F (session_new_with_options) \
  F (session_send_async) \
  F (session_send_finish) \
  F (session_set_tls_database)

typedef struct
{
#define IWB_SOUP_FIELD(name) __typeof__ (soup_##name) *name;
  IWB_SOUP_FUNCTIONS (IWB_SOUP_FIELD)
#undef IWB_SOUP_FIELD
} IwbSoup;

extern IwbSoup iwb_soup;

/* Loads libsoup 3 once (thread-safe); FALSE with @error when it cannot be
 * found or lacks a function. The table is usable after TRUE. */
gboolean iwb_soup_load (GError **error);

#define soup_message_add_flags (iwb_soup.message_add_flags)
#define soup_message_get_reason_phrase (iwb_soup.message_get_reason_phrase)
#define soup_message_get_response_headers (iwb_soup.message_get_response_headers)
#define soup_message_get_status (iwb_soup.message_get_status)
#define soup_message_headers_get_one (iwb_soup.message_headers_get_one)
#define soup_message_headers_replace (iwb_soup.message_headers_replace)
#define soup_message_new_from_uri (iwb_soup.message_new_from_uri)
#define soup_server_add_handler (iwb_soup.server_add_handler)
#define soup_server_disconnect (iwb_soup.server_disconnect)
#define soup_server_get_uris (iwb_soup.server_get_uris)
#define soup_server_listen_local (iwb_soup.server_listen_local)
#define soup_server_message_get_method (iwb_soup.server_message_get_method)
#define soup_server_message_get_request_body (iwb_soup.server_message_get_request_body)
#define soup_server_message_get_request_headers (iwb_soup.server_message_get_request_headers)
#define soup_server_message_get_response_headers (iwb_soup.server_message_get_response_headers)
#define soup_server_message_pause (iwb_soup.server_message_pause)
#define soup_server_message_set_response (iwb_soup.server_message_set_response)
#define soup_server_message_set_status (iwb_soup.server_message_set_status)
#define soup_server_message_unpause (iwb_soup.server_message_unpause)
#define soup_server_new (iwb_soup.server_new)
#define soup_session_get_type (iwb_soup.session_get_type)
#define soup_session_new_with_options (iwb_soup.session_new_with_options)
#define soup_session_send_async (iwb_soup.session_send_async)
#define soup_session_send_finish (iwb_soup.session_send_finish)
#define soup_session_set_tls_database (iwb_soup.session_set_tls_database)
