#!/bin/sh
# Makes sure a Chromium for the browser test (test/e2e) is installed at /usr/bin/chromium.
# Does nothing when it is already there; installs Debian's package when running as root with apt;
# otherwise says how to install it and exits 2 (the browser test then skips with that message).
set -eu

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  # Test files run in parallel, and each browser test may get here at once: one installs, the others
  # wait for it (apt-get would refuse them its lock) and then find Chromium installed.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/ensure-chromium.lock"
    flock 9
    if [ -x "$CHROMIUM" ]; then
      exit 0
    fi
  fi
  echo "ensure-chromium: installing Debian's chromium package (once; about 300 MB)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 2
fi

cat >&2 <<MSG
ensure-chromium: no Chromium at $CHROMIUM, and it cannot be installed from here (needs root and apt-get).
Install it yourself, then run the tests again:
  Debian/Ubuntu:  sudo apt-get install chromium
  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH=/path/to/the/binary
MSG
exit 2
