#!/usr/bin/env bash
# Builds with clang in build-fuzz: first the libraries of every layer with
# -Wthread-safety -Werror (target lock_checked: a lock annotation that does
# not hold fails here), then the libFuzzer targets, and runs each for a
# bounded time from its committed corpus (tests/fuzz/corpus/<target>/, only
# read), printing the executions of each. Installs nothing: it stops with a
# message when clang or the fuzzer runtime is missing (Debian packages clang
# and libclang-rt-14-dev).
#
#   scripts/fuzz.sh              every target, 20 s each
#   scripts/fuzz.sh 60           every target, 60 s each
#   scripts/fuzz.sh 20 alias     one target
#
# Exit status 1 when a lock annotation does not hold, or when a target
# crashed, leaked, timed out or broke one of its properties; the input that
# did it is in build-fuzz/tests/fuzz/work/<target>/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
case "$seconds" in
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a number, got '$seconds'" >&2
               exit 2 ;;
esac
targets=("$@")

die() { echo "fuzz.sh: $*" >&2; exit 1; }
command -v clang >/dev/null && command -v clang++ >/dev/null ||
  die "clang is not installed (Debian: apt-get install clang)"
runtime=$(clang++ -print-file-name="libclang_rt.fuzzer-$(uname -m).a")
[ -f "$runtime" ] ||
  die "clang has no libFuzzer runtime (libclang_rt.fuzzer-$(uname -m).a;" \
      "Debian: apt-get install libclang-rt-14-dev)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*,
  unsigned long) { return 0; }' >"$probe/probe.cc"
clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cc" \
    -o "$probe/probe" 2>"$probe/log" ||
  die "clang++ cannot link a fuzz target with address+undefined" \
      "sanitizers (Debian: apt-get install libclang-rt-14-dev):" \
      "$(head -n 3 "$probe/log")"

dir=build-fuzz
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DVIEWER_FUZZ=ON \
      -DVIEWER_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
grep -q '^CMAKE_CXX_COMPILER_ID:.*Clang\|^CMAKE_CXX_COMPILER:.*clang' \
    "$dir/CMakeCache.txt" ||
  die "$dir was configured with another compiler; remove it and run again"
grep -q '^VIEWER_FUZZ:BOOL=ON' "$dir/CMakeCache.txt" ||
  cmake "$dir" -DVIEWER_FUZZ=ON >/dev/null
grep -q '^VIEWER_WERROR:BOOL=ON' "$dir/CMakeCache.txt" ||
  cmake "$dir" -DVIEWER_WERROR=ON >/dev/null
ninja -C "$dir" build.ninja >/dev/null  # re-runs cmake when a list changed
echo "fuzz.sh: checking lock annotations (-Wthread-safety -Werror)"
ninja -C "$dir" lock_checked ||
  die "a lock annotation does not hold (-Wthread-safety, above)"
if [ ${#targets[@]} -eq 0 ]; then
  for t in cid alias template import; do
    if ninja -C "$dir" -t query "${t}_fuzz" >/dev/null 2>&1; then
      targets+=("$t")
    else
      echo "fuzz.sh: no ${t}_fuzz target in this tree (its source or" \
           "library is not there yet): skipped" >&2
    fi
  done
fi
ninja -C "$dir" "${targets[@]/%/_fuzz}"

failed=()
for t in "${targets[@]}"; do
  extra=()
  [ -f "tests/fuzz/$t.dict" ] && extra=(-dict="tests/fuzz/$t.dict")
  tests/fuzz/run_fuzz.sh "$dir/tests/fuzz/${t}_fuzz" "tests/fuzz/corpus/$t" \
      "$dir/tests/fuzz/work/$t" "$seconds" "${extra[@]}" || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
  die "failed: ${failed[*]}"
fi
echo "fuzz.sh: ${#targets[@]} targets ran ${seconds}s each without a failure"
