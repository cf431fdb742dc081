#!/usr/bin/env bash
# PostgreSQL's server programs for the store tests (the tests start a private cluster with
# them). Installs Debian's package when missing; fails loudly when that is impossible.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; then
  exit 0
fi
echo "ensure-postgres: installing PostgreSQL (the store tests run against a real server)"
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# postgresql-common would create and start a system cluster; the tests need only the binaries.
$SUDO apt-get install -y -q --no-install-recommends postgresql
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "ensure-postgres: PostgreSQL could not be installed; the store tests cannot run" >&2
  exit 1
fi
