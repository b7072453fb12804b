/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Umbrella header of libiwb-core. Each area adds its headers here. */
#pragma once

#include "iwb-types.h"
#include "iwb-error.h"
#include "iwb-file.h"
#include "iwb-redact.h"
#include "iwb-python.h"
#include "iwb-child.h"
#include "iwb-pyenv.h"
/* -- folder watcher */
#include "iwb-folder-watcher.h"
/* -- model, metadata, descriptor, loader, lint */
#include "iwb-param.h"
#include "iwb-action.h"
#include "iwb-integration.h"
#include "iwb-metadata.h"
#include "iwb-descriptor.h"
#include "iwb-loader.h"
#include "iwb-lint.h"
/* -- run, coerce, result parser, input rows, demo service */
#include "iwb-coerce.h"
#include "iwb-demo-service.h"
#include "iwb-http-mode.h"
#include "iwb-http-exchange.h"
#include "iwb-har.h"
#include "iwb-input-rows.h"
#include "iwb-result-parser.h"
#include "iwb-run-event.h"
#include "iwb-run.h"
/* -- json: parse / write, diff, overrides */
#include "iwb-json.h"
#include "iwb-json-diff.h"
#include "iwb-json-patch.h"
#include "iwb-overrides.h"
/* -- stores: connection profiles, run history */
#include "iwb-profile.h"
#include "iwb-store.h"
#include "iwb-history.h"
/* -- session: the state of one opened integration */
#include "iwb-session.h"
