#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The test suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (gcc) in _build-asan (or $IWB_SANITIZER_BUILDDIR), run by
# build-aux/run-tests.sh (headless, a private D-Bus session and keyring).
# Any ASan error, any leak not suppressed in build-aux/lsan.supp (third-party
# libraries only) and any undefined behaviour (fatal) fails the test that hit
# it. The Python suites run none of our compiled code and are left to the
# normal run. Ends with one "N passed, M failed" line. Extra arguments go to
# `meson test`.
. "$(dirname "$0")/common.sh"

builddir=${IWB_SANITIZER_BUILDDIR:-$srcdir/_build-asan}

if [ ! -f "$builddir/build.ninja" ]; then
  trap 'echo "0 passed, 1 failed (sanitizer set-up failed, see above)"' EXIT
  install_missing_packages
  # -fno-sanitize-recover: undefined behaviour aborts at once (like halt_on_error)
  meson setup "$builddir" "$srcdir" -Dwerror=true -Dprofile=development \
    -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all
  trap - EXIT
fi

UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$srcdir/build-aux/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS LSAN_OPTIONS
asan_common=detect_leaks=1:abort_on_error=1

# One pass per unwinding mode, each with its summary line; the sum is printed last.
summary=$(mktemp)
rc=$(mktemp)
trap 'rm -f "$summary" "$rc"' EXIT
status=0

# run_pass ASAN_OPTIONS MESON_TEST_ARGS...: output to the terminal and $summary
run_pass() {
  opts=$1; shift
  rm -f "$rc"
  { code=0
    ASAN_OPTIONS=$opts IWB_TEST_BUILDDIR=$builddir "$srcdir/build-aux/run-tests.sh" "$@" || code=$?
    echo "$code" >"$rc"; } | tee -a "$summary"
  [ "$(cat "$rc" 2>/dev/null)" = 0 ] || status=1
}

# Core, CLI and fuzz smoke: the fast unwinder (frame pointers) is enough.
run_pass "${ASAN_OPTIONS:-$asan_common}" --no-suite python --no-suite ui --no-suite install \
  --timeout-multiplier 3 "$@"

# UI, and the installed window (suite install): the distributions' libraries have no frame pointers, so only the slow
# unwinder sees through them to tell a library's own leak (GLib's first quark
# block, from its constructor) from ours; 8 frames keep it affordable. The
# slow unwinder deadlocks in Mesa's llvmpipe (its JIT registers unwind
# tables, which mallocs under libgcc's unwinder lock), so GTK draws with
# cairo and without GL here: the renderer is not our code.
if [ -z "${ASAN_OPTIONS:-}" ]; then
  ui_asan=$asan_common:fast_unwind_on_malloc=0:malloc_context_size=8
else
  ui_asan=$ASAN_OPTIONS
fi
GSK_RENDERER=cairo GDK_DEBUG=gl-disable run_pass "$ui_asan" --suite ui --suite install \
  --timeout-multiplier 3 "$@"

"${IWB_PYTHON:-python3}" - "$summary" <<'PY'
import re, sys
p = f = s = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?", line)
    if m:
        p += int(m.group(1)); f += int(m.group(2)); s += int(m.group(3) or 0)
if p + f == 0:
    f = 1  # no test ran: a failure
print(f"{p} passed, {f} failed" + (f", {s} skipped" if s else ""))
PY
exit $status
