#!/usr/bin/env bash
# Installs the build tools the PostgreSQL and MySQL backends compile their client libraries
# with. Those libraries (libpq, libmysqlclient) are built from source into the binary (the
# `bundled` feature, on by default in migrate-cli): cmake and a C++ compiler for
# libmysqlclient, OpenSSL's headers for both. SQLite needs only a C compiler (bundled
# libsqlite3). No system client library is needed, at build or at run time.
set -euo pipefail

missing=()
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
command -v cmake >/dev/null || missing+=(cmake)
command -v c++ >/dev/null || missing+=(g++)
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg_installed libssl-dev || missing+=(libssl-dev)
# The offline-SQL tests feed scripts to the database's own client.
command -v sqlite3 >/dev/null || missing+=(sqlite3)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install these for your system: ${missing[*]} (cmake, a C++ compiler, OpenSSL headers, pkg-config, sqlite3)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
