// app.js -- herald's web page: the story list and the story page, drawn
// from the JSON API of `herald serve`.  Plain DOM; every value from the API
// goes in through textContent or attributes, never as HTML.
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

function show(...nodes) {
  main.replaceChildren(...nodes);
  window.scrollTo(0, 0);
}

function fail(e) {
  show(el('p', { class: 'error' }, 'Error: ' + e.message));
}

function langBadges(langs) {
  return Object.entries(langs || {}).map(([code, n]) =>
    el('span', { class: 'badge', 'data-lang': code }, `${code} ${n}`));
}

const day = (t) => (t ? String(t).slice(0, 10) : '');

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
      el('h2', {}, el('a', { href: `#/story/${s.id}` }, s.title || `Story ${s.id}`)),
      el('div', {},
        el('span', { class: 'size' }, `${s.articles} article${s.articles === 1 ? '' : 's'}`),
        langBadges(s.languages),
        el('span', { class: 'muted' }, ` ${day(s.first)} – ${day(s.last)}`)),
      el('div', { class: 'muted entities' }, (s.entities || []).join(' · '))));
  const pager = el('div', { class: 'pager' });
  const link = (off, text) => {
    const p = new URLSearchParams(params);
    p.set('offset', off);
    return el('a', { href: '#/?' + p }, text);
  };
  if (offset > 0) pager.append(link(Math.max(0, offset - PAGE), '← newer'));
  if (stories.length === PAGE) pager.append(link(offset + PAGE, 'more →'));
  show(el('h1', {}, params.get('q') ? `Stories matching “${params.get('q')}”` : 'Stories'),
    items.length ? el('ul', { class: 'stories' }, items) : el('p', { class: 'muted' }, 'No stories.'),
    pager, params.get('q') ? await articleHits(params) : null);
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
          return a;
        }))))));
  const quotes = (s.quotes || []).slice(0, 10).map((q) =>
    el('blockquote', { class: 'quote' }, `“${q.text}”`,
      el('div', { class: 'muted' }, `— ${q.speaker || 'unknown'} (${q.lang})`)));
  const map = window.heraldMap ? heraldMap(el('section', { id: 'map' }, el('h3', {}, 'Map')), s.places) : null;
  show(el('p', {}, el('a', { href: '#/' }, '← all stories')),
    el('h1', {}, s.title || `Story ${s.id}`),
    el('p', {}, el('span', { class: 'size' }, `${s.articles} articles`), langBadges(s.languages),
      el('span', { class: 'muted' }, ` ${day(s.first)} – ${day(s.last)}`)),
    el('div', { class: 'grid' },
      el('div', {},
        el('section', { id: 'timeline' }, el('h3', {}, 'Timeline'), timeline(s.timeline || [])),
        map,
        el('section', { id: 'articles' }, el('h3', {}, 'Articles'), articles),
        quotes.length ? el('section', { id: 'quotes' }, el('h3', {}, 'Quotes'), quotes) : null),
      el('div', {},
        panel('Entities', s.entities, (e) => el('li', {}, `${e.name} `,
          el('span', { class: 'muted' }, `${e.type} · ${e.articles} art.`))),
        panel('Places', s.places, (p) => el('li', {}, `${p.name} `,
          el('span', { class: 'muted' }, `${p.country || ''} · ${p.articles} art.`))))));
}

async function articlePage(id) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  show(el('p', {}, a.story ? el('a', { href: `#/story/${a.story}` }, '← story') : el('a', { href: '#/' }, '← all stories')),
    el('h1', {}, a.title || a.id),
    el('p', { class: 'muted' }, `${a.id} · ${a.lang} · ${a.words} words`, a.url ? ' · ' : '',
      a.url ? el('a', { href: a.url, rel: 'noopener noreferrer' }, a.url) : null),
    el('section', {}, el('div', { class: 'text' }, a.text || '')));
}

// ---- routing: #/?q=..&lang=.., #/story/ID, #/article/ID ----

async function route() {
  const h = location.hash || '#/';
  try {
    let m;
    if ((m = h.match(/^#\/story\/(\d+)$/))) {
      storyPage(await api(`/api/stories/${m[1]}`));
    } else if ((m = h.match(/^#\/article\/([\w.:-]+)$/))) {
      await articlePage(m[1]);
    } else {
      const params = new URLSearchParams(h.replace(/^#\/?\??/, ''));
      document.getElementById('q').value = params.get('q') || '';
      langSelect.value = params.get('lang') || '';
      await storyList(params);
    }
  } catch (e) {
    fail(e);
  }
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
window.addEventListener('hashchange', route);
route();
