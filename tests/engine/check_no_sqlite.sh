#!/bin/sh
# Usage: check_no_sqlite.sh LIBENGINE.a BINARY_LINKED_ONLY_TO_ENGINE
# Fails if the engine library mentions any sqlite3 symbol or the binary
# loads libsqlite3.
set -u
lib=$1
bin=$2
if nm -A "$lib" 2>/dev/null | grep -i 'sqlite3' ; then
  echo "FAIL: $lib references SQLite symbols" >&2
  exit 1
fi
nm "$lib" >/dev/null 2>&1 || { echo "FAIL: cannot read $lib" >&2; exit 1; }
if ldd "$bin" | grep -i sqlite; then
  echo "FAIL: $bin loads SQLite" >&2
  exit 1
fi
ldd "$bin" >/dev/null || { echo "FAIL: cannot ldd $bin" >&2; exit 1; }
echo "ok: $(nm "$lib" | wc -l) symbols in $lib, none from SQLite; $bin loads no SQLite"
