// In-browser benchmark of the word-of-mouth engine (our WASM build: tree,
// metrics and tidy layout) against d3-hierarchy 3.1 (stratify, sum, tree),
// in the same Chromium page, on the same pre-canonicalised parent arrays:
// every Twitter15 tree, synthetic mixed trees of 10^5 and 10^6 nodes (80% of
// attachments to 10 hubs), and a 10^5-node chain. Both sides must agree on
// n, depth, the sum of subtree sizes and every coordinate (within 1e-12)
// before anything is timed. Prints a Markdown table; run by .ci/bench.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { startDemo, sessionCookie } from './session.mjs';
import { mkdtempSync, mkdirSync, copyFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.SERVER_BIN;
if (!bin) throw new Error('SERVER_BIN names the release server binary');
const tmp = mkdtempSync(join(tmpdir(), 'wom-bench-'));

// Canonical Twitter15 parent arrays (breadth-first, siblings in row order) from the engine's CLI.
const dataset = join(tmp, 'twitter15');
mkdirSync(dataset);
const fixtures = join(here, '..', '..', 'server', 'tests', 'fixtures', 'twitter15');
execFileSync('tar', ['xzf', join(fixtures, 'tree.tar.gz'), '-C', dataset]);
copyFileSync(join(fixtures, 'label.txt'), join(dataset, 'label.txt'));
const twitter15 = execFileSync(bin, ['cascade', 'layout', dataset], { maxBuffer: 1 << 30, encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).parent);

const { child, url, secret } = await startDemo(bin, tmp);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  // d3-hierarchy goes in as an inline script: the page's CSP would refuse it.
  const context = await browser.newContext({ bypassCSP: true });
  await context.addCookies([await sessionCookie(url, secret)]);
  const page = await context.newPage();
  // The main module exports the engine's entry points on every page.
  await page.goto(url + '/campaigns/1/cascades');
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.engine_tree_layout, null, { timeout: 60_000 });
  await page.addScriptTag({ content: readFileSync(join(here, '..', 'node_modules', 'd3-hierarchy', 'dist', 'd3-hierarchy.min.js'), 'utf8') });
  const d3version = await page.evaluate(() => window.d3 && typeof window.d3.tree === 'function');
  if (!d3version) throw new Error('d3-hierarchy did not load');

  const rows = await page.evaluate(async (twitter15) => {
    const engine = window.wasmBindings;
    const d3 = window.d3;
    // Seeded generator (mulberry32), so every run benchmarks the same trees.
    const rng = (seed) => () => {
      seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const mixed = (n, seed) => {
      const r = rng(seed);
      const p = new Int32Array(n);
      p[0] = -1;
      for (let i = 1; i < n; i++) p[i] = i > 10 && r() < 0.8 ? Math.floor(r() * 10) : Math.floor(r() * i);
      return p;
    };
    const chain = (n) => Int32Array.from({ length: n }, (_, i) => i - 1);

    // An async entry point (its code is the explorer's chunk, fetched on the
    // first call); once loaded, a call computes at once and resolves.
    const wasm = async (p) => {
      const run = await engine.engine_tree_layout(p);
      return { n: run.n, depth: run.depth, sum: run.subtree_sum, x: run.x, y: run.y };
    };
    const d3run = (p, idx) => {
      const root = d3.stratify().id((d) => d).parentId((d) => (p[d] < 0 ? null : p[d]))(idx);
      root.sum(() => 1);
      d3.tree()(root);
      let sum = 0;
      root.each((node) => { sum += node.value; });
      return { n: root.value, depth: root.height, sum, root };
    };
    const check = async (p, idx) => {
      const a = await wasm(p);
      const b = d3run(p, idx);
      if (a.n !== b.n || a.depth !== b.depth || a.sum !== b.sum) {
        throw new Error(`mismatch: engine n=${a.n} depth=${a.depth} sum=${a.sum}, d3 n=${b.n} depth=${b.depth} sum=${b.sum}`);
      }
      let worst = 0;
      b.root.each((node) => {
        const i = +node.id;
        worst = Math.max(worst, Math.abs(node.x - a.x[i]), Math.abs(node.y - a.y[i]));
      });
      if (worst > 1e-12) throw new Error(`coordinates differ by ${worst}`);
      return worst;
    };
    const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
    const time = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };
    const timeAsync = async (f) => { const t0 = performance.now(); await f(); return performance.now() - t0; };

    const sets = [
      { name: 'Twitter15, all 1,490 trees', trees: twitter15.map((p) => Int32Array.from(p)), runs: 7, d3runs: 5 },
      { name: 'mixed, 10^5 nodes', trees: [mixed(100_000, 1)], runs: 7, d3runs: 5 },
      { name: 'mixed, 10^6 nodes', trees: [mixed(1_000_000, 2)], runs: 5, d3runs: 3 },
      { name: 'chain, 10^5 nodes', trees: [chain(100_000)], runs: 7, d3runs: 1 },
    ];
    const out = [];
    for (const set of sets) {
      const idx = set.trees.map((p) => Array.from({ length: p.length }, (_, i) => i));
      let worst = 0;
      for (const [k, p] of set.trees.entries()) worst = Math.max(worst, await check(p, idx[k]));
      const ours = [];
      const theirs = [];
      for (let r = 0; r < Math.max(set.runs, set.d3runs); r++) {
        if (r < set.runs) ours.push(await timeAsync(async () => { for (const p of set.trees) await wasm(p); }));
        if (r < set.d3runs) theirs.push(time(() => set.trees.forEach((p, k) => d3run(p, idx[k]))));
      }
      const nodes = set.trees.reduce((s, p) => s + p.length, 0);
      out.push({ name: set.name, nodes, worst, ours: median(ours), theirs: median(theirs), runs: set.runs, d3runs: set.d3runs });
    }
    return out;
  }, twitter15);

  console.log('| input | nodes | engine (WASM) median | d3-hierarchy median | speed-up | largest coordinate difference |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.nodes.toLocaleString('en-US')} | ${r.ours.toFixed(1)} ms (${r.runs} runs) | ${r.theirs.toFixed(1)} ms (${r.d3runs} runs) | ${(r.theirs / r.ours).toFixed(1)}× | ${r.worst} |`);
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
