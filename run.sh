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
# RapidCheck, benchmark) when it configures, even to build viewer alone,
# so a fresh machine needs them too.
ensure_packages "${VIEWER_BUILD_PACKAGES[@]}" "${VIEWER_TEST_PACKAGES[@]}"
configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -- viewer
exec build/http/viewer "$@"
