// map.js -- the map of a story's places on the story page.
//
// heraldMap(container, places) draws, inside `container`, the base map
// /world.svg (built at set-up by tools/world_map.mjs: equirectangular,
// x = lon + 180, y = 90 - lat, viewBox 0 0 360 180) with one circle per place
// that has coordinates (area by article count), labels for the top few, the
// countries named shaded, and zooms to them.  Other places are listed under
// the map.
// Returns `container` at once; the map arrives when /world.svg is loaded
// (fetched once per page).  Values from the API go in as text or
// attributes, never as markup.
'use strict';

(function () {
  const NS = 'http://www.w3.org/2000/svg';
  const LABELS = 5;       // places labelled on the map, by article count
  const MIN_W = 70;       // narrowest view, degrees of longitude
  const WORLD_AT = 250;   // views wider than this show the whole world
  let world = null;       // Promise of the parsed /world.svg, or null
  // Sizes are set for the width the map is drawn at: a map drawn again when
  // its width changes by more than a sixth (window resized, layout change).
  const drawn = new WeakMap();  // container -> { px, args }
  const resized = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
    for (const { target } of entries) {
      const d = drawn.get(target), w = target.clientWidth;
      if (d && w > 0 && Math.abs(w - d.px) > d.px / 6) draw(target, ...d.args);
    }
  }) : null;

  function loadWorld() {
    if (!world) {
      world = fetch('/world.svg')
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.statusText))))
        .then((text) => {
          const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
          if (svg.namespaceURI !== NS || svg.localName !== 'svg') throw new Error('not an SVG');
          return svg;
        })
        .catch(() => { world = null; return null; });  // try again next time
    }
    return world;
  }

  function svgEl(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const round = (v) => Math.round(v * 100) / 100;
  const plural = (n) => `${n} article${n === 1 ? '' : 's'}`;

  // The view box around the points [x, y]: a margin, at least MIN_W wide,
  // 2:1 like the world, inside the world; the whole world when spread out.
  function viewOf(pts) {
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const pad = Math.max(6, 0.12 * Math.max(x1 - x0, 2 * (y1 - y0)));
    let w = Math.max(MIN_W, x1 - x0 + 2 * pad), h = y1 - y0 + 2 * pad;
    if (w < 2 * h) w = 2 * h;
    h = w / 2;
    if (w > WORLD_AT) return [0, 0, 360, 180];
    const x = Math.min(Math.max((x0 + x1) / 2 - w / 2, 0), 360 - w);
    const y = Math.min(Math.max((y0 + y1) / 2 - h / 2, 0), 180 - h);
    return [x, y, w, h];
  }

  const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  // Shade the countries named by places without coordinates (Kazakhstan,
  // Russia): darker for more articles.  Returns the places shaded and adds
  // the corners of their countries to `pts` (for the view).
  function shadeCountries(svg, container, unlocated, pts) {
    const shaded = [];
    const max = Math.max(1, ...unlocated.map((p) => p.articles || 0));
    container.append(svg);  // measured in place, then drawn there
    for (const p of unlocated) {
      if (!p.country || !/^[A-Z]{2}$/.test(p.country)) continue;
      const path = svg.querySelector(`.land path[data-cc="${p.country}"]`);
      if (!path || path.classList.contains('named')) continue;
      path.classList.add('named');
      path.setAttribute('fill-opacity', round(0.35 + 0.65 * Math.sqrt((p.articles || 0) / max)));
      path.setAttribute('data-name', p.name);
      path.append(svgEl('title', {}, `${p.name}: ${plural(p.articles)}`));
      try {
        const b = path.getBBox();
        // A country across the antimeridian (Russia) would stretch the view.
        if (b.width > 0 && b.width < 180) pts.push([b.x, b.y], [b.x + b.width, b.y + b.height]);
      } catch (e) { /* not rendered */ }
      shaded.push(p);
    }
    return shaded;
  }

  function draw(container, base, located, unlocated) {
    for (const old of container.querySelectorAll(':scope > .map-view, :scope > .map-other')) old.remove();
    if (located.length || base) {
      const svg = base ? document.importNode(base, true) : svgEl('svg', {});
      if (!base) svg.append(svgEl('rect', { class: 'sea', width: 360, height: 180, fill: '#eaf1f8' }));
      for (const t of svg.querySelectorAll(':scope > title')) t.remove();  // no world-wide tooltip
      const pts = located.map((p) => [p.lon + 180, 90 - p.lat]);
      const shaded = shadeCountries(svg, container, unlocated, pts);
      unlocated = unlocated.filter((p) => !shaded.includes(p));
      if (!pts.length) svg.remove();
      if (pts.length) {
        const [vx, vy, vw, vh] = viewOf(pts);
        const names = located.concat(shaded).map((p) => `${p.name} (${plural(p.articles)})`).join(', ');
        svg.setAttribute('viewBox', [vx, vy, vw, vh].map(round).join(' '));
        svg.removeAttribute('width');
        svg.removeAttribute('height');
        svg.setAttribute('class', 'map-view');
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', `Map of the places in this story: ${names}`);

        // Sizes in view units: the map is drawn about `px` pixels wide.
        const px = container.clientWidth || 700;
        drawn.set(container, { px, args: [base, located, unlocated.concat(shaded)] });
        if (resized) resized.observe(container);
        const unit = vw / px;            // view units per pixel
        const max = Math.max(1, ...located.map((p) => p.articles || 0));
        const rMax = Math.min(14, Math.max(8, px / 45)) * unit, rMin = 3.5 * unit;
        const g = svgEl('g', { class: 'places' });
        const order = located.map((p, i) => i)
          .sort((a, b) => (located[b].articles || 0) - (located[a].articles || 0));
        // Biggest first, so small circles stay on top and clickable for their tooltip.
        for (const i of order) {
          const p = located[i];
          const r = Math.max(rMin, rMax * Math.sqrt((p.articles || 0) / max));
          const c = svgEl('circle', {
            class: 'place', cx: round(pts[i][0]), cy: round(pts[i][1]), r: round(r), 'data-name': p.name,
          });
          c.append(svgEl('title', {}, `${p.name}${p.country ? ' (' + p.country + ')' : ''}: ${plural(p.articles)}`));
          g.append(c);
          pts[i].r = r;
        }
        svg.append(g);

        // Labels for the top few, right of the circle, else left, above or
        // below; none where every spot overlaps a label already placed.
        const fs = 12 * unit;
        const labels = svgEl('g', { class: 'labels', 'font-size': round(fs), 'aria-hidden': 'true' });
        svg.append(labels);
        container.append(svg);
        const placed = [];
        for (const i of order.slice(0, LABELS)) {
          const [x, y] = pts[i], r = pts[i].r, gap = 2 * unit;
          const t = svgEl('text', {}, located[i].name);
          labels.append(t);
          let tw = located[i].name.length * 0.6 * fs;
          try { tw = t.getComputedTextLength() || tw; } catch (e) { /* not rendered */ }
          const th = fs;
          const spots = [
            { x: x + r + gap, y: y - th / 2 },
            { x: x - r - gap - tw, y: y - th / 2 },
            { x: x - tw / 2, y: y - r - gap - th },
            { x: x - tw / 2, y: y + r + gap },
          ].map((s) => ({ ...s, w: tw, h: th }));
          const inside = (s) => s.x >= vx && s.y >= vy && s.x + s.w <= vx + vw && s.y + s.h <= vy + vh;
          const spot = spots.find((s) => inside(s) && !placed.some((o) => overlaps(s, o)));
          if (!spot) { t.remove(); continue; }
          placed.push(spot);
          t.setAttribute('x', round(spot.x));
          t.setAttribute('y', round(spot.y + 0.8 * th));
        }
      }
    }
    if (unlocated.length) {
      const p = document.createElement('p');
      p.className = 'map-other muted';
      p.textContent = (located.length ? 'Not on the map: ' : 'No coordinates for: ') +
        unlocated.map((q) => q.name).join(', ');
      container.append(p);
    }
  }

  window.heraldMap = function heraldMap(container, places) {
    places = Array.isArray(places) ? places : [];
    const ok = (p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) &&
      Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
    const located = places.filter(ok), unlocated = places.filter((p) => !ok(p));
    container.classList.add('map');
    if (!places.length) { container.hidden = true; return container; }
    if (!located.length && !unlocated.some((p) => p.country)) {
      draw(container, null, located, unlocated);
      return container;
    }
    loadWorld().then((base) => draw(container, base, located, unlocated));
    return container;
  };
})();
