// Report rendering benchmark, for issue 13: the server drawing the demo's
// Chinese A4 report (every kind of panel) as PNG at 2x, SVG and PDF,
// against headless Chromium doing what Grafana's renderer does for a
// dashboard — launch, load the campaign's overview page (the same panels:
// KPI cards, reach, trends, sources, accounts, funnel), wait for its charts,
// take a full-page screenshot at 2x — on this machine, in the same run.
//
// Every server render misses the render cache: each run renders a copy of
// the report whose title differs (the cache is keyed by the definition), so
// the times include reading the numbers, layout, drawing and encoding; the
// caches of derived data a running server keeps (the cascade list, the tree
// picture, both keyed by the campaign's data version) are warm, as they are
// for an agency re-rendering a report after an edit. Memory:
// the server process's resident set, sampled every 10 ms from /proc during
// the renders (peak, and peak above the idle server); Chromium's: the sum
// over its process tree, sampled the same way. Also: one chart as PNG, and
// eight renders at once. Prints Markdown. Run by `BENCH_ONLY=reports .ci/bench`.
import { chromium } from '@playwright/test';
import { startDemo, sessionCookie } from './session.mjs';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.REPORT_RUNS ?? 15);
const BIN = process.env.SERVER_BIN;
if (!BIN) throw new Error('SERVER_BIN names the release server binary');

const rssKb = (pid) => {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
/** Every process whose ancestry leads to `root` (its own pid included). */
const tree = (root) => {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const inTree = (p) => {
    for (let q = p, i = 0; q && i < 64; q = parent.get(q), i++) if (q === root) return true;
    return false;
  };
  return [...parent.keys()].filter(inTree);
};
/** Samples `measure()` every 10 ms while `work` runs: [result, peak]. */
async function peakDuring(measure, work) {
  let peak = measure();
  const t = setInterval(() => (peak = Math.max(peak, measure())), 10);
  try {
    const r = await work();
    peak = Math.max(peak, measure());
    return [r, peak];
  } finally {
    clearInterval(t);
  }
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
};
const ms = (x) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

const tmp = mkdtempSync(join(tmpdir(), 'wom-report-bench-'));
const { child, url, secret } = await startDemo(BIN, tmp);
const cookie = await sessionCookie(url, secret);
const headers = { cookie: `wom_session=${cookie.value}`, origin: url, 'content-type': 'application/json' };
try {
  const reports = await (await fetch(`${url}/api/v1/reports?workspace=demo`, { headers })).json();
  const zh = reports[0];
  /** A copy of `def` with another title: a render the cache has not seen. */
  let copies = 0;
  const copy = async (def) => {
    const body = JSON.stringify({ ...def, title: `${def.title} #${++copies}` });
    const r = await fetch(`${url}/api/v1/reports`, { method: 'POST', headers, body });
    if (r.status !== 201) throw new Error(`saving a copy: ${r.status} ${await r.text()}`);
    return (await r.json()).id;
  };
  const render = async (id, q) => {
    const t0 = performance.now();
    const r = await fetch(`${url}/api/v1/reports/${id}/${q}`, { headers });
    const bytes = (await r.arrayBuffer()).byteLength;
    if (r.status !== 200) throw new Error(`${q}: ${r.status}`);
    return { t: performance.now() - t0, bytes, pages: Number(r.headers.get('x-report-pages')) };
  };
  // Warm the numbers' caches (the cascade list) as a running server has them.
  await render(await copy(zh.definition), 'render.svg');
  const idle = rssKb(child.pid);
  const rows = [];
  let serverPeak = idle;
  for (const [name, q] of [['PNG, scale 2', 'render.png?scale=2'], ['SVG', 'render.svg'], ['PDF', 'render.pdf']]) {
    const ids = [];
    for (let i = 0; i < RUNS; i++) ids.push(await copy(zh.definition));
    const [runs, peak] = await peakDuring(() => rssKb(child.pid), async () => {
      const out = [];
      for (const id of ids) out.push(await render(id, q));
      return out;
    });
    serverPeak = Math.max(serverPeak, peak);
    const times = runs.map((r) => r.t);
    rows.push({ name, p50: quantile(times, 0.5), p95: quantile(times, 0.95), peak, bytes: runs[0].bytes, pages: runs[0].pages });
  }
  // One chart (reach over time) as a one-page PNG.
  const chart = { ...zh.definition, panels: [{ kind: 'reach' }] };
  const chartIds = [];
  for (let i = 0; i < RUNS; i++) chartIds.push(await copy(chart));
  const chartTimes = [];
  for (const id of chartIds) chartTimes.push((await render(id, 'render.png?scale=2')).t);
  // Eight at once.
  const eight = [];
  for (let i = 0; i < 8; i++) eight.push(await copy(zh.definition));
  const t8 = performance.now();
  const [, peak8] = await peakDuring(() => rssKb(child.pid), () => Promise.all(eight.map((id) => render(id, 'render.png?scale=2'))));
  const wall8 = performance.now() - t8;

  // Chromium, the Grafana renderer's way: a new browser per render.
  const chromiumRuns = [];
  for (let i = 0; i < Math.min(RUNS, 7); i++) {
    const t0 = performance.now();
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    // Chromium's processes are this script's descendants.
    const browserRss = () => tree(process.pid).filter((p) => p !== process.pid).reduce((s, p) => s + rssKb(p), 0);
    const [, peak] = await peakDuring(
      browserRss,
      async () => {
        const context = await browser.newContext({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: 2 });
        await context.addCookies([cookie]);
        const page = await context.newPage();
        await page.goto(`${url}/campaigns/${zh.definition.campaign_id}?lang=zh-CN`);
        for (const sel of ['canvas[data-chart="reach"]', 'canvas[data-chart="trends"]', 'canvas[data-chart="sources"]', 'section.funnel table']) {
          await page.locator(sel).first().waitFor({ timeout: 30000 });
        }
        await page.screenshot({ fullPage: true });
      },
    );
    await browser.close();
    chromiumRuns.push({ t: performance.now() - t0, peak });
  }
  const cTimes = chromiumRuns.map((r) => r.t);
  const cPeak = Math.max(...chromiumRuns.map((r) => r.peak));
  const c50 = quantile(cTimes, 0.5);

  console.log(`Demo report "${zh.definition.title}": ${rows[0].pages} A4 pages, ${zh.definition.panels.length} panels; ${RUNS} renders per format (each a cache miss), Chromium ${chromiumRuns.length} runs.`);
  console.log();
  console.log('| render | p50 | p95 | Chromium p50 ÷ this p50 | peak RSS (server) | file |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| server, ${r.name} | ${ms(r.p50)} | ${ms(r.p95)} | **${(c50 / r.p50).toFixed(0)}×** | ${mb(r.peak)} (+${mb(r.peak - idle)} over idle) | ${(r.bytes / 1024).toFixed(0)} KB |`);
  }
  console.log(`| headless Chromium: launch, load the overview, wait for its charts, full-page screenshot at 2× | ${ms(c50)} | ${ms(quantile(cTimes, 0.95))} | 1× | ${mb(cPeak)} (browser process tree) | – |`);
  console.log();
  console.log(`- Memory: the server's peak while rendering, ${mb(serverPeak)} (idle ${mb(idle)}, the demo loaded), is **${(serverPeak / cPeak).toFixed(2)}** of Chromium's ${mb(cPeak)}; what rendering adds to the server, ${mb(serverPeak - idle)}, is ${((serverPeak - idle) / cPeak).toFixed(2)} of it.`);
  console.log(`- One chart (reach over time) as a one-page PNG at 2×, through the API: p50 ${ms(quantile(chartTimes, 0.5))}, p95 ${ms(quantile(chartTimes, 0.95))}.`);
  console.log(`- Eight PNG renders at once: ${ms(wall8)} for all eight (two render slots), server peak ${mb(peak8)} (+${mb(peak8 - idle)} over idle).`);
} finally {
  child.kill();
  rmSync(tmp, { recursive: true, force: true });
}
