#!/bin/sh
# check.sh -- runs every suite (unit, fuzz corpus replay, CLI) and prints one
# aggregate closing line, "N passed, N failed[, N skipped]".
# Called by `make check` with HERALD, BUILD, FUZZ_TARGETS and SHARED set.
set -u
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Unit tests: the runner prints its own "N passed, N failed" line last.
"$BUILD/tests/unit-runner" > "$log" 2>&1
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$log"
set -- $(tail -n 1 "$log" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/')
if [ $# -ge 2 ] && [ "$1" -eq "$1" ] 2>/dev/null; then
    passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0}))
else
    echo "FAIL unit-runner  did not finish (see above)"; failed=$((failed + 1))
fi

# Fuzz targets: replay each seed corpus through the plain-main driver.
for t in $FUZZ_TARGETS; do
    dir=tests/fuzz/corpus/$t
    if [ ! -d "$dir" ]; then echo "FAIL fuzz_$t  no corpus at $dir"; failed=$((failed + 1)); continue; fi
    if "$BUILD/tests/fuzz-replay-$t" "$dir" > "$log" 2>&1; then
        echo "ok fuzz_replay_$t ($(ls "$dir" | wc -l) inputs)"; passed=$((passed + 1))
    else
        cat "$log"; echo "FAIL fuzz_replay_$t"; failed=$((failed + 1))
    fi
done

# CLI tests: each script exits 0 (pass), 77 (skip) or anything else (fail).
for s in tests/cli/test_*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    sh "$s" > "$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then echo "ok $name"; passed=$((passed + 1))
    elif [ $rc -eq 77 ]; then echo "skip $name  $(tail -n 1 "$log")"; skipped=$((skipped + 1))
    else sed 's/^/    /' "$log" | tail -n 30; echo "FAIL $name"; failed=$((failed + 1)); fi
done

if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"
else echo "$passed passed, $failed failed"; fi
[ $failed -eq 0 ]
