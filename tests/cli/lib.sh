# lib.sh -- helpers for CLI tests.  Each test script sources this file, runs
# $HERALD (set by `make check`) in a scratch directory and calls `fail` with
# a reason on the first wrong result.
set -u
HERALD=${HERALD:-$(pwd)/herald}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
SEEDS=$SHARED/corpus/seeds
T=$(mktemp -d "${TMPDIR:-/tmp}/herald-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
export HERALD_DB="$T/test.db"

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
# expect_status WANT CMD...: run CMD, fail unless its exit status is WANT.
expect_status() {
    want=$1; shift
    "$@" > "$T/out" 2> "$T/err"; got=$?
    [ "$got" -eq "$want" ] || { cat "$T/err"; fail "'$*' exited $got, wanted $want"; }
}
# contains FILE PATTERN: fail unless FILE has a line matching the ERE.
contains() { grep -q -E -- "$2" "$1" || { cat "$1"; fail "$1 lacks /$2/"; }; }
lacks() { ! grep -q -E -- "$2" "$1" || { cat "$1"; fail "$1 has /$2/"; }; }
