#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Long fuzzing runs with libFuzzer (docs/fuzzing.md).
#
#   build-aux/fuzz.sh [-t SECONDS] [TARGET...] [-- LIBFUZZER_OPTION...]
#
# Builds the targets with clang, ASan and UBSan in _build-fuzz (or
# $IWB_FUZZ_BUILDDIR), then runs each TARGET (default: all) for SECONDS
# (default 600) in one process, starting from the seeds in
# tests/fuzz-corpus/TARGET. New inputs go to BUILDDIR/fuzz-work/TARGET/corpus,
# crashes to BUILDDIR/fuzz-work/TARGET/crash-*; each target's last lines
# (executions, time, coverage) are printed at the end. Exits non-zero when a
# target found a crash, a leak, a timeout or undefined behaviour.
. "$(dirname "$0")/common.sh"

seconds=600
targets=""
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '3,14p' "$0"; exit 0 ;;
    *) targets="$targets $1"; shift ;;
  esac
done
all_targets="result-parser metadata overrides json-diff json-patch input-rows"
[ -n "$targets" ] || targets=$all_targets

missing=""
for pkg in $(grep -v '^#' "$srcdir/build-aux/debian-packages.txt" "$srcdir/build-aux/fuzz-packages.txt" | sed 's/^[^:]*://'); do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "Installing Debian packages:$missing"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

builddir=${IWB_FUZZ_BUILDDIR:-$srcdir/_build-fuzz}
if [ ! -f "$builddir/build.ninja" ]; then
  # the whole core is instrumented for coverage; only fuzz-TARGET links libFuzzer
  CC=clang CFLAGS="-fsanitize=fuzzer-no-link" \
    meson setup "$builddir" "$srcdir" -Dfuzzing=true -Dgui=false \
      -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
fi
for t in $targets; do
  ninja -C "$builddir" "fuzz/fuzz-$t"
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:intercept_tls_get_addr=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
summary=""
for t in $targets; do
  work="$builddir/fuzz-work/$t"
  mkdir -p "$work/corpus"
  log="$work/fuzz.log"
  echo "== $t: $seconds s (log: $log)"
  rc=0
  "$builddir/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -dict="$srcdir/fuzz/iwb.dict" \
    -artifact_prefix="$work/" "$@" "$work/corpus" "$srcdir/tests/fuzz-corpus/$t" \
    >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  line="$t: exit $rc, ${execs:-?} executions, ${secs:-?} exec/s, $cov, corpus $(ls "$work/corpus" | wc -l)"
  if [ "$rc" != 0 ]; then
    status=1
    line="$line, FAILED: $(ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | tr '\n' ' ')"
    tail -n 40 "$log"
  fi
  echo "$line"
  summary="$summary$line
"
done
echo "---"
printf '%s' "$summary"
exit $status
