# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by run-demo.sh and run-tests.sh: install what is missing, then build.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing_packages() {
  missing=""
  for pkg in $(grep -v '^#' "$srcdir/build-aux/debian-packages.txt"); do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "Installing Debian packages:$missing"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  fi
}

# build DIR [meson options...]: the options apply when DIR is set up; the
# scripts own their build dirs, so later runs only rebuild what changed.
build() {
  dir=$1; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$srcdir" "$@"
  ninja -C "$dir"
}

# Debian's interpreter has python3-requests & co; a pyenv/venv python3 earlier on
# PATH may not. The app and iwb honour IWB_PYTHON (Preferences override it).
if [ -z "${IWB_PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then
  IWB_PYTHON=/usr/bin/python3
  export IWB_PYTHON
fi
