#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one UI test inside its private D-Bus session (dbus-run-session), with
# a gnome-keyring unlocked with a password first, as build-aux/run-tests.sh
# does for the other tests: secrets the app saves go to an encrypted
# keyring, never to one the daemon would create unprotected, and the
# daemon's start-up lines (GNOME_KEYRING_CONTROL=...) stay out of the test's
# TAP output instead of coming through D-Bus activation.
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/iwb-ui-keyring.XXXXXX")
  trap 'rm -rf "$keyring_home"' EXIT
  printf '%s' "iwb-ui-test-keyring-$$" |
    XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 ||
    echo "# ui-session: gnome-keyring-daemon did not start" >&2
fi
"$@"
status=$?
exit $status
