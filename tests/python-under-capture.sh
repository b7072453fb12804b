#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# An interpreter for the conformance runner that starts the SDK's shims the
# way IwbRun does, under the capture host with an events pipe on fd 3
# (python3 -m iwb_host.launch SHIM ARGS...): the recorded stdout, stderr
# and exit status must stay byte for byte the same.
python=${IWB_CAPTURE_PYTHON:-/usr/bin/python3}
if [ "$1" = "-m" ]; then
  case "$2" in
    lhub_integ.shim_*)
      shim=$2
      shift 2
      # the events go to a file descriptor nobody reads but that is open
      IWB_EVENTS_FD=3 exec "$python" -m iwb_host.launch "$shim" "$@" 3>/dev/null
      ;;
  esac
fi
exec "$python" "$@"
