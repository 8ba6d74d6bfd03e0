#!/usr/bin/env bash
# A PostgreSQL cluster of its own in one folder, reachable only through a
# Unix socket in that folder (no TCP), for trying viewer on PostgreSQL and
# for the tests. Run as root, the cluster belongs to the `postgres` user.
#
#   scripts/pg_cluster.sh start [DIR]   create (first time) and start it;
#                                       prints its URL
#   scripts/pg_cluster.sh url [DIR]     prints the URL of database "viewer"
#   scripts/pg_cluster.sh stop [DIR]    stops it (the data stays in DIR)
#   scripts/pg_cluster.sh destroy [DIR] stops it at once and removes DIR
#
#   DATABASE_URL=$(scripts/pg_cluster.sh start) ./run.sh
#
# DIR defaults to ${TMPDIR:-/tmp}/viewer-pg-$USER. The role `postgres`
# connects without a password (only DIR's owner can reach the socket);
# every other role needs its password. The default collation is ICU's
# en-US where this PostgreSQL has ICU, so that nothing can depend on the
# default collation sorting bytewise.
#
# For tests, `start --throwaway [--watch PID | --watch-parent] DIR` first
# destroys whatever is in DIR (a stale cluster of an interrupted run),
# makes a cluster that does not sync to disk, and, with --watch, destroys
# it once process PID (or the script's parent, such as ctest) has exited,
# however it ended.
set -euo pipefail

script=$(readlink -f "$0")
port=5432

die() { echo "pg_cluster.sh: $*" >&2; exit 1; }

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  if command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || die "no PostgreSQL server found (Debian: apt-get install postgresql)"
  echo "$dir"
}

# as_owner CMD...: runs CMD as the cluster's owner (postgres when root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 ||
      die "running as root needs the postgres user (Debian's postgresql package makes it)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() { echo "postgresql:///viewer?host=$1&port=$port&user=postgres"; }

running() { [ -f "$1/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

make_dir() {
  mkdir -p "$1"
  chmod 700 "$1"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$1"; fi
}

init() {
  local dir=$1 throwaway=$2
  make_dir "$dir"
  local locale=(--locale=C.UTF-8)
  if [[ "$("$bin/initdb" --help)" == *--locale-provider* ]]; then
    locale+=(--locale-provider=icu --icu-locale=en-US)
  fi
  local sync=()
  [ "$throwaway" -eq 1 ] && sync=(--no-sync)
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
      "${locale[@]}" "${sync[@]}" >"$dir/initdb.log" 2>&1 ||
    die "initdb failed, see $dir/initdb.log: $(tail -n 3 "$dir/initdb.log")"
  as_owner tee "$dir/pg_hba.conf" >/dev/null <<'EOF'
local all postgres trust
local all all scram-sha-256
EOF
}

start() {
  local throwaway=0 watch=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --throwaway) throwaway=1; shift ;;
      --watch) watch=$2; shift 2 ;;
      --watch-parent) watch=$PPID; shift ;;
      *) break ;;
    esac
  done
  local dir=${1:-$default_dir}
  [ "$throwaway" -eq 1 ] && destroy "$dir"
  if [ -n "$watch" ]; then
    # First, so that DIR goes away with PID even if starting fails. The
    # owner file lets a watcher of an older run tell that DIR now holds
    # someone else's cluster.
    make_dir "$dir"
    echo "$watch" >"$dir/watched.pid"
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
                    [ "$(cat "$3/watched.pid" 2>/dev/null)" = "$1" ] &&
                      "$2" destroy "$3"' watcher "$watch" "$script" "$dir" \
        </dev/null >/dev/null 2>&1 &
  fi
  if running "$dir"; then url "$dir"; return; fi
  [ -f "$dir/data/PG_VERSION" ] || init "$dir" "$throwaway"
  local settings="-c listen_addresses= -k $dir -p $port -c hba_file=$dir/pg_hba.conf"
  [ "$throwaway" -eq 1 ] &&
    settings+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "$settings" start >/dev/null ||
    die "the server did not start, see $dir/server.log: $(tail -n 3 "$dir/server.log")"
  if ! as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -XAtq \
      -c "SELECT 1 FROM pg_database WHERE datname = 'viewer'" | grep -q 1; then
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres viewer
  fi
  url "$dir"
}

stop() {
  local dir=${1:-$default_dir}
  if running "$dir"; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
}

destroy() {
  local dir=${1:-$default_dir}
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

bin=$(pg_bin)
default_dir="${TMPDIR:-/tmp}/viewer-pg-$(id -un)"
command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  start) start "$@" ;;
  url) url "${1:-$default_dir}" ;;
  stop) stop "$@" ;;
  destroy) destroy "$@" ;;
  *) sed -n '2,24p' "$script"; exit 2 ;;
esac
