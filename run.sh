#!/usr/bin/env bash
# Builds what is missing and starts viewer, passing every argument on:
#
#   ./run.sh --in-memory-db        everything in memory, nothing on disk
#   ./run.sh                       on secureapp.db (or DATABASE_URL)
#   ./run.sh --help                every flag
#
# Safe to run again: it only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

# The top-level CMakeLists.txt looks for the test libraries (GoogleTest,
# RapidCheck, benchmark) whenever it configures, even to build viewer
# alone, so a fresh machine needs these few of the test packages too (not
# the rest: Chromium, clang, strace are for ./test.sh only).
configure_packages=(
  googletest libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
)
ensure_packages "${VIEWER_BUILD_PACKAGES[@]}" "${configure_packages[@]}"
# The same build tree and settings as ./test.sh's, so neither undoes the
# other's configuration.
configure_and_build build -DCMAKE_BUILD_TYPE=Release -DVIEWER_WERROR=ON -- viewer
exec build/http/viewer "$@"
