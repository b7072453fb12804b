#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The test suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (gcc) in _build-asan (or $IWB_SANITIZER_BUILDDIR), run by
# build-aux/run-tests.sh (headless, a private D-Bus session and keyring).
# Any ASan error, any leak not suppressed in build-aux/lsan.supp (third-party
# libraries only) and any undefined behaviour (fatal) fails the test that hit
# it. The Python suites run none of our compiled code and are left to the
# normal run. Ends with one "N passed, M failed" line. Extra arguments go to
# `meson test`. IWB_SANITIZER_PASSES picks passes among "core tls ui"
# (default: all three; .ci/run runs "core tls", see docs/fuzzing.md).
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
# intercept_tls_get_addr=0: up to GCC 13 the runtime's __tls_get_addr
# interceptor takes a dynamic TLS block for one with a glibc 2.19 header
# when the block happens to start at that offset in its page (no glibc
# since 2.25 has one) and reads two words before it as a range: at exit
# LeakSanitizer's tracer then faults ("Tracer caught signal 11 ... has
# encountered a fatal error", no leak reported) in 2–4 of 6 runs of
# test-http-capture here. Not our code; leaks are still checked.
asan_common=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0

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

# Tests whose processes load GIO's TLS module (GnuTLS, dlopen()ed with its
# own dynamic TLS blocks): gcc 12's LeakSanitizer crashes in its tracer on
# the dynamic TLS vector of glibc 2.36 ("Tracer caught signal 11" at "DTLS
# ... at 0x00020000017f"), before any leak is looked at; use_tls=0 avoids
# the crash but then misses the pointers held in thread-local storage and
# reports false leaks. These run with ASan and UBSan in full and the leak
# check off (a toolchain defect, not a suppression of our code).
tls_tests="test-http-exchange test-diagnose"
# Tests of G_TEST_OPTION_ISOLATE_DIRS: GLib's g_set_user_dirs() keeps the
# old folders' strings (suppressed in lsan.supp); only the slow unwinder
# sees that frame through GLib, which has no frame pointers.
slow_unwind_tests="test-pyenv"

if [ -n "${IWB_SANITIZER_PASSES:-}" ]; then
  passes=$IWB_SANITIZER_PASSES
else
  passes="core tls ui"
fi

# Core, CLI and fuzz smoke: the fast unwinder (frame pointers) is enough.
case " $passes " in *" core "*)
  # every test but the Python, UI, installed-window and TLS ones, by name
  core_names=$(meson test -C "$builddir" --list --no-suite python --no-suite ui \
                 --no-suite install 2>/dev/null | sed -n 's|^[^ ]* / ||p' |
               grep -v -x -F "$(printf '%s\n' $tls_tests $slow_unwind_tests)")
  if [ -z "$core_names" ]; then
    echo "run-sanitizer-tests: cannot list the tests of $builddir" >&2
    echo "0 passed, 1 failed (no test list)" >>"$summary"
    status=1
  else
    # shellcheck disable=SC2086 # the names are one word each
    run_pass "${ASAN_OPTIONS:-$asan_common}" --timeout-multiplier 3 "$@" $core_names
  fi
  # shellcheck disable=SC2086
  run_pass "${ASAN_OPTIONS:-$asan_common:fast_unwind_on_malloc=0:malloc_context_size=8}" \
    --timeout-multiplier 3 "$@" $slow_unwind_tests
  ;;
esac
case " $passes " in *" tls "*)
  # shellcheck disable=SC2086
  run_pass "${ASAN_OPTIONS:-abort_on_error=1}:detect_leaks=0" --timeout-multiplier 3 "$@" $tls_tests
  ;;
esac

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
case " $passes " in *" ui "*)
  GSK_RENDERER=cairo GDK_DEBUG=gl-disable run_pass "$ui_asan" --suite ui --suite install \
    --timeout-multiplier 3 "$@"
  ;;
esac

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
