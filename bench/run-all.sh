#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark against its baseline, in one go, on a built tree, and
# prints Markdown tables (the ones quoted in docs/benchmarks.md and README.md).
# Usage: bench/run-all.sh [BUILDDIR]   (default: _build, as made by build-aux/run-demo.sh)
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$srcdir/_build}
case $builddir in /*) ;; *) builddir=$(pwd)/$builddir ;; esac
[ -x "$builddir/src/cli/iwb" ] || { echo "run-all: no $builddir/src/cli/iwb: build first" >&2; exit 1; }
python3=/usr/bin/python3; [ -x "$python3" ] || python3=python3

echo "## Inspect"
"$python3" "$srcdir/bench/inspect.py" --build "$builddir" --markdown
echo
echo "## Runner"
"$python3" "$srcdir/bench/run.py" --build "$builddir" --markdown
echo
echo "## Descriptor diff"
"$builddir/bench/diff-bench" --markdown
echo
echo "## iwb diff, the whole command"
"$python3" "$srcdir/bench/diff-cli.py" --build "$builddir" --markdown
echo
echo "## Run history"
"$builddir/bench/history-bench" --markdown
"$python3" "$srcdir/bench/history.py" --build "$builddir" --markdown
echo
echo "## HTTP capture"
"$python3" "$srcdir/bench/capture.py" --build "$builddir" --markdown
echo
echo "## HTTP capture through iwb run"
"$python3" "$srcdir/bench/capture-run.py" --build "$builddir" --markdown
echo
echo "## Reaper"
"$python3" "$srcdir/bench/reaper.py" --build "$builddir" --markdown
echo
# The window's benches need a display: under Xvfb when there is none.
if [ -x "$builddir/bench/ui-stall" ]; then
  xrun=; [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || xrun="xvfb-run -a"
  echo "## Window stall while results stream"
  $xrun "$builddir/bench/ui-stall" --history --markdown
  echo
  echo "## History page"
  $xrun "$builddir/bench/history-list" --markdown
fi
