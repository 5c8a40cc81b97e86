// world_map.mjs -- build web/world.svg, the base map of the story page, from
// Natural Earth 1:110m countries (npm world-atlas, TopoJSON; data public
// domain, package ISC).  Run by tools/deps.sh after npm ci; needs no network.
//
// Equirectangular: x = lon + 180, y = 90 - lat, so the viewBox is 0 0 360 180
// in degrees and web/map.js can zoom to any lon/lat box.  Coordinates are
// rounded to 0.1 degree; one <path> per country (data-cc: its ISO code), one
// for the borders between countries.  Presentation attributes only (no style=""),
// since the page's Content-Security-Policy forbids inline styles.
//
//   node tools/world_map.mjs [out.svg]
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import topojson from 'topojson-client';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'node_modules/world-atlas/countries-110m.json');
const out = process.argv[2] || join(root, 'web/world.svg');

const topo = JSON.parse(readFileSync(src, 'utf8'));
const countries = topo.objects.countries;
const land = topojson.feature(topo, countries);
const borders = topojson.mesh(topo, countries, (a, b) => a !== b);

// A ring or line as path data in tenths of a degree: absolute moveto, then
// relative linetos (exact, since both ends are rounded first), dropping
// points that round onto the previous one.
const num = (t) => {
  const s = (Math.abs(t) / 10).toString().replace(/^0\./, '.');
  return t < 0 ? '-' + s : s;
};
function line(coords, close) {
  let d = '';
  let px = null, py = null, n = 0;
  for (const [lon, lat] of coords) {
    const x = Math.round((lon + 180) * 10), y = Math.round((90 - lat) * 10);
    if (x === px && y === py) continue;
    if (px === null) d += `M${num(x)} ${num(y)}`;
    else {
      const dx = num(x - px), dy = num(y - py);
      d += (n === 1 ? 'l' : dx[0] === '-' ? '' : ' ') + dx + (dy[0] === '-' ? '' : ' ') + dy;
    }
    px = x, py = y, n++;
  }
  if (n < 2) return '';
  return close ? d + 'z' : d;
}
// world-atlas does not cut rings at the antimeridian (Fiji, Chukotka,
// Antarctica).  A ring is unwrapped so that no step exceeds 180 degrees of
// longitude, closed along the pole when it goes round one, and drawn again
// shifted by 360 degrees where it leaves -180..180; the SVG viewport clips
// the overhang.
function ringPaths(ring) {
  const u = [ring[0].slice()];
  for (let i = 1; i < ring.length; i++) {
    let lon = ring[i][0];
    const prev = u[u.length - 1][0];
    while (lon - prev > 180) lon -= 360;
    while (lon - prev < -180) lon += 360;
    u.push([lon, ring[i][1]]);
  }
  const net = u[u.length - 1][0] - u[0][0];
  if (Math.abs(net) > 180) {
    const pole = u.reduce((a, p) => a + p[1], 0) < 0 ? -90 : 90;
    u.push([u[u.length - 1][0], pole], [u[0][0], pole]);
  }
  const lons = u.map((p) => p[0]);
  const min = Math.min(...lons), max = Math.max(...lons);
  let d = line(u, true);
  if (min < -180) d += line(u.map(([x, y]) => [x + 360, y]), true);
  if (max > 180) d += line(u.map(([x, y]) => [x - 360, y]), true);
  return d;
}
// A line is split where it jumps across the antimeridian.
function linePaths(coords) {
  let d = '', part = [coords[0]];
  for (let i = 1; i < coords.length; i++) {
    if (Math.abs(coords[i][0] - coords[i - 1][0]) > 180) { d += line(part, false); part = []; }
    part.push(coords[i]);
  }
  return d + line(part, false);
}
function geometryPath(g) {
  if (!g) return '';
  switch (g.type) {
    case 'Polygon': return g.coordinates.map(ringPaths).join('');
    case 'MultiPolygon': return g.coordinates.flat().map(ringPaths).join('');
    case 'LineString': return linePaths(g.coordinates);
    case 'MultiLineString': return g.coordinates.map(linePaths).join('');
    default: return '';
  }
}

// Each country is its own path, named by its ISO 3166-1 alpha-2 code (from
// Debian's iso-codes, by the numeric code world-atlas gives), so the page
// can shade the countries a story names; without iso-codes, no codes.
const ISO = '/usr/share/iso-codes/json/iso_3166-1.json';
const alpha2 = new Map();
try {
  for (const c of JSON.parse(readFileSync(ISO, 'utf8'))['3166-1']) alpha2.set(c.numeric, c.alpha_2);
} catch (e) {
  console.error(`world_map: ${ISO}: ${e.message}; countries get no codes`);
}
const landD = land.features.map((f) => {
  const d = geometryPath(f.geometry);
  const cc = alpha2.get(String(f.id).padStart(3, '0'));
  return d ? `<path${cc ? ` data-cc="${cc}"` : ''} d="${d}"/>` : '';
}).join('');
const bordersD = geometryPath(borders);
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" width="720" height="360">' +
  '<title>World map (Natural Earth 1:110m countries, public domain)</title>' +
  '<rect class="sea" width="360" height="180" fill="#eaf1f8"/>' +
  `<g class="land" fill="#e2e3dc" stroke="#a9ad9f" stroke-width=".15" stroke-linejoin="round">${landD}</g>` +
  `<path class="borders" fill="none" stroke="#b9bcb0" stroke-width=".1" stroke-linejoin="round" d="${bordersD}"/>` +
  '</svg>\n';
writeFileSync(out + '.tmp', svg);
renameSync(out + '.tmp', out);
console.error(`world_map: ${out}: ${svg.length} bytes, ${land.features.length} countries`);
