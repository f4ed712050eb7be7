#!/usr/bin/env bash
# Installs the C client libraries that diesel's PostgreSQL and MySQL backends link against.
# SQLite needs nothing: it is compiled in (diesel's `sqlite` feature with bundled libsqlite3).
set -euo pipefail

missing=()
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
pkg_installed libpq-dev || missing+=(libpq-dev)
pkg_installed default-libmysqlclient-dev || missing+=(default-libmysqlclient-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
# The offline-SQL tests feed scripts to the database's own client.
command -v sqlite3 >/dev/null || missing+=(sqlite3)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install the PostgreSQL and MySQL client libraries (libpq, libmysqlclient) for your system" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
