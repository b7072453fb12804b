/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Umbrella header of libiwb-core. Each area adds its headers here. */
#pragma once

#include "iwb-types.h"
#include "iwb-error.h"
#include "iwb-python.h"
/* -- model, metadata, descriptor, loader, lint */
/* -- run, coerce, result parser, input rows, demo service */
/* -- json diff, overrides */
