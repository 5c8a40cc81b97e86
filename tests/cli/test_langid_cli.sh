# herald langid: whole input, and one code per line for pipelines.
. "$(dirname "$0")/lib.sh"
printf '%s\n' \
    'Die Bundesregierung hat heute neue Maßnahmen angekündigt.' \
    'The government announced new measures today.' \
    'Правительство сегодня объявило о новых мерах.' \
    '' \
    '政府今天宣布了新的措施。' \
    '12345' \
    'Il governo ha annunciato oggi nuove misure.' > "$T/lines.txt"
expect_status 0 "$HERALD" langid --each-line "$T/lines.txt"
printf 'de\nen\nru\nund\nzh\nund\nit\n' > "$T/want"
diff "$T/want" "$T/out" || fail "langid --each-line gave the wrong codes"
expect_status 0 "$HERALD" langid "$SEEDS/001_cd4bee4d1aaa0821.txt"
contains "$T/out" '^it	[01]\.[0-9]+	Italian'
"$HERALD" langid --json < "$SEEDS/000_7aee1d6ab33e6622.txt" > "$T/out" || fail "langid --json failed"
contains "$T/out" '^\{"lang":"de","score":[01]\.[0-9]+,"reliable":true,"candidates":\[\{"lang":"de"'
exit 0
