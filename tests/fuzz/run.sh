#!/bin/sh
# run.sh -- run every libFuzzer target (or those named) for a bounded time,
# a few at once, and fail on any crash, leak, timeout or out-of-memory.
#
#   sh tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [-o DIR] [TARGET...]
#
# Each target starts from its seed corpus (tests/fuzz/corpus/T, read only)
# and grows a working corpus in DIR/T (kept between runs, so that a long
# run continues where the last one stopped).  A finding leaves its input in
# DIR/T/findings; the script prints the libFuzzer report, the reproducer as
# hex and the command that replays it, and exits 1.  A summary line per
# target gives the time run, executions per second and coverage.
# FUZZ_BIN names another folder of fuzz binaries (default build-fuzz).
# Called by `make fuzz-run` (CI: 60 s each) and `make fuzz-long`.
set -u
cd "$(dirname "$0")/../.."

secs=60 jobs=2 out=build-fuzz/work bindir=${FUZZ_BIN:-build-fuzz}
while [ $# -gt 0 ]; do
    case $1 in
    -t) secs=$2; shift 2;;
    -j) jobs=$2; shift 2;;
    -o) out=$2; shift 2;;
    -*) echo "usage: sh tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [-o DIR] [TARGET...]" >&2; exit 2;;
    *) break;;
    esac
done
targets=${*:-$(ls tests/fuzz/corpus)}
mkdir -p "$out"

# One target: fuzz for $secs, then report.  Exit status 0 when nothing was
# found.
one() {
    t=$1
    bin=$bindir/fuzz_$t
    work=$out/$t
    mkdir -p "$work/corpus" "$work/findings"
    if [ ! -x "$bin" ]; then echo "FAIL fuzz_$t: $bin missing (make fuzz)"; return 1; fi
    log=$work/log
    # -timeout: one input may take at most 10 s; -rss_limit_mb and
    # -malloc_limit_mb bound memory; leaks are findings (ASan's LeakSanitizer).
    HERALD_DATA=${HERALD_DATA:-build/data} \
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    /usr/bin/time -f '%U %S' -o "$work/cpu" \
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/findings/" \
        "$work/corpus" "tests/fuzz/corpus/$t" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    cpu=$(awk '{ printf "%d", $1 + $2 }' "$work/cpu" 2>/dev/null)
    found=$(ls "$work/findings" 2>/dev/null | head -n 1)
    if [ $rc -eq 0 ] && [ -z "$found" ]; then
        printf 'ok fuzz_%s  %ss (%s s CPU)  %s execs  %s/s  cov %s  ft %s\n' "$t" "$secs" \
            "${cpu:-?}" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}"
        return 0
    fi
    grep -E -A40 '^==[0-9]+==|^SUMMARY|runtime error|ERROR: libFuzzer|Test unit written' "$log" | head -n 80
    if [ -n "$found" ]; then
        echo "reproducer $work/findings/$found ($(wc -c < "$work/findings/$found") bytes):"
        od -A x -t x1z -v "$work/findings/$found" | head -n 24
        echo "replay: $bin $work/findings/$found"
        echo "keep it: cp $work/findings/$found tests/fuzz/corpus/$t/"
    fi
    echo "FAIL fuzz_$t (exit $rc after ${execs:-?} execs)"
    return 1
}

# Run $jobs targets at a time; the exit status of each is kept in a file.
status=$out/.status
: > "$status"
running=0
for t in $targets; do
    if [ ! -d "tests/fuzz/corpus/$t" ]; then echo "FAIL fuzz_$t: no corpus"; echo 1 >> "$status"; continue; fi
    ( if one "$t" > "$out/$t.report" 2>&1; then echo 0; else echo 1; fi >> "$status"
      cat "$out/$t.report" ) &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then wait; running=0; fi
done
wait
n=$(wc -l < "$status")
bad=$(grep -c 1 "$status")
echo "fuzz: $n targets, $((n - bad)) clean, $bad with findings ($secs s each)"
[ "$bad" -eq 0 ]
