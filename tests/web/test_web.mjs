// test_web.mjs -- the web page in headless Chromium: the story list shows
// the seeds' Kazakhstan story in three languages; its page shows the
// translation link between articles 000 and 001.  Screenshots go to
// tests/web/artifacts/.
//
//   node tests/web/test_web.mjs BASE_URL ID000 ID001
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, id0, id1] = process.argv.slice(2);
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
  await page.locator('li.story').first().waitFor({ timeout: 10000 });
  // The articles found: 000 spells it Tokajew, 001 and 004 Tokayev.
  await page.fill('#q', 'Tokajew');
  await page.click('#search button');
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
  check(await page.locator('#map svg[role="img"] path.land').count() === 1, 'no world map in #map');
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
  await page.screenshot({ path: join(out, 'article.png') });
  check(errors.length === 0, `errors in the page: ${errors.join('; ')}`);
  console.log('ok');
} catch (e) {
  console.log('FAIL: ' + e.message);
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
