# herald extract: the article of a page, plain and --json; stdin, .gz and
# several files in one run; bad pages are reported by name with a non-zero
# status and no crash.
. "$(dirname "$0")/lib.sh"
cat > "$T/page.html" <<'HTML'
<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>El puerto cierra el puente | Diario del Puerto</title>
<meta property="og:site_name" content="Diario del Puerto">
<meta property="article:published_time" content="2022-01-07T09:30:00+01:00">
<meta name="author" content="Ana López">
<link rel="canonical" href="https://diario.example/puente"></head>
<body><nav><a href="/">Inicio</a> <a href="/ciudad">Ciudad</a></nav>
<div class="cookie-notice">Usamos cookies. Aceptar</div>
<article><h1>El puerto cierra el puente</h1>
<p>El ayuntamiento votó el martes cerrar el viejo puente del puerto para repararlo, tras hallar grietas en dos pilares.</p>
<p>El tráfico pasará por el túnel del norte hasta que terminen las obras en primavera.</p></article>
<div class="related"><h3>Noticias relacionadas</h3><a href="/x">Suben los precios del ferry</a></div>
</body></html>
HTML
expect_status 0 "$HERALD" extract "$T/page.html"
[ "$(head -n 1 "$T/out")" = "El puerto cierra el puente" ] || { cat "$T/out"; fail "first line is not the title"; }
[ -z "$(sed -n 2p "$T/out")" ] || fail "no blank line after the title"
contains "$T/out" '^El ayuntamiento votó el martes'
contains "$T/out" 'primavera\.$'
lacks "$T/out" 'Inicio|cookies|ferry'

expect_status 0 "$HERALD" extract --json "$T/page.html"
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "--json is not one line"
contains "$T/out" '"title":"El puerto cierra el puente"'
contains "$T/out" '"text":"[^"]*El ayuntamiento votó[^"]*\\n\\nEl tráfico'
contains "$T/out" '"published":"2022-01-07T08:30:00Z"'
contains "$T/out" '"modified":null'
contains "$T/out" '"author":"Ana López"'
contains "$T/out" '"lang":"es"'
contains "$T/out" '"url":"https://diario.example/puente"'
contains "$T/out" '"site":"Diario del Puerto"'

# stdin, a gzipped page, and several files as JSON Lines.
expect_status 0 sh -c "\"$HERALD\" extract --json - < \"$T/page.html\""
contains "$T/out" '"source":"-","title":"El puerto cierra el puente"'
gzip -c "$T/page.html" > "$T/page.html.gz"
expect_status 0 "$HERALD" extract "$T/page.html.gz"
contains "$T/out" '^El ayuntamiento votó'
expect_status 0 "$HERALD" extract --json "$T/page.html" "$T/page.html.gz"
[ "$(wc -l < "$T/out")" -eq 2 ] || fail "two files should give two JSON lines"

# Bad pages: each named, the others still extracted, status 1.
printf '<html><head><title>Cut</title></head><body><p' > "$T/truncated.html"
python3 -c "import sys; sys.stdout.write('<div>' * 10000 + 'deep')" > "$T/deep.html"
: > "$T/empty.html"
printf '\000\001\002junk\000\000' > "$T/junk.html"
head -c 2000 /dev/urandom >> "$T/junk.html"
expect_status 1 "$HERALD" extract "$T/truncated.html" "$T/deep.html" "$T/empty.html" \
    "$T/junk.html" "$T/missing.html" "$T/page.html"
contains "$T/err" 'truncated\.html: no visible text'
contains "$T/err" 'deep\.html: HTML nested deeper than 1024'
contains "$T/err" 'empty\.html: empty file'
contains "$T/err" 'junk\.html: binary data'
contains "$T/err" 'missing\.html: cannot read'
contains "$T/out" '^El ayuntamiento votó'
# A page cut short after its text still gives that text.
head -c 600 "$T/page.html" > "$T/cut.html"
expect_status 0 "$HERALD" extract "$T/cut.html"
contains "$T/out" 'El ayuntamiento'
expect_status 2 "$HERALD" extract --bogus "$T/page.html"
expect_status 2 "$HERALD" extract
exit 0
