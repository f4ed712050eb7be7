#!/usr/bin/env bash
# Runs a command as on a machine without the PostgreSQL and MySQL client libraries: in a
# private mount namespace, every libpq, libmysqlclient and libmariadb file the system has
# (libraries, headers, pkg-config files) is covered by an empty one. Needs root.
#
#   scripts/without-client-libs.sh COMMAND [ARGS...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/without-client-libs.sh COMMAND [ARGS...]" >&2; exit 2; }

if [ "${CLIENT_LIBS_HIDDEN:-}" != 1 ]; then
  exec unshare --mount --propagation private env CLIENT_LIBS_HIDDEN=1 "$0" "$@"
fi

empty_dir="$(mktemp -d)"
hidden=0
while IFS= read -r found; do
  if [ -d "$found" ] && [ ! -L "$found" ]; then
    mount --bind "$empty_dir" "$found"
  elif [ -f "$found" ] && [ ! -L "$found" ]; then
    mount --bind /dev/null "$found"
  else
    continue # a symbolic link: its target is covered on its own
  fi
  hidden=$((hidden + 1))
done < <(find /usr/lib /usr/include /usr/share/pkgconfig /usr/local/lib /usr/local/include \
  \( -name 'libpq*' -o -name 'libmysqlclient*' -o -name 'libmariadb*' \
     -o -name 'libpq-fe.h' -o -name 'mysql.h' \
     -o -name 'postgresql' -o -name 'mysql' -o -name 'mariadb' \) \
  -not -path '*/python*' 2>/dev/null)
echo "without-client-libs: $hidden files and directories of libpq/libmysqlclient/libmariadb hidden" >&2
if command -v pkg-config >/dev/null \
  && { pkg-config --exists libpq || pkg-config --exists mysqlclient || pkg-config --exists libmariadb; } 2>/dev/null; then
  echo "without-client-libs: pkg-config still finds a client library" >&2
  exit 1
fi
exec "$@"
