#!/bin/sh
# deps.sh -- install everything herald needs to build, test and benchmark on
# Debian 12: the Debian packages (apt-get) and the data packages (npm).
# Idempotent: packages already present are not fetched again.
set -eu
cd "$(dirname "$0")/.."

PKGS="gcc g++ make pkg-config clang libclang-rt-14-dev valgrind cppcheck
 libicu-dev libutf8proc-dev libsqlite3-dev sqlite3 libjansson-dev libgumbo-dev
 libuchardet-dev libxxhash-dev libfasttext-dev fasttext libcld2-dev
 python3 python3-langdetect python3-readability hyperfine time bc nodejs npm
 iso-codes libtimezonemap-data
 libstemmer-dev zlib1g-dev liblingua-stopwords-perl libcsv-dev
 libxml2-dev libcurl4-openssl-dev
 libmicrohttpd-dev curl wrk chromium"
# FreeDict bilingual dictionaries for the concept table (tools/train_dict.c):
# XXX-eng where it exists, eng-XXX to invert, and German and Polish ones to
# pivot through.  The build goes on with whichever are installed.
for l in afr ara ces cym dan deu ell epo fin fra gle hrv hun isl ita jpn kur lat lit \
         nld pol por slk slv spa srp swe swh tur; do PKGS="$PKGS dict-freedict-$l-eng"; done
for l in ara bul ces dan deu ell fin fra hin hrv hun ind ita lit nld nor pol por rus \
         spa srp swe tur; do PKGS="$PKGS dict-freedict-eng-$l"; done
for l in fra spa rus pol ita por tur nld; do PKGS="$PKGS dict-freedict-deu-$l"; done
for l in fra spa ita pol por tur nld; do PKGS="$PKGS dict-freedict-$l-deu"; done
for l in ita spa rus por tur nld fra; do PKGS="$PKGS dict-freedict-pol-$l"; done
PKGS="$PKGS dict-freedict-ita-pol"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# A machine may carry its own node and npm outside Debian's packages.
case "$missing" in *" nodejs"*|*" npm"*)
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
    fi;;
esac

if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "deps: installing$missing" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

# npm packages: the fastText language-identification model, the
# article-extraction peers bench/extract.sh runs (readability.js, linkedom),
# playwright-core, which drives chromium in tests/web, and world-atlas and
# topojson-client, from which tools/world_map.mjs draws web/world.svg.
if [ ! -f node_modules/fasttext.wasm.js/package.json ] ||
   [ ! -f node_modules/@mozilla/readability/package.json ] ||
   [ ! -f node_modules/linkedom/package.json ] ||
   [ ! -f node_modules/playwright-core/package.json ] ||
   [ ! -f node_modules/world-atlas/package.json ] ||
   [ ! -f node_modules/topojson-client/package.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
fi
# The story page's base map, derived offline from world-atlas (Natural
# Earth 1:110m) by tools/world_map.mjs; rebuilt when missing or older than
# the script.
if [ ! -f web/world.svg ] || [ -n "$(find tools/world_map.mjs -newer web/world.svg)" ]; then
    node tools/world_map.mjs
fi
echo "deps: ready" >&2
