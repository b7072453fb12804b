#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders the README's pictures from the real app, on a private X display:
#   docs/screenshots/start.png       the start screen
#   docs/screenshots/connection.png  the ticket-tracker example, connection
#                                    form filled by --demo and validated
#   docs/screenshots/run.png         a finished run of "Search tickets"
#   docs/screenshots/overrides.png   the same example validated: the project
#                                    list filled by the validator's overrides
#                                    ("changed" marker) and the diff window
#                                    (--show-overrides)
#   docs/screenshots/history.png     the History page after test-ui-history's
#                                    runs (two runs with an edit between, a
#                                    baseline), one entry open read-only
#   docs/screenshots/http.png        the HTTP calls of "Search tickets"
#                                    (--show-http: the HTTP tab, first call)
# Usage: tests/screenshots.sh [BUILDDIR]   (default: _build; needs a built tree)
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$srcdir/_build}
case $builddir in /*) ;; *) builddir=$(pwd)/$builddir ;; esac
shot=$srcdir/../shared/tools/screenshot
out=$srcdir/docs/screenshots
app=$builddir/src/integration-workbench

[ -x "$app" ] || { echo "screenshots: $app is missing: build first (meson setup $builddir && ninja -C $builddir)" >&2; exit 1; }
[ -x "$shot" ] || { echo "screenshots: $shot is missing (it comes with ../shared/tools)" >&2; exit 1; }
mkdir -p "$out"

# A clean, private session: settings in memory, no recent files or cached
# logos of the user, Debian's interpreter (it has python3-requests).
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT INT TERM
export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache"
export IWB_PYTHON=${IWB_PYTHON:-/usr/bin/python3}
export LANG=C.UTF-8

size=1100x760
"$shot" "$out/connection.png" --size $size --wait 8 -- \
  dbus-run-session -- "$app" --demo --validate "$srcdir/examples/ticket-tracker"
"$shot" "$out/overrides.png" --size $size --wait 8 -- \
  dbus-run-session -- "$app" --demo --validate --show-overrides "$srcdir/examples/ticket-tracker"
"$shot" "$out/run.png" --size $size --wait 10 -- \
  dbus-run-session -- "$app" --demo --run "Search tickets" "$srcdir/examples/ticket-tracker"
"$shot" "$out/http.png" --size $size --wait 10 -- \
  dbus-run-session -- "$app" --demo --run "Search tickets" --show-http "$srcdir/examples/ticket-tracker"
# Once more with the other example, so the start screen lists both as recent.
"$shot" "$home/chat.png" --size $size --wait 5 -- \
  dbus-run-session -- "$app" "$srcdir/examples/chat-notify"
"$shot" "$out/start.png" --size $size --wait 3 -- \
  dbus-run-session -- "$app"

# The History page: test-ui-history's window, kept on screen at its end.
"$shot" "$out/history.png" --size $size --wait 30 -- \
  env IWB_SOURCE_ROOT="$srcdir" IWB_BUILD_ROOT="$builddir" IWB_PYTHON_DIR="$srcdir/python" \
      G_TEST_BUILDDIR="$home" IWB_TEST_HOLD_FOR_SCREENSHOT=1 \
  dbus-run-session -- "$builddir/tests/test-ui-history"

rm -f "$out"/*.png.log
echo "screenshots: wrote $out/start.png $out/connection.png $out/overrides.png $out/run.png $out/history.png $out/http.png"
