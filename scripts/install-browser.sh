#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium;
# Playwright's own browser download does not work on machines without internet).
# Idempotent and quiet: returns at once when the browser is already there; exits non-zero
# when it cannot install it (the browser tests fail without it, they never skip).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
  echo "install-browser: /usr/bin/chromium is missing; install the Debian package 'chromium' as root" >&2
  exit 1
fi
SUDO=""
[[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-browser: installing Debian chromium for the browser tests" >&2
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  if ! $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "install-browser: could not install chromium; the browser tests cannot run" >&2
    exit 1
  fi
fi
if [[ ! -x /usr/bin/chromium ]]; then
  echo "install-browser: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
