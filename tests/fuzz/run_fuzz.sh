#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time and prints how many inputs it
# executed. New inputs go to WORK_DIR/corpus (emptied first) and crashes to
# WORK_DIR/artifacts; the committed SEED_DIR is only read.
#
#   run_fuzz.sh FUZZER SEED_DIR WORK_DIR SECONDS [LIBFUZZER_ARGS...]
#
# Exit status: 0 when the run ended without a crash, leak or timeout;
# otherwise 1, after printing the end of libFuzzer's log and the files of
# the inputs that failed.
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
fuzzer=$1 seeds=$2 work=$3 seconds=$4
shift 4
name=$(basename "$fuzzer")
[ -x "$fuzzer" ] || { echo "$name: no fuzzer binary at $fuzzer" >&2; exit 1; }
[ -d "$seeds" ] || { echo "$name: no seed directory $seeds" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
log="$work/fuzz.log"
status=0
start=$(date +%s)
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" \
  "$work/corpus" "$seeds" >"$log" 2>&1 || status=$?

execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -n 1)
elapsed=$(($(date +%s) - start))
echo "$name: ${execs:-?} executions in ${elapsed}s (limit ${seconds}s; log: $log)"
if [ "$status" -ne 0 ]; then
  echo "$name: FAILED (exit status $status); end of the log:" >&2
  tail -n 60 "$log" >&2
  ls -l "$work/artifacts" >&2
  exit 1
fi
