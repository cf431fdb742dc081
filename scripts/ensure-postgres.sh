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
# The tests need only the server programs: no system cluster to create and start (which
# fails on machines without an init system).
# postgresql-common reads this file (kept as is by ucf) when its server package installs.
if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
export UCF_FORCE_CONFFOLD=1
$SUDO apt-get update -q
$SUDO ${SUDO:+--preserve-env=UCF_FORCE_CONFFOLD,DEBIAN_FRONTEND} \
  apt-get install -y -q --no-install-recommends postgresql
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "ensure-postgres: PostgreSQL could not be installed; the store tests cannot run" >&2
  exit 1
fi
