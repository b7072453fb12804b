/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define IWB_ERROR (iwb_error_quark ())

/* Codes a test can assert on. Append new codes at the end. */
typedef enum
{
  IWB_ERROR_FAILED,              /* anything without a better code */
  IWB_ERROR_NOT_FOUND,           /* folder / file / interpreter missing */
  IWB_ERROR_NOT_A_FOLDER,
  IWB_ERROR_NO_PYTHON_FILES,
  IWB_ERROR_PYTHON_NOT_FOUND,
  IWB_ERROR_SYNTAX,              /* integration has a syntax error (file:line in message) */
  IWB_ERROR_MISSING_MODULE,      /* import of a third-party module failed */
  IWB_ERROR_INVALID_INTEGRATION, /* the SDK rejected the integration (metadata errors) */
  IWB_ERROR_NO_ACTIONS,
  IWB_ERROR_TIMED_OUT,
  IWB_ERROR_CRASHED,             /* child died from a signal or exited unexpectedly */
  IWB_ERROR_NO_RESULT,           /* child printed no [result] line */
  IWB_ERROR_INVALID_JSON,
  IWB_ERROR_CANCELLED,
  IWB_ERROR_INVALID_VALUE,       /* a value does not coerce to its data type */
  IWB_ERROR_INVALID_INPUT,       /* input rows file malformed */
  IWB_ERROR_INVALID_OVERRIDE,
  /* -- stores: profiles, secrets, history */
  IWB_ERROR_NEWER_VERSION,       /* a profiles file / history written by a newer version */
  IWB_ERROR_CORRUPT,             /* a profiles file / history that cannot be read */
  IWB_ERROR_ENV_MISSING,         /* ${NAME} in a value, NAME not in the environment */
  IWB_ERROR_SECRET_SERVICE,      /* the Secret Service failed an operation */
  IWB_ERROR_DATABASE,            /* SQLite failed (busy, disk full, ...) */
  /* -- model */
  IWB_ERROR_INVALID_DESCRIPTOR,  /* a descriptor member of the wrong type (path in message) */
} IwbErrorCode;

GQuark iwb_error_quark (void);

G_END_DECLS
