#!/bin/sh
# lint.sh -- banned calls in library and tool code (curl checksrc style).
# strcpy/strcat/sprintf/gets overflow; atoi/atol hide errors; strtok keeps
# hidden state.  A line may opt out with a trailing "lint: ok" comment that
# says why.
set -u
cd "$(dirname "$0")/.."
bad=0
for f in src/*.c src/*.cc src/*.h cli/*.c; do
    [ -f "$f" ] || continue
    if grep -n -E '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)[[:space:]]*\(' "$f" \
        | grep -v 'lint: ok'; then
        echo "lint: $f uses a banned call (above)" >&2
        bad=1
    fi
done
# The library never prints or exits.
for f in src/*.c src/*.cc; do
    [ -f "$f" ] || continue
    if grep -n -E '\b(printf|puts|exit|abort)[[:space:]]*\(|\b(stdout|stderr)\b' "$f" \
        | grep -v -E 'snprintf|vsnprintf|lint: ok'; then
        echo "lint: $f prints or exits (above); the library returns errors" >&2
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "lint: clean"
exit $bad
