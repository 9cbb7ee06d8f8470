// Redraw benchmark of the cascade explorer in Chromium: the whole tree
// rasterised in WASM into one pixel buffer and blitted (plus the canvas's
// fillText labels), on a 1440×900 bitmap, 30 frames (each panned by a pixel,
// so each is a real redraw); prints the median and quartiles as Markdown.
// Trees: the demo's 20,300-node hero cascade, and a 10^5-node cascade
// ingested through the API (preferential attachment, 60% of reposts to the
// 100 earliest posts, the rest uniform), so it is stored, listed and served
// exactly as a real one. Run by .ci/bench.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { startDemo, sessionCookie } from './session.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.SERVER_BIN;
if (!bin) throw new Error('SERVER_BIN names the release server binary');
const FRAMES = 30;
const tmp = mkdtempSync(join(tmpdir(), 'wom-explorer-bench-'));

const { child, url, secret, db } = await startDemo(bin, tmp);

async function api(path, init) {
  const r = await fetch(url + path, init);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

// A 10^5-node cascade, ingested in batches of 10,000 posts.
const lines = execFileSync(bin, ['api-key', 'create', '--workspace', 'demo', '--database-url', db]).toString().trim().split('\n');
const key = lines[lines.length - 1].trim();
const auth = { Authorization: `Bearer ${key}` };
const campaign = await api('/api/v1/campaigns', {
  method: 'POST',
  headers: { ...auth, 'Content-Type': 'application/json' },
  body: JSON.stringify({ brand: '茶语 TeaWhisper', name: 'Bench 10^5', start: '2026-07-01', end: '2026-07-31', channels: ['weibo'] }),
});
const N = 100_000;
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const t0 = Date.parse('2026-07-01T10:00:00+08:00');
const events = [];
for (let i = 0; i < N; i++) {
  const parent = i === 0 ? null : rand() < 0.6 ? Math.floor(rand() * Math.min(i, 100)) : Math.floor(rand() * i);
  const e = { kind: 'post', id: `b${i}`, channel: 'weibo', author: `bu${i}`, time: new Date(t0 + i * 1000).toISOString(), campaign: campaign.id };
  if (parent !== null) Object.assign(e, { root_id: 'b0', parent_id: `b${parent}` });
  events.push(JSON.stringify(e));
}
for (let i = 0; i < N; i += 10_000) {
  await api('/api/v1/ingest', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/x-ndjson' }, body: events.slice(i, i + 10_000).join('\n') });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
await context.addCookies([await sessionCookie(url, secret)]);
const page = await context.newPage();
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};
const rows = [];
for (const [label, campaignId, root] of [['demo hero cascade', 1, 'c1-k0-n0'], ['ingested 10^5-node cascade', campaign.id, 'b0']]) {
  for (const layout of ['tidy', 'radial']) {
    await page.goto(`${url}/campaigns/${campaignId}/cascades/${root}?lang=en&layout=${layout}`);
    const canvas = page.locator('canvas.tree-canvas');
    await canvas.waitFor();
    await page.waitForFunction(() => typeof window.__womExplorerRedraw === 'function' && document.querySelector('canvas.tree-canvas')?.getAttribute('data-zoom'));
    const nodes = Number(await canvas.getAttribute('data-nodes'));
    await page.evaluate(() => window.__womExplorerRedraw(3, 1440, 900)); // warm-up
    const times = await page.evaluate((f) => [...window.__womExplorerRedraw(f, 1440, 900)], FRAMES);
    rows.push(`| ${label} (${layout}) | ${nodes.toLocaleString('en-US')} | ${quantile(times, 0.5).toFixed(1)} ms | ${quantile(times, 0.25).toFixed(1)}–${quantile(times, 0.75).toFixed(1)} ms | ${(33 / quantile(times, 0.5)).toFixed(1)}× under 33 ms |`);
  }
}
await browser.close();
child.kill('SIGTERM');
rmSync(tmp, { recursive: true, force: true });

console.log(`#### Explorer redraw in Chromium (1440×900 bitmap, median of ${FRAMES} frames; goal ≤ 33 ms)\n`);
console.log('| cascade | nodes | median redraw | interquartile | ratio to the goal |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
