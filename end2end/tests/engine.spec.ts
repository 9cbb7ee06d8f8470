// The engine never freezes the page: a 10^6-node tree is computed in a Web
// Worker running the same WASM, with progress reported per phase, and gives
// the same result as the in-page computation; small trees stay in the page.
import { expect } from '@playwright/test';
import { test, base } from './helpers';

test('big trees are computed in a worker with progress, small ones in place', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  // The engine's entry points are in the main module; their code is the
  // `engine` chunk, fetched on the first call.
  await page.goto(base() + '/campaigns/1/cascades?lang=en');
  await page.waitForFunction(() => (window as any).wasmBindings?.engine_layout);

  const small = await page.evaluate(async () => {
    const phases: string[] = [];
    const p = Int32Array.from({ length: 1000 }, (_, i) => i - 1);
    const r = await (window as any).wasmBindings.engine_layout(p, (m: any) => phases.push(m.phase));
    return { n: r.n, depth: r.depth, phases };
  });
  expect(small).toEqual({ n: 1000, depth: 999, phases: ['tree', 'metrics', 'layout'] });
  expect(workers).toHaveLength(0);

  const big = await page.evaluate(async () => {
    const engine = (window as any).wasmBindings;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 1_000_000;
    const make = () => {
      const p = new Int32Array(n);
      p[0] = -1;
      for (let i = 1; i < n; i++) p[i] = i > 10 && rand() < 0.8 ? Math.floor(rand() * 10) : Math.floor(rand() * i);
      return p;
    };
    const input = make();
    const copy = input.slice(); // the worker takes ownership of `input`
    // In the page: how long the main thread would be blocked (the chunk is
    // already loaded: the call runs synchronously until it resolves).
    const t0 = performance.now();
    const inPage = await engine.engine_tree_layout(copy);
    const blocked = performance.now() - t0;
    // In the worker: the main thread keeps ticking meanwhile.
    const phases: string[] = [];
    let last = performance.now();
    let worstGap = 0;
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      if (ticking) setTimeout(tick, 5);
    };
    setTimeout(tick, 5);
    const r = await engine.engine_layout(input, (m: any) => phases.push(`${m.phase} ${m.done}/${m.total}`));
    ticking = false;
    let same = r.n === inPage.n && r.depth === inPage.depth && r.subtree_sum === inPage.subtree_sum;
    for (let i = 0; i < n; i += 997) same = same && r.x[i] === inPage.x[i] && r.y[i] === inPage.y[i];
    return { n: r.n, phases, same, blocked, worstGap };
  });
  console.log(`10^6 nodes: in-page ${big.blocked.toFixed(0)} ms blocked; worker run, longest main-thread gap ${big.worstGap.toFixed(0)} ms`);
  expect(big.n).toBe(1_000_000);
  expect(big.phases).toEqual(['tree 1/3', 'metrics 2/3', 'layout 3/3']);
  expect(big.same).toBe(true);
  expect(workers.some((u) => u.endsWith('/engine_worker_loader.js'))).toBe(true);
  // The page stayed responsive: no gap near the time the work itself takes.
  expect(big.worstGap).toBeLessThan(Math.max(100, big.blocked / 2));
});
