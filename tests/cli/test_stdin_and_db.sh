# stdin input, --db and HERALD_DB, and usage errors.
. "$(dirname "$0")/lib.sh"
printf 'Titel\n\nDie Abgeordneten stimmten am Freitag mit großer Mehrheit für das Gesetz.\n' \
    | "$HERALD" --db "$T/one.db" ingest - 2> "$T/err" || fail "stdin ingest failed: $(cat "$T/err")"
[ -f "$T/one.db" ] || fail "--db was not used"
[ ! -f "$HERALD_DB" ] || fail "HERALD_DB used despite --db"
expect_status 0 "$HERALD" ls --db "$T/one.db"
contains "$T/out" ' de +'
contains "$T/out" 'Titel'
expect_status 2 "$HERALD" frobnicate
contains "$T/err" "unknown command 'frobnicate'"
expect_status 2 "$HERALD" ingest
expect_status 1 "$HERALD" show --db "$T/one.db" 0000000000000000
contains "$T/err" "no article"
expect_status 2 "$HERALD" ls --db "$T/nothing-here.db"
contains "$T/err" 'no database'
exit 0
