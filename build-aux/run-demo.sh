#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts the app on the bundled example
# integration with the bundled demo service: no account, no network.
. "$(dirname "$0")/common.sh"

builddir=${IWB_DEMO_BUILDDIR:-$srcdir/_build}
install_missing_packages
build "$builddir" -Dprofile=development

GSETTINGS_SCHEMA_DIR="$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export GSETTINGS_SCHEMA_DIR
exec "$builddir/src/integration-workbench" --demo "$srcdir/examples/ticket-tracker" "$@"
