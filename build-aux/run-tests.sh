#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds with warnings as errors, and runs every test
# headless (Xvfb, a private D-Bus session with gnome-keyring). Ends with
# "N passed, M failed". Extra arguments go to `meson test` (e.g. --suite core).
. "$(dirname "$0")/common.sh"

builddir=${IWB_TEST_BUILDDIR:-$srcdir/_build-tests}

# A set-up or build failure is a failed run too, and says so in the last line.
trap 'echo "0 passed, 1 failed (set-up or build failed, see above)"' EXIT
install_missing_packages
build "$builddir" -Dwerror=true -Dprofile=development
trap - EXIT

# meson test runs inside a private D-Bus session with an unlocked keyring; UI
# tests start their own Xvfb (xvfb-run -a) from meson.
# The keyring: a fresh "login" keyring (the default collection, so libsecret
# stores without a prompt) in a temporary folder, unlocked with a password:
# an empty password would store it unencrypted on disk.
status=0
dbus-run-session -- sh -c '
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/iwb-test-keyring.XXXXXX")
  trap "rm -rf \"\$keyring_home\"" EXIT
  printf "%s" "iwb-test-keyring-$$" |
    XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 ||
    echo "run-tests: gnome-keyring-daemon did not start: the keyring tests will fail" >&2
  meson test -C "$0" --print-errorlogs --num-processes 2 "$@"
' "$builddir" "$@" || status=$?

python3=/usr/bin/python3; [ -x "$python3" ] || python3=python3
"$python3" - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
except OSError:
    lines = []
for line in lines:
    if not line.strip():
        continue
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif r == "SKIP":
        skipped += 1
    else:
        failed += 1
if passed + failed == 0:
    failed = 1  # no test ran: that is a failure, not a success
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
