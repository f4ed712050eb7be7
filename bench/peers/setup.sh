#!/usr/bin/env bash
# Installs the peers the `versus` bench compares with, where they come from PyPI: Alembic
# (with SQLAlchemy and the PostgreSQL and MySQL drivers) in a virtual environment under
# target/bench-peers. The bench finds it there; without it, the bench prints our side only.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/bench-peers/venv
if ! python3 -m venv --help >/dev/null 2>&1; then
  echo "python3 with the venv module is needed (Debian/Ubuntu: apt-get install python3-venv)" >&2
  exit 1
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade "alembic==1.20.1" "sqlalchemy>=2,<3" psycopg2-binary pymysql
"$venv/bin/alembic" --version
