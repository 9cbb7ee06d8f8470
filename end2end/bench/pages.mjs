// Page-load benchmark in Chromium, for issue 12 (route-level code splitting).
// For each page of the dashboard, with a cold cache: the code bytes the
// browser receives (HTML, JS, WASM, CSS: encoded body bytes, brotli as
// Chromium asks for it) and the time from navigation start to the page's
// first draw (its first chart, tree or table in the DOM, read on the frame
// it appears), median of RUNS. Then, from a drawn overview, the code bytes
// fetched by following the link to each other page (over the wire: cached
// files cost nothing). With BASELINE_BIN, the same for another build, in the
// same run, the builds taking turns run by run, so the two are compared as
// ratios. Prints Markdown. Run by
// .ci/bench.
import { chromium } from '@playwright/test';
import { startDemo, sessionCookie } from './session.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.PAGE_RUNS ?? 7);
const builds = [['this build', process.env.SERVER_BIN]];
if (process.env.BASELINE_BIN) builds.push(['baseline', process.env.BASELINE_BIN]);
if (!builds[0][1]) throw new Error('SERVER_BIN names the release server binary');

/** Each page: its URL and what shows that it has drawn. */
const PAGES = [
  ['campaign list', '/?lang=en', 'main a[href^="/campaigns/"]'],
  ['overview', '/campaigns/1?lang=en', 'canvas[data-chart="reach"]'],
  ['cascades', '/campaigns/1/cascades?lang=en', 'table.cascades tbody tr'],
  ['explorer', '/campaigns/1/cascades/c1-k0-n0?lang=en', 'canvas.tree-canvas[data-nodes]:not([data-nodes=""])'],
  ['listening', '/campaigns/1/listening?lang=en', 'canvas[data-chart="mentions"]'],
  ['compare', '/compare?a=1&b=2&lang=en', '.compare-table tbody tr'],
];
/** Moves by link from the overview (the explorer: from the cascade table). */
const MOVES = [
  ['campaign list', (p) => p.locator('header a.brand').click()],
  ['cascades', (p) => p.getByRole('link', { name: 'Word of mouth', exact: true }).click()],
  ['explorer', async (p) => {
    await p.getByRole('link', { name: 'Word of mouth', exact: true }).click();
    await p.locator('table.cascades tbody tr').first().waitFor();
    await p.evaluate(() => performance.clearResourceTimings());
    await p.locator('table.cascades tbody tr').first().getByRole('link').click();
  }],
  ['listening', (p) => p.getByRole('link', { name: 'Listening', exact: true }).click()],
  ['compare', async (p) => {
    // The link picks this campaign as A; the marketer picks B.
    await p.getByRole('link', { name: 'Compare', exact: true }).click();
    await p.getByLabel('Campaign B').selectOption({ index: 2 });
  }],
];
const selectorOf = Object.fromEntries(PAGES.map(([name, , sel]) => [name, sel]));

/** Waits for `sel`, read on the frame it appears: ms since navigation start. */
async function drawnAt(page, sel) {
  try {
    const h = await page.waitForFunction((s) => (document.querySelector(s) ? performance.now() : false), sel, { polling: 'raf', timeout: 30000 });
    return await h.jsonValue();
  } catch (e) {
    throw new Error(`${page.url()} never showed ${sel}: ${e.message}`);
  }
}

/** Starts `bin` on a new demo database, signed in: `{ url, fresh, stop }`. */
async function open(bin, browser) {
  const tmp = mkdtempSync(join(tmpdir(), 'wom-pages-bench-'));
  const { child, url, secret } = await startDemo(bin, tmp);
  const cookie = await sessionCookie(url, secret);
  const fresh = async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addCookies([cookie]);
    return [context, await context.newPage()];
  };
  const stop = () => {
    child.kill();
    rmSync(tmp, { recursive: true, force: true });
  };
  return { url, fresh, stop };
}

/** One cold load of `path`: ms to first draw and code bytes received. */
async function firstLoad(server, path, sel) {
  const [context, page] = await server.fresh();
  await page.goto(server.url + path, { waitUntil: 'commit' });
  const ms = await drawnAt(page, sel);
  const bytes = await page.evaluate(() => {
    const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    return all.filter((e) => !new URL(e.name).pathname.startsWith('/api/')).reduce((s, e) => s + e.encodedBodySize, 0);
  });
  await context.close();
  return { ms, bytes };
}

/** The code a move by link from a drawn overview fetches. */
async function move(server, name, go) {
  const [context, page] = await server.fresh();
  await page.goto(server.url + '/campaigns/1?lang=en');
  await drawnAt(page, selectorOf.overview);
  // The overview's own later parts first: they are not the move's.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => performance.clearResourceTimings());
  await go(page);
  await drawnAt(page, selectorOf[name]);
  // Parts drawn after the first draw arrive a moment later.
  await page.waitForTimeout(1000);
  const r = await page.evaluate(() => {
    const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    const code = all.filter((e) => !new URL(e.name).pathname.startsWith('/api/'));
    return { bytes: code.reduce((s, e) => s + e.transferSize, 0), files: code.filter((e) => e.transferSize > 0).length };
  });
  await context.close();
  return r;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const servers = [];
for (const [, bin] of builds) servers.push(await open(bin, browser));
// The builds take turns, run by run, so a slow moment of the machine
// falls on both.
const results = servers.map(() => ({ first: {}, moves: {} }));
try {
  for (const [name, path, sel] of PAGES) {
    const times = servers.map(() => []);
    for (let i = 0; i < RUNS; i++) {
      for (const [k, server] of servers.entries()) {
        const r = await firstLoad(server, path, sel);
        times[k].push(r.ms);
        results[k].first[name] = { bytes: r.bytes };
      }
    }
    for (const [k, t] of times.entries()) {
      t.sort((a, b) => a - b);
      results[k].first[name].ms = t[Math.floor(t.length / 2)];
    }
  }
  for (const [name, go] of MOVES) {
    for (const [k, server] of servers.entries()) results[k].moves[name] = await move(server, name, go);
  }
} finally {
  await browser.close();
  servers.forEach((s) => s.stop());
}
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const [ours, base] = results;
console.log(`| page (Chromium, cold cache, 1366×768) | code received, this build | navigation → first draw, this build (median of ${RUNS}) |${base ? ' baseline: code, first draw | ratio (this / baseline): code, time |' : ''}`);
console.log(`|---|---|---|${base ? '---|---|' : ''}`);
for (const [name] of PAGES) {
  const o = ours.first[name];
  const b = base?.first[name];
  console.log(`| ${name} | ${kb(o.bytes)} | ${o.ms.toFixed(0)} ms |${b ? ` ${kb(b.bytes)}, ${b.ms.toFixed(0)} ms | **${(o.bytes / b.bytes).toFixed(2)}×**, **${(o.ms / b.ms).toFixed(2)}×** |` : ''}`);
}
console.log();
console.log(`| move from the drawn overview, by its link | code fetched, this build (files) |${base ? ' baseline (files) |' : ''}`);
console.log(`|---|---|${base ? '---|' : ''}`);
for (const [name] of MOVES) {
  const o = ours.moves[name];
  const b = base?.moves[name];
  console.log(`| → ${name} | ${kb(o.bytes)} (${o.files}) |${b ? ` ${kb(b.bytes)} (${b.files}) |` : ''}`);
}
