# Shared by run.sh and test.sh: install missing Debian packages, configure
# and build. Sourced, not run.

# The Debian packages viewer builds with.
VIEWER_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config
  libabsl-dev libsqlite3-dev libpq-dev libcpp-httplib-dev nlohmann-json3-dev
  libcxxopts-dev libssl-dev libcmark-dev libqrencode-dev zlib1g-dev libre2-dev
)
# What the tests need beyond the build: test libraries, clang's libFuzzer
# for the fuzz targets, strace for the "memory mode writes nothing" test,
# Chromium and its WebDriver for the browser test, sqlite3 for checks,
# libpng to decode the QR codes viewer draws, a PostgreSQL server the
# tests start a throwaway cluster of (scripts/pg_cluster.sh), and ccache,
# which makes the builds of a fresh clone cheap.
VIEWER_TEST_PACKAGES=(
  googletest libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  clang libclang-rt-14-dev strace chromium chromium-driver sqlite3 ccache
  libpng-dev postgresql
)

# ensure_packages PKG...: installs the ones not installed yet.
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      echo "error: need root (or sudo) to install: ${missing[*]}" >&2
      return 1
    }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" ||
    { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# cache_has DIR -DNAME=VALUE...: true when DIR's CMake cache already holds
# every NAME with that VALUE.
cache_has() {
  local dir=$1
  shift
  local arg name value
  for arg in "$@"; do
    case "$arg" in
      -D*=*) name=${arg#-D}; value=${name#*=}; name=${name%%=*}
             name=${name%%:*}
             grep -qx "${name}:[A-Z]*=${value}" "$dir/CMakeCache.txt" ||
               return 1 ;;
    esac
  done
}

# ccache's paths relative to the clone, and the build folder left out of
# the hash of builds with debug information: a clone in another folder (a
# CI checkout, say) finds what an earlier clone compiled. Sourced from the
# clone's root.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

# configure_and_build DIR [CMAKE_ARGS...] -- [TARGETS...]
# Configures DIR when it is new or was configured with other values for
# the -D arguments given (a build.ninja from an older ./test.sh, say), then
# builds the targets (all when none are named).
configure_and_build() {
  local dir=$1
  shift
  local cmake_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmake_args+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  if [ -f "$dir/build.ninja" ] && ! cache_has "$dir" "${cmake_args[@]}"; then
    echo "==> reconfiguring $dir: ${cmake_args[*]}"
    cmake "$dir" "${cmake_args[@]}"
  elif [ ! -f "$dir/build.ninja" ]; then
    # ccache, where installed, makes a rebuild in a fresh clone cheap.
    local launcher=()
    if command -v ccache >/dev/null; then
      launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
                -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "${cmake_args[@]}"
  fi
  ninja -C "$dir" "$@"
}
