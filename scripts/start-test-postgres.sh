#!/usr/bin/env bash
# Makes a local PostgreSQL 15 available for the *_pgtest suites on Debian 12, as root. Idempotent:
# creates the cluster if missing, starts it if stopped, waits until it accepts connections, and
# creates (or updates) the role motcua_test (LOGIN CREATEDB) with a random password generated on
# this machine at first run and kept in a root-only file outside the repository, so that repeated
# and concurrent runs hand out the same, still valid, credentials.
#
# Prints exactly one line on stdout, the libpq connection string for MOTCUA_TEST_PG:
#   MOTCUA_TEST_PG="$(bash scripts/start-test-postgres.sh)"
# Everything else goes to stderr. Never reads stdin (safe with CI=true and no terminal).
#
# Environment: MOTCUA_PG_VERSION (15), MOTCUA_PG_CLUSTER (main), MOTCUA_PG_ROLE (motcua_test),
# MOTCUA_PG_STATE_DIR (/var/lib/motcua-test-pg: password file and lock).
set -euo pipefail

exec 3>&1 1>&2 </dev/null  # stdout is reserved for the one result line (fd 3)

version="${MOTCUA_PG_VERSION:-15}"
cluster="${MOTCUA_PG_CLUSTER:-main}"
role="${MOTCUA_PG_ROLE:-motcua_test}"
state_dir="${MOTCUA_PG_STATE_DIR:-/var/lib/motcua-test-pg}"

# Runs a command with only stdin, stdout and stderr open: a server started from here must not
# inherit the lock (fd 9) or the caller's result pipe (fd 3), or `$(…)` would never see EOF.
without_extra_fds() {
  (
    for fd in /proc/self/fd/*; do
      n="${fd##*/}"
      if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null || true; fi
    done
    exec "$@"
  )
}
log() { echo "start-test-postgres: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it manages the local cluster)"
for tool in pg_lsclusters pg_createcluster pg_ctlcluster pg_isready runuser flock od; do
  command -v "$tool" >/dev/null || die "$tool not found; run scripts/install-deps.sh first"
done
[[ "$role" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad role name: $role"

umask 077
mkdir -p "$state_dir"
chmod 700 "$state_dir"
# Serialise concurrent runs (cluster creation, role creation, password file).
exec 9>"$state_dir/lock"
flock -w 120 9 || die "timed out waiting for $state_dir/lock"

cd /  # runuser keeps the cwd; postgres may not be allowed into it

# Cluster: create if missing, start if down.
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {f=1} END {exit !f}'
then
  log "creating cluster $version/$cluster"
  without_extra_fds pg_createcluster "$version" "$cluster" >&2
fi
read -r port status < <(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" \
  '$1 == v && $2 == c {print $3, $4}')
[ -n "${port:-}" ] || die "cluster $version/$cluster not listed by pg_lsclusters"
if [[ "$status" != online* ]]; then
  log "starting cluster $version/$cluster on port $port"
  without_extra_fds pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port" >&2 || die "server on 127.0.0.1:$port is not ready after 30 s"

# The password: random, generated here on first run, never stored in the repository.
pw_file="$state_dir/password"
password=""
[ -s "$pw_file" ] && password="$(tr -dc '0-9a-f' <"$pw_file")"
if [ "${#password}" -ne 48 ]; then
  password="$(od -An -N24 -tx1 /dev/urandom | tr -dc '0-9a-f')"
  [ "${#password}" -eq 48 ] || die "could not generate a password"
  printf '%s\n' "$password" >"$pw_file.tmp"
  mv -f "$pw_file.tmp" "$pw_file"
  log "generated a new password for role $role ($pw_file)"
fi

# Role: create or update. Values reach SQL as psql variables (quoted by psql), not by splicing.
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$port" \
  -d postgres -v role="$role" -v pw="$password" >&2 <<'SQL'
SET log_statement = 'none';
SELECT format('CREATE ROLE %I', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
SQL

conninfo="host=127.0.0.1 port=$port user=$role password=$password dbname=postgres"
env -i PATH="$PATH" PGCONNECT_TIMEOUT=10 PGPASSFILE=/dev/null \
  psql -X -q -At -d "$conninfo" -c 'SELECT 1' >/dev/null ||
  die "cannot log in as $role on 127.0.0.1:$port (check pg_hba.conf and listen_addresses)"
log "PostgreSQL $version/$cluster ready on 127.0.0.1:$port, role $role"
echo "$conninfo" >&3
