#!/bin/sh
# Install the Debian packages mcasim needs to build, test and plot, if any
# are missing. Safe to run again: it installs nothing when all are there.
# As root it runs apt-get itself; otherwise it prints the command to run.
set -eu

# clang and libclang-rt-dev: the CI's second compiler and libFuzzer (scripts/test-clang.sh);
# help2man: the man page `cmake --install` installs; libsqlite3-dev: `run --rasdaemon`'s
# database; sqlite3: the CLI its test queries it with; chromium: the headless browser
# that loads the report's index.html (CTest cli.report_html, skipped without it);
# parallel: GNU parallel, the campaign shards' test (tests/campaign_parallel.sh);
# python3-yaml: the oracle's case mapping, tested without QEMU (tests/oracle_scenario.py).
PKGS="build-essential g++ cmake pkg-config libsystemc-dev libyaml-dev libcmocka-dev gnuplot-nox valgrind clang libclang-rt-dev help2man libsqlite3-dev sqlite3 chromium parallel python3-yaml"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "mcasim: missing packages:$missing" >&2
    echo "mcasim: this script needs a Debian-based system (apt-get); install them by hand." >&2
    exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "mcasim: missing packages:$missing" >&2
    echo "mcasim: run as root, or install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "mcasim: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
