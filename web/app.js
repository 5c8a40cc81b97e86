// app.js -- herald's web page: the story list, a story, an article, an
// entity with its spellings by language, the entity list and the side-by-
// side comparison of two articles, drawn from the JSON API of `herald
// serve`.  The list follows the database: /api/status is asked every few
// seconds and the page redrawn when something was stored.  Plain DOM;
// every value from the API goes in through textContent or attributes,
// never as HTML.
'use strict';

const main = document.getElementById('main');
const PAGE = 25;

// el('div', {class: 'x'}, child, 'text', ...)
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

// Put a page in place; a live redraw keeps the reader's place.
function show(nodes, live = false) {
  main.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
  if (!live) window.scrollTo(0, 0);
}

function fail(e) {
  show([el('p', { class: 'error' }, 'Error: ' + e.message)]);
}

function langBadges(langs) {
  return Object.entries(langs || {}).map(([code, n]) =>
    el('span', { class: 'badge', 'data-lang': code }, `${code} ${n}`));
}

const day = (t) => (t ? String(t).slice(0, 10) : '');

// A title cut to `n` characters at a word, for lists (full in the tooltip).
function short(t, n = 160) {
  t = String(t || '');
  if (t.length <= n) return t;
  const cut = t.slice(0, n);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), n - 20)) + ' …';
}

// Links to the previous and next page of a list shown `size` at a time
// from `offset` (`got` items on this page), keeping the other parameters.
function pagerOf(route, params, offset, size, got, back) {
  const pager = el('div', { class: 'pager' });
  const link = (off, text) => {
    const p = new URLSearchParams(params);
    p.set('offset', off);
    return el('a', { href: route + p }, text);
  };
  if (offset > 0) pager.append(link(Math.max(0, offset - size), back));
  if (got === size) pager.append(link(offset + size, 'more →'));
  return pager;
}

// ---- the story list ----

const langSelect = document.getElementById('lang');
const seenLangs = new Set();

function addLangOptions(stories) {
  for (const s of stories) {
    for (const code of Object.keys(s.languages || {})) {
      if (seenLangs.has(code)) continue;
      seenLangs.add(code);
      langSelect.append(el('option', { value: code }, code));
    }
  }
}

async function storyList(params) {
  const q = new URLSearchParams();
  for (const k of ['q', 'lang', 'offset']) if (params.get(k)) q.set(k, params.get(k));
  q.set('limit', PAGE);
  const offset = Number(params.get('offset') || 0);
  const stories = await api('/api/stories?' + q);
  addLangOptions(stories);
  const items = stories.map((s) =>
    el('li', { class: 'story', 'data-story': s.id },
      el('h2', {}, el('a', { href: `#/story/${s.id}`, title: s.title || null }, short(s.title) || short(s.lead) || `Story ${s.id}`)),
      el('div', {},
        el('span', { class: 'size' }, `${s.articles} article${s.articles === 1 ? '' : 's'}`),
        langBadges(s.languages),
        el('span', { class: 'muted' }, ` ${day(s.first)} – ${day(s.last)}`)),
      el('div', { class: 'muted entities' }, (s.entities || []).join(' · '))));
  const pager = pagerOf('#/?', params, offset, PAGE, stories.length, '← newer');
  return [el('h1', {}, params.get('q') ? `Stories matching “${params.get('q')}”` : 'Stories'),
    items.length ? el('ul', { class: 'stories' }, items) : el('p', { class: 'muted' }, 'No stories.'),
    pager, params.get('q') ? await articleHits(params) : null];
}

// Articles matching the search box, any language (/api/search): the text
// matches, then the articles naming an entity spelt that way.
async function articleHits(params) {
  const q = new URLSearchParams({ q: params.get('q'), limit: PAGE });
  if (params.get('lang')) q.set('lang', params.get('lang'));
  let hits = [];
  try {
    hits = await api('/api/search?' + q);
  } catch (e) {
    return el('p', { class: 'muted' }, e.message);
  }
  const items = hits.map((a) =>
    el('li', { class: 'hit', 'data-id': a.id, 'data-source': String(a.source || '').split('/').pop() },
      el('a', { href: `#/article/${a.id}` }, a.title || a.id), ' ',
      el('span', { class: 'badge', 'data-lang': a.lang }, a.lang),
      a.story ? el('a', { class: 'muted', href: `#/story/${a.story}` }, ` story ${a.story}`) : null,
      el('div', { class: 'muted' }, a.snippet || '')));
  return el('section', { id: 'hits' }, el('h2', {}, 'Articles'),
    items.length ? el('ul', { class: 'hits' }, items) : el('p', { class: 'muted' }, 'No articles.'));
}

// ---- one story ----

function timeline(days) {
  const max = Math.max(1, ...days.map((d) => Object.values(d.articles).reduce((a, b) => a + b, 0)));
  return el('div', { class: 'timeline', role: 'img', 'aria-label': 'articles per day' },
    days.map((d) => {
      const n = Object.values(d.articles).reduce((a, b) => a + b, 0);
      return el('div', { class: 'day', title: `${d.day}: ${n}` },
        el('span', {}, n),
        el('div', { class: 'bar', style: null, 'data-n': n }),
        el('span', {}, d.day.slice(5)));
    }).map((node) => {
      const bar = node.querySelector('.bar');
      bar.style.height = `${(80 * Number(bar.dataset.n)) / max}%`;
      return node;
    }));
}

function panel(title, items, render) {
  if (!items || !items.length) return null;
  return el('section', { class: 'panel' }, el('h3', {}, title),
    el('ul', {}, items.slice(0, 15).map(render)));
}

function storyPage(s) {
  const byId = new Map(s.members.map((m) => [m.id, m]));
  const linksOf = new Map();
  for (const l of s.links || []) {
    for (const [x, y] of [[l.a, l.b], [l.b, l.a]]) {
      if (!linksOf.has(x)) linksOf.set(x, []);
      linksOf.get(x).push({ other: y, kind: l.kind, score: l.score });
    }
  }
  const groups = new Map();
  for (const m of s.members) {
    const lang = m.lang || 'und';
    if (!groups.has(lang)) groups.set(lang, []);
    groups.get(lang).push(m);
  }
  const articles = [...groups.entries()].sort((a, b) => b[1].length - a[1].length).map(([lang, ms]) =>
    el('div', { class: 'lang-group', 'data-lang': lang },
      el('h4', {}, `${lang} (${ms.length})`),
      ms.map((m) => el('div', { class: 'article', id: `a-${m.id}`, 'data-id': m.id },
        el('a', { href: `#/article/${m.id}` }, m.title || m.id),
        el('div', { class: 'muted' }, `${m.id} · ${day(m.published || m.time)}`,
          m.site ? ` · ${m.site}` : '', m.words ? ` · ${m.words} words` : ''),
        el('div', { class: 'links' }, (linksOf.get(m.id) || []).map((l) => {
          const o = byId.get(l.other);
          const a = el('a', {
            class: `link kind-${l.kind}`, href: `#a-${l.other}`, 'data-kind': l.kind,
            'data-target': l.other,
          }, `${l.kind} ↔ ${o ? o.lang + ' ' : ''}${l.other.slice(0, 8)} (${Number(l.score).toFixed(2)})`);
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            const t = document.getElementById(`a-${l.other}`);
            if (t) { t.scrollIntoView({ block: 'center' }); t.classList.add('hl'); }
          });
          return el('span', {}, a, el('a', { class: 'compare', href: `#/compare/${m.id}/${l.other}` }, 'compare'));
        }))))));
  const quotes = (s.quotes || []).slice(0, 10).map((q) =>
    el('blockquote', { class: 'quote' }, `“${q.text}”`,
      el('div', { class: 'muted' }, `— ${q.speaker || 'unknown'} (${q.lang})`)));
  const map = window.heraldMap ? heraldMap(el('section', { id: 'map' }, el('h3', {}, 'Map')), s.places) : null;
  return [el('p', {}, el('a', { href: '#/' }, '← all stories')),
    el('h1', { title: s.title || null }, short(s.title, 200) || `Story ${s.id}`),
    el('p', {}, el('span', { class: 'size' }, `${s.articles} articles`), langBadges(s.languages),
      el('span', { class: 'muted' }, ` ${day(s.first)} – ${day(s.last)}`)),
    el('div', { class: 'grid' },
      el('div', {},
        el('section', { id: 'timeline' }, el('h3', {}, 'Timeline'), timeline(s.timeline || [])),
        map,
        el('section', { id: 'articles' }, el('h3', {}, 'Articles'), articles),
        quotes.length ? el('section', { id: 'quotes' }, el('h3', {}, 'Quotes'), quotes) : null),
      el('div', {},
        panel('Entities', s.entities, (e) => el('li', {},
          el('a', { href: `#/entity/${e.id}`, class: 'entity', 'data-entity': e.id }, e.name), ' ',
          el('span', { class: 'muted' }, `${e.type} · ${e.articles} art.`))),
        panel('Places', s.places, (p) => el('li', {},
          el('a', { href: `#/entity/${p.id}`, class: 'entity', 'data-entity': p.id }, p.name), ' ',
          el('span', { class: 'muted' }, `${p.country || ''} · ${p.articles} art.`)))))];
}

async function articlePage(id) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  const similar = await api(`/api/similar/${encodeURIComponent(a.id)}?k=8`).catch(() => []);
  const names = new Map();
  for (const m of a.entities || []) {
    if (m.entity && !names.has(m.entity)) names.set(m.entity, m);
  }
  return [el('p', {}, a.story ? el('a', { href: `#/story/${a.story}` }, '← story') : el('a', { href: '#/' }, '← all stories')),
    el('h1', { title: a.title || null }, short(a.title, 200) || a.id),
    el('p', { class: 'muted' }, `${a.id} · ${a.lang} · ${a.words} words`, a.url ? ' · ' : '',
      a.url ? el('a', { href: a.url, rel: 'noopener noreferrer' }, a.url) : null),
    el('div', { class: 'grid' },
      el('section', {}, el('div', { class: 'text' }, a.text || '')),
      el('div', {},
        panel('Similar articles', similar, (h) => el('li', { 'data-id': h.id },
          el('a', { href: `#/article/${h.id}`, title: h.title || null }, short(h.title, 90) || h.id.slice(0, 8)), ' ',
          el('span', { class: 'badge', 'data-lang': h.lang }, h.lang),
          el('a', { class: 'compare', href: `#/compare/${a.id}/${h.id}` }, 'compare'),
          h.translation >= 0.5 ? el('span', { class: 'muted' }, ' translation') : null)),
        panel('Entities', [...names.values()], (m) => el('li', {},
          el('a', { href: `#/entity/${m.entity}` }, m.name || m.text || m.entity), ' ',
          el('span', { class: 'muted' }, m.type || '')))))];
}

// ---- entities ----

const TYPES = { PER: 'person', ORG: 'organisation', LOC: 'place', MISC: 'other' };

async function entityPage(id) {
  const e = await api(`/api/entities/${encodeURIComponent(id)}`);
  const langs = Object.entries(e.languages || {});
  const where = e.lat !== null && e.lat !== undefined
    ? ` · ${Number(e.lat).toFixed(2)}, ${Number(e.lon).toFixed(2)}` : '';
  return [el('p', {}, el('a', { href: '#/entities' }, '← all entities')),
    el('h1', {}, e.name),
    el('p', { class: 'muted' }, `${TYPES[e.type] || e.type}`, e.country ? ` · ${e.country}` : '', where,
      ` · ${e.articles} article${e.articles === 1 ? '' : 's'}, ${e.mentions} mentions`),
    el('div', { class: 'grid' },
      el('div', {},
        el('section', { id: 'variants' }, el('h3', {}, 'Names by language'),
          el('table', { class: 'variants' },
            el('thead', {}, el('tr', {}, el('th', {}, 'language'), el('th', {}, 'spellings (times seen)'))),
            el('tbody', {}, langs.map(([code, names]) => el('tr', { 'data-lang': code },
              el('td', {}, el('span', { class: 'badge', 'data-lang': code }, code)),
              el('td', {}, names.map((v, i) => el('span', { class: 'variant' },
                i ? ', ' : '', v.name, el('span', { class: 'muted' }, ` (${v.n})`))))))))),
        el('section', { id: 'recent' }, el('h3', {}, 'Latest articles naming it'),
          el('ul', {}, (e.recent || []).map((a) => el('li', { 'data-id': a.id },
            el('a', { href: `#/article/${a.id}`, title: a.title || null }, short(a.title) || a.id), ' ',
            el('span', { class: 'badge', 'data-lang': a.lang }, a.lang),
            a.story ? el('a', { class: 'muted', href: `#/story/${a.story}` }, ` story ${a.story}`) : null))))),
      el('div', {},
        panel('Stories', e.stories, (s) => el('li', {},
          el('a', { href: `#/story/${s.id}`, title: s.title || null }, short(s.title, 120) || `Story ${s.id}`),
          el('span', { class: 'muted' }, ` ${s.naming} of ${s.articles} articles`)))))];
}

async function entityList(params) {
  const q = new URLSearchParams({ limit: 50 });
  for (const k of ['q', 'type', 'offset']) if (params.get(k)) q.set(k, params.get(k));
  const offset = Number(params.get('offset') || 0);
  const list = await api('/api/entities?' + q);
  const form = el('form', { id: 'entity-filter', class: 'inline' },
    el('input', { type: 'search', name: 'q', value: params.get('q') || '', placeholder: 'Name or spelling', maxlength: 200 }),
    el('select', { name: 'type', 'aria-label': 'Type' }, el('option', { value: '' }, 'all types'),
      Object.entries(TYPES).map(([k, v]) => {
        const o = el('option', { value: k }, v);
        if (params.get('type') === k) o.selected = true;
        return o;
      })),
    el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    const data = new FormData(form);
    for (const k of ['q', 'type']) if (data.get(k)) p.set(k, String(data.get(k)).trim());
    location.hash = '#/entities?' + p;
  });
  const pager = pagerOf('#/entities?', params, offset, 50, list.length, '← previous');
  return [el('h1', {}, 'Entities'), form,
    list.length ? el('table', { class: 'entities' },
      el('thead', {}, el('tr', {}, ['name', 'type', 'articles', 'languages', 'spellings'].map((h) => el('th', {}, h)))),
      el('tbody', {}, list.map((e) => el('tr', { 'data-entity': e.id },
        el('td', {}, el('a', { href: `#/entity/${e.id}` }, e.name)),
        el('td', {}, TYPES[e.type] || e.type), el('td', {}, e.articles),
        el('td', {}, (e.languages || []).map((c) => el('span', { class: 'badge', 'data-lang': c }, c))),
        el('td', {}, e.variants)))))
      : el('p', { class: 'muted' }, 'No entities.'), pager];
}

// ---- two articles side by side ----

const DIMENSIONS = ['Overall', 'Geography', 'Entities', 'Time', 'Narrative', 'Style', 'Tone'];
const EVIDENCE = { entity: 'People and organisations', place: 'Places', date: 'Dates', number: 'Numbers' };

async function comparePage(ida, idb) {
  const [c, a, b] = await Promise.all([
    api(`/api/compare?a=${encodeURIComponent(ida)}&b=${encodeURIComponent(idb)}`),
    api(`/api/articles/${encodeURIComponent(ida)}`),
    api(`/api/articles/${encodeURIComponent(idb)}`)]);
  // Ratings run from 1 (the same) to 4 (unrelated): the bar is similarity.
  const dims = DIMENSIONS.filter((d) => d in c.dimensions).map((d) => {
    const v = Number(c.dimensions[d]);
    const sim = Math.max(0, Math.min(1, (4 - v) / 3));
    const bar = el('div', { class: 'fill' });
    bar.style.width = `${Math.round(sim * 100)}%`;
    return el('tr', { class: 'dim', 'data-dim': d },
      el('th', {}, d), el('td', {}, el('div', { class: 'meter', role: 'meter', 'aria-valuemin': 1,
        'aria-valuemax': 4, 'aria-valuenow': v.toFixed(2), 'aria-label': d }, bar)),
      el('td', { class: 'num' }, v.toFixed(2)));
  });
  const groups = new Map();
  for (const e of c.evidence || []) {
    if (!groups.has(e.kind)) groups.set(e.kind, []);
    groups.get(e.kind).push(e);
  }
  const shared = [...groups.entries()].filter(([k]) => k !== 'passage').map(([k, list]) =>
    el('div', { class: 'ev', 'data-kind': k }, el('h4', {}, EVIDENCE[k] || k),
      list.map((e) => el('span', { class: 'chip', title: `weight ${Number(e.score).toFixed(2)}` }, e.label))));
  const passages = (groups.get('passage') || []).map((e) =>
    el('tr', { class: 'passage' }, el('td', { lang: a.lang }, e.a_text || ''), el('td', { lang: b.lang }, e.b_text || ''),
      el('td', { class: 'num' }, Number(e.score).toFixed(2))));
  const head = (x) => el('div', { class: 'side' },
    el('h3', {}, el('a', { href: `#/article/${x.id}`, title: x.title || null }, short(x.title, 200) || x.id)),
    el('div', { class: 'muted' }, `${x.id} · `, el('span', { class: 'badge', 'data-lang': x.lang }, x.lang),
      `${x.words} words`, x.story ? ' · ' : '', x.story ? el('a', { href: `#/story/${x.story}` }, `story ${x.story}`) : null));
  return [el('p', {}, el('a', { href: 'javascript:history.back()' }, '← back')),
    el('h1', {}, 'Compare two articles'),
    el('div', { class: 'pair' }, head(a), head(b)),
    el('div', { class: 'grid' },
      el('section', { id: 'dimensions' }, el('h3', {}, 'Similarity by dimension'),
        el('p', { class: 'muted' }, 'Rated 1 (the same) to 4 (unrelated); the longer the bar, the closer.'),
        el('table', { class: 'dims' }, dims),
        el('p', {}, `Translation: ${Math.round(100 * Number(c.translation))} %`)),
      el('section', { id: 'evidence' }, el('h3', {}, 'What they share'),
        shared.length ? shared : el('p', { class: 'muted' }, 'No shared names, places, dates or numbers.'))),
    passages.length ? el('section', { id: 'passages' }, el('h3', {}, 'Aligned sentences'),
      el('table', { class: 'passages' }, passages)) : null];
}

// ---- routing: #/?q=..&lang=.., #/story/ID, #/article/ID ----

// Pages are drawn by the latest route only: a slower answer for a page the
// reader has already left never replaces the one they are on.
let routeSeq = 0;

async function route(live = false) {
  const me = ++routeSeq;
  const h = location.hash || '#/';
  let nodes;
  try {
    let m;
    if ((m = h.match(/^#\/story\/(\d+)$/))) {
      nodes = storyPage(await api(`/api/stories/${m[1]}`));
    } else if ((m = h.match(/^#\/article\/([\w.:-]+)$/))) {
      nodes = await articlePage(m[1]);
    } else if ((m = h.match(/^#\/entity\/([\w.:-]+)$/))) {
      nodes = await entityPage(m[1]);
    } else if ((m = h.match(/^#\/entities\??(.*)$/))) {
      nodes = await entityList(new URLSearchParams(m[1]));
    } else if ((m = h.match(/^#\/compare\/([\w.:-]+)\/([\w.:-]+)$/))) {
      nodes = await comparePage(m[1], m[2]);
    } else {
      const params = new URLSearchParams(h.replace(/^#\/?\??/, ''));
      document.getElementById('q').value = params.get('q') || '';
      langSelect.value = params.get('lang') || '';
      nodes = await storyList(params);
    }
  } catch (e) {
    if (me !== routeSeq || live) return; // left, or a live redraw: keep the page
    fail(e);
    return;
  }
  if (me === routeSeq) show(nodes, live);
}

document.getElementById('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const p = new URLSearchParams();
  const q = document.getElementById('q').value.trim();
  if (q) p.set('q', q);
  if (langSelect.value) p.set('lang', langSelect.value);
  location.hash = '#/?' + p;
});
langSelect.addEventListener('change', () => document.getElementById('search').requestSubmit());
window.addEventListener('hashchange', () => route());

// ---- live: follow the database ----

const live = document.getElementById('live');
let version = null;

async function poll() {
  let st;
  try {
    st = await api('/api/status');
  } catch (e) {
    live.textContent = 'offline';
    live.className = 'live off';
    return;
  }
  live.textContent = `live · ${st.articles} articles · ${st.stories} stories`;
  live.className = 'live';
  const changed = version !== null && st.version !== version;
  version = st.version;
  if (!changed) return;
  const h = location.hash || '#/';
  if (h === '#/' || h.startsWith('#/?') || /^#\/story\/\d+$/.test(h)) {
    await route(true);
  }
}

route();
poll();
setInterval(() => { if (!document.hidden) poll(); }, 3000);
