#!/usr/bin/env bash
# Shows that the stock binary needs no database client library: on a system where they are
# hidden (scripts/without-client-libs.sh), installs it with `cargo install --path migrate-cli`
# (default features), checks that it links none, runs `cargo migrate --help` and connects to a
# PostgreSQL and a MySQL URL with it.
#
#   scripts/install-check.sh POSTGRES_URL MYSQL_URL
#
# Needs root (for the mount namespace) and the build tools of scripts/install-system-deps.sh.
# The build goes to target/install-check.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres_url="${1:?usage: scripts/install-check.sh POSTGRES_URL MYSQL_URL}"
mysql_url="${2:?usage: scripts/install-check.sh POSTGRES_URL MYSQL_URL}"

if [ "${CLIENT_LIBS_HIDDEN:-}" != 1 ]; then
  exec scripts/without-client-libs.sh "$0" "$@"
fi

root="$(mktemp -d)"
work="$(mktemp -d)"
trap 'rm -rf "$root" "$work"' EXIT
CARGO_TARGET_DIR=target/install-check cargo install --quiet --locked --debug \
  --path migrate-cli --root "$root"
export PATH="$root/bin:$PATH"

echo "install-check: libraries cargo-migrate links:"
ldd "$root/bin/cargo-migrate" | sed 's/^/  /'
if ldd "$root/bin/cargo-migrate" | grep -Eq 'libpq|libmysqlclient|libmariadb'; then
  echo "install-check: the binary links a system client library" >&2
  exit 1
fi

# Outside this repository, so that `cargo migrate` is the installed subcommand; a version
# table of its own, so that what other runs left on the servers does not show.
cd "$work"
cargo migrate --help >/dev/null
echo "install-check: cargo migrate --help: exit 0"
cargo migrate --version
cargo migrate init >/dev/null
sed -i 's/^version_table = .*/version_table = "migrate_install_check"/' migrate.toml
for url in "$postgres_url" "$mysql_url"; do
  echo "install-check: cargo migrate current on ${url%%://*}:"
  cargo migrate --database-url "$url" current
done
echo "install-check: passed"
