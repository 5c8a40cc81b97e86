// test_web.mjs -- the web page in headless Chromium: the story list shows
// the seeds' Kazakhstan story in three languages; its page shows the
// translation link between articles 000 and 001; an entity page shows the
// name's spellings by language; the compare view shows the seven
// dimensions and shared evidence; an article POSTed to the API appears in
// the open list without a reload.  Screenshots go to tests/web/artifacts/.
//
//   node tests/web/test_web.mjs BASE_URL ID000 ID001 TOKEN
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, id0, id1, token] = process.argv.slice(2);
const out = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(out, { recursive: true });

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-background-networking'],
});
let status = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(base + '/', { waitUntil: 'networkidle' });
  const story = page.locator('li.story').first();
  await story.waitFor({ timeout: 10000 });
  check(await page.locator('li.story').count() === 1, 'want one story in the list');
  const text = await story.innerText();
  check(/Tok(ayev|ajew)|Kazakhstan|kasach|Kazakistan/i.test(text), `no Kazakhstan story: ${text}`);
  const langs = (await story.locator('.badge').evaluateAll((bs) => bs.map((b) => b.dataset.lang))).sort();
  check(JSON.stringify(langs) === '["de","en","it"]', `languages ${langs}`);
  check(/5 articles/.test(text), `size: ${text}`);
  await page.screenshot({ path: join(out, 'stories.png'), fullPage: true });

  // The search box narrows the list.
  await page.fill('#q', 'zzzqqq');
  await page.click('#search button');
  await page.locator('text=No stories.').waitFor({ timeout: 10000 });
  await page.fill('#q', 'Tokayev');
  await page.click('#search button');
  await page.locator('h1', { hasText: 'Tokayev' }).waitFor({ timeout: 10000 });
  await page.locator('li.story').first().waitFor({ timeout: 10000 });
  // The articles found: 000 spells it Tokajew, 001 and 004 Tokayev.
  await page.fill('#q', 'Tokajew');
  await page.click('#search button');
  await page.locator('h1', { hasText: 'Tokajew' }).waitFor({ timeout: 10000 });
  await page.locator('li.hit').first().waitFor({ timeout: 10000 });
  const hits = (await page.locator('li.hit').evaluateAll((hs) => hs.map((h) => h.dataset.source.slice(0, 4)))).sort();
  check(JSON.stringify(hits) === '["000_","001_","004_"]', `search Tokajew: ${hits}`);

  await page.locator('li.story h2 a').first().click();
  await page.locator('#articles .article').first().waitFor({ timeout: 10000 });
  check(await page.locator('#articles .article').count() === 5, 'want 5 articles on the story page');
  const groups = (await page.locator('.lang-group').evaluateAll((gs) => gs.map((g) => g.dataset.lang))).sort();
  check(JSON.stringify(groups) === '["de","en","it"]', `language groups ${groups}`);
  const link = page.locator(`#a-${id0} .link[data-kind="translation"][data-target="${id1}"]`);
  check(await link.count() === 1, `no translation link from ${id0} to ${id1}`);
  const back = page.locator(`#a-${id1} .link[data-kind="translation"][data-target="${id0}"]`);
  check(await back.count() === 1, `no translation link from ${id1} to ${id0}`);
  check(await page.locator('#timeline .bar').count() >= 1, 'no timeline bars');
  check(await page.locator('.panel li').count() > 0, 'no entity or place panel');

  // The map of the story's places (map.js over /world.svg): one circle per
  // place with coordinates in /api/stories/ID, titled with its name.
  const sid = await page.evaluate(() => location.hash.match(/story\/(\d+)/)[1]);
  const places = await page.evaluate(async (id) => (await (await fetch(`/api/stories/${id}`)).json()).places, sid);
  const located = places.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  check(located.length > 0, 'no place with coordinates in the story');
  await page.locator('#map svg circle.place').first().waitFor({ timeout: 10000 });
  check(await page.locator('#map svg[role="img"] .land path').count() > 100, 'no world map in #map');
  // Countries named without coordinates are shaded: Kazakhstan is.
  const kz = places.find((p) => p.country === 'KZ' && !Number.isFinite(p.lat));
  check(kz, 'no Kazakhstan among the places');
  check(await page.locator('#map .land path.named[data-cc="KZ"]').count() === 1, 'Kazakhstan is not shaded');
  check(!/Kazakhstan|Kasachstan/.test(await page.locator('#map .map-other').innerText()),
    'Kazakhstan listed as not on the map');
  const titles = await page.locator('#map svg circle.place').evaluateAll((cs) =>
    cs.map((c) => c.querySelector('title').textContent));
  check(titles.length === located.length, `${titles.length} circles for ${located.length} located places`);
  for (const p of located) check(titles.some((t) => t.startsWith(p.name)), `no circle titled ${p.name}: ${titles}`);
  const aria = await page.locator('#map svg').getAttribute('aria-label');
  check(located.every((p) => aria.includes(p.name)), `aria-label: ${aria}`);
  check(await page.locator('#map .labels text').count() > 0, 'no place labels');
  await page.locator('#map').screenshot({ path: join(out, 'map.png') });
  await page.screenshot({ path: join(out, 'story.png'), fullPage: true });

  await page.locator(`#a-${id0} > a`).click();
  await page.locator('.text').waitFor({ timeout: 10000 });
  check((await page.locator('.text').innerText()).length > 1000, 'article text missing');
  // Its similar articles, by title: 001 (its translation) among them.
  await page.locator(`.panel li[data-id="${id1}"] a`).first().waitFor({ timeout: 10000 });
  check(/Putin ha impegnato/.test(await page.locator(`.panel li[data-id="${id1}"]`).innerText()),
    'the similar articles are not listed by title');
  await page.screenshot({ path: join(out, 'article.png') });

  // An entity from the story page: its spellings by language.
  await page.goto(base + '/#/story/1', { waitUntil: 'networkidle' });
  const tok = page.locator('#main a.entity', { hasText: /Tokajew|Tokayev/ }).first();
  await tok.waitFor({ timeout: 10000 });
  await tok.click();
  await page.locator('#variants tr[data-lang]').first().waitFor({ timeout: 10000 });
  const spell = await page.locator('#variants tr[data-lang]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.lang, r.innerText])));
  check(/Tokajew/.test(spell.de || ''), `German spellings: ${JSON.stringify(spell)}`);
  check(/Tokayev/.test(spell.it || ''), `Italian spellings: ${JSON.stringify(spell)}`);
  check(await page.locator('.panel a[href="#/story/1"]').count() === 1, 'the entity page does not list story 1');
  await page.screenshot({ path: join(out, 'entity.png'), fullPage: true });

  // The entity list finds it by another spelling.
  await page.goto(base + '/#/entities?q=Tokayev', { waitUntil: 'networkidle' });
  await page.locator('table.entities tbody tr').first().waitFor({ timeout: 10000 });
  check(/Tokajew|Tokayev/.test(await page.locator('table.entities tbody tr').first().innerText()),
    'entity list: Tokayev not found');

  // 000 and 001 side by side: seven dimensions, shared names, aligned sentences.
  await page.goto(base + '/#/story/1', { waitUntil: 'networkidle' });
  await page.locator(`#a-${id0} a.compare`).first().click();
  await page.locator('#dimensions tr.dim').first().waitFor({ timeout: 20000 });
  const dims = await page.locator('#dimensions tr.dim').evaluateAll((rs) => rs.map((r) => r.dataset.dim));
  check(dims.length === 7, `dimensions: ${dims}`);
  check(await page.locator('#evidence .chip').count() > 0, 'no shared evidence');
  check(await page.locator('#passages tr.passage').count() > 0, 'no aligned sentences');
  const pair = await page.locator('.pair').innerText();
  check(pair.includes(id0) && pair.includes(id1), 'the compare view does not name both articles');
  await page.screenshot({ path: join(out, 'compare.png'), fullPage: true });

  // Live: an article POSTed with the token shows up in the open list.
  await page.goto(base + '/', { waitUntil: 'networkidle' });
  await page.locator('li.story').first().waitFor({ timeout: 10000 });
  const before = await page.locator('li.story').count();
  const denied = await fetch(base + '/api/articles', { method: 'POST', body: '{}',
    headers: { 'Content-Type': 'application/json' } });
  check(denied.status === 401, `POST without the token: ${denied.status}`);
  const posted = await fetch(base + '/api/articles', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ id: 'live-1', lang: 'en', title: 'Volcanic eruption closes airports in Iceland',
      text: 'A volcanic eruption on the Reykjanes peninsula sent lava towards the town of Grindavik on Sunday. ' +
        'Iceland closed two airports as ash drifted north, and geologists said the eruption could last for weeks.' }),
  });
  check(posted.status === 201, `POST with the token: ${posted.status}`);
  await page.locator('li.story', { hasText: 'Volcanic eruption' }).waitFor({ timeout: 15000 });
  check(await page.locator('li.story').count() === before + 1, 'the new story is not in the list');
  check(/articles/.test(await page.locator('#live').innerText()), 'no live status');
  await page.screenshot({ path: join(out, 'live.png'), fullPage: true });
  // No page shows a stray "null" or "undefined" where a part was left out.
  for (const h of ['#/', `#/story/1`, `#/compare/${id0}/${id1}`, '#/entities']) {
    await page.goto(base + '/' + h, { waitUntil: 'networkidle' });
    const text = await page.locator('#main').innerText();
    check(!/^(null|undefined)$/m.test(text), `${h} shows a bare null: ${text.slice(-200)}`);
  }
  check(errors.length === 0, `errors in the page: ${errors.join('; ')}`);
  console.log('ok');
} catch (e) {
  console.log('FAIL: ' + e.message);
  // What the page showed, for the log and as an artifact.
  for (const p of browser.contexts().flatMap((c) => c.pages())) {
    console.log(`  at ${p.url()}: ${(await p.locator('#main').innerText().catch(() => '')).slice(0, 400)}`);
    await p.screenshot({ path: join(out, 'failure.png'), fullPage: true }).catch(() => {});
  }
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
