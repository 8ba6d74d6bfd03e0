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
run_ctest() {  # run_ctest DIR [CTEST_ARGS...]
  local dir=$1
  shift
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs" "$@"
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
      sqlite_backend_test property_tests http_handler_test
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
  build-tsan/tests/engine/engine_test
  build-tsan/tests/storage/storage_contract_test --gtest_filter='*Transactions*'
  build-tsan/tests/sqlite_backend/sqlite_backend_test
  build-tsan/property_tests/property_tests --only=concurrency --rc-max-success=200
  build-tsan/tests/http/http_handler_test --gtest_filter='*Robustness*'
  echo "==> clang: lock annotations (-Wthread-safety), then each libFuzzer" \
       "target for 20 s from its corpus"
  scripts/fuzz.sh 20
fi
echo "==> all tests passed"
