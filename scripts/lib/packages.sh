# shellcheck shell=bash
# Debian packages the scripts need, and an installer that adds only the
# missing ones. Sourced by scripts/setup, scripts/test and scripts/bench.
#
# A package spec is "name" or "name1|name2" (alternatives; the first one is
# installed when none is present), optionally followed by ":command". A spec
# is satisfied when the command is on PATH or any of the names is installed.
# The command check keeps a working tool that came from elsewhere (a Python
# from pyenv, the npm bundled with a nodejs build that conflicts with
# Debian's npm package) from being replaced.
#
# SOBOT_MOCK_SKIP_APT=1 skips the whole step.

# The lists are used by the scripts that source this file (hence SC2034).

# To build the program.
# shellcheck disable=SC2034
SOBOT_PKGS_BUILD=(
    build-essential
    cmake:cmake
    pkg-config:pkg-config
    libevent-dev
    libcjson-dev
    libssl-dev
    libsqlite3-dev
)

# To run the test suite (integration tests, TLS checks, the browser test).
# shellcheck disable=SC2034
SOBOT_PKGS_TEST=(
    clang:clang
    libclang-rt-14-dev
    clang-format:clang-format
    clang-tidy:clang-tidy
    cppcheck:cppcheck
    python3:python3
    openssl:openssl
    curl:curl
    chromium:chromium
    nodejs:node
    npm:npm
)

# To run scripts/bench.
# shellcheck disable=SC2034
SOBOT_PKGS_BENCH=(
    wrk:wrk
    "nginx-light|nginx:nginx"
    curl:curl
    python3:python3
)

sobot_log() {
    printf '[%s] %s\n' "${SOBOT_SCRIPT:-${0##*/}}" "$*"
}

# True when dpkg records the package as installed.
sobot_dpkg_installed() {
    command -v dpkg-query >/dev/null 2>&1 || return 1
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# True when the spec (see above) is satisfied.
sobot_pkg_present() {
    local spec=$1 names cmd="" name
    names=${spec%%:*}
    [[ $spec == *:* ]] && cmd=${spec#*:}
    if [[ -n $cmd ]] && command -v "$cmd" >/dev/null 2>&1; then
        return 0
    fi
    local IFS='|'
    for name in $names; do
        sobot_dpkg_installed "$name" && return 0
    done
    return 1
}

# Prints, one a line, the package to install for each unsatisfied spec.
sobot_pkgs_missing() {
    local spec names seen=" "
    for spec in "$@"; do
        sobot_pkg_present "$spec" && continue
        names=${spec%%:*}
        names=${names%%|*}
        [[ $seen == *" $names "* ]] && continue
        seen+="$names "
        printf '%s\n' "$names"
    done
}

# Installs the missing packages of all specs given; apt-get update runs once,
# and only when something is missing.
sobot_install_packages() {
    if [[ ${SOBOT_MOCK_SKIP_APT:-0} == 1 ]]; then
        sobot_log "SOBOT_MOCK_SKIP_APT=1: not checking Debian packages"
        return 0
    fi
    local missing=()
    mapfile -t missing < <(sobot_pkgs_missing "$@")
    if ((${#missing[@]} == 0)); then
        sobot_log "packages: all present"
        return 0
    fi
    sobot_log "packages missing: ${missing[*]}"
    if ! command -v apt-get >/dev/null 2>&1; then
        sobot_log "apt-get not found: install the packages above (or their equivalents) by hand," \
            "then run again with SOBOT_MOCK_SKIP_APT=1"
        return 1
    fi
    local sudo=()
    if ((EUID != 0)); then
        if ! command -v sudo >/dev/null 2>&1; then
            sobot_log "not root and no sudo: install the packages above as root"
            return 1
        fi
        sudo=(sudo)
    fi
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
    if [[ -z ${SOBOT_APT_UPDATED:-} ]]; then
        "${apt[@]}" update
        SOBOT_APT_UPDATED=1
    fi
    "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
}
