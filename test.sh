#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the whole ctest
# suite (labels unit, equivalence, property, ...) of the Release build, then
# the address+undefined sanitizer build of the same suite, the
# thread-sanitizer build of the concurrency tests, and clang's build
# (scripts/fuzz.sh): the lock annotations checked with -Wthread-safety, and
# each libFuzzer target for 20 seconds. Every build treats warnings as
# errors. Safe to run again: it only redoes what changed.
#
#   ./test.sh            everything (what CI runs)
#   ./test.sh --quick    the Release build's suite only
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

ensure_packages "${VIEWER_BUILD_PACKAGES[@]}" "${VIEWER_TEST_PACKAGES[@]}"

jobs=$(nproc)
# A skipped test is not a passed test: ctest counts a GTEST_SKIP as passed,
# so both runners below fail when anything was skipped, and say what.
run_ctest() {  # run_ctest DIR [CTEST_ARGS...]
  local dir=$1
  shift
  local log="$dir/ctest-output.txt"
  local status=0
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs" \
      "$@" 2>&1 | tee "$log" || status=$?
  local skipped
  skipped=$(sed -n '/^The following tests did not run:/,/^$/p' "$log" |
            grep -E '\((Skipped|Disabled)\)' || true)
  if [ -n "$skipped" ]; then
    echo "error: tests were skipped (a skip is not a pass):" >&2
    echo "$skipped" >&2
    return 1
  fi
  return "$status"
}
run_gtest() {  # run_gtest BINARY [ARGS...]: runs a test binary directly
  local log
  log=$(mktemp)
  local status=0
  "$@" 2>&1 | tee "$log" || status=$?
  local skipped
  skipped=$(grep -E '^\[  SKIPPED \] [^0-9]' "$log" || true)
  rm -f "$log"
  if [ -n "$skipped" ]; then
    echo "error: tests were skipped (a skip is not a pass):" >&2
    echo "$skipped" >&2
    return 1
  fi
  return "$status"
}

# The normal build is the optimised one, so that a warning only -O3 shows
# (or a bug only it exposes) cannot come back unnoticed.
echo "==> build (Release, -O3) and the whole suite"
configure_and_build build -DCMAKE_BUILD_TYPE=Release -DVIEWER_WERROR=ON
run_ctest build

if [ "$quick" -eq 0 ]; then
  echo "==> address+undefined sanitizer build"
  configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug \
      -DVIEWER_SANITIZE=address -DVIEWER_WERROR=ON
  run_ctest build-asan
  echo "==> thread sanitizer build: the concurrency tests"
  configure_and_build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DVIEWER_WERROR=ON \
      -DVIEWER_SANITIZE=thread -- engine_test storage_contract_test \
      storage_equivalence_test sqlite_backend_test property_tests \
      http_handler_test
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
  run_gtest build-tsan/tests/engine/engine_test
  run_gtest build-tsan/tests/storage/storage_contract_test \
      --gtest_filter='*Transactions*'
  run_gtest build-tsan/tests/storage/storage_equivalence_test
  run_gtest build-tsan/tests/sqlite_backend/sqlite_backend_test
  build-tsan/property_tests/property_tests --only=concurrency --rc-max-success=200
  run_gtest build-tsan/tests/http/http_handler_test --gtest_filter='*Robustness*'
  echo "==> clang: lock annotations (-Wthread-safety), then each libFuzzer" \
       "target for 20 s from its corpus"
  scripts/fuzz.sh 20
fi
echo "==> all tests passed"
