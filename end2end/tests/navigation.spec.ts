// One single-page app, loaded in pieces: a marketer walks every page by its
// links without a page load (the window object survives), each move fetches
// only the chunks of the page it opens, and a chunk that is gone (a tab left
// open across an upgrade) shows an error with a Reload button, not a blank page.
import { expect, Page } from '@playwright/test';
import { test, base, shot, apiJson } from './helpers';

type Manifest = { pages: { route: string; html: string; chunks: string[]; later: string[] }[] };

/** The .wasm files the page fetches from now on. */
function wasmFetches(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) seen.push(path);
  });
  return seen;
}

test('every page is reached by its links with no page load, fetching only its own chunks', async ({ page, request }) => {
  const manifest: Manifest = await apiJson(request, '/pages.json');
  const pageOf = (route: string) => manifest.pages.find((p) => p.route === route)!;
  const hero = (await apiJson(request, '/api/v1/campaigns/1/cascades?per_page=1')).items[0];
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(`${base()}/?lang=en`);
  await expect(page.getByRole('link', { name: /Spring Tea Launch/ })).toBeVisible();
  await page.evaluate(() => ((window as any).__sameWindow = true));
  const fetched = wasmFetches(page);
  const loaded = new Set<string>();

  // Moves by a link; checks the window survived and only `route`'s chunks
  // (those it draws first, then those of its later parts) not yet loaded
  // were fetched.
  const move = async (click: () => Promise<void>, route: string, ready: () => Promise<void>, name: string) => {
    fetched.length = 0;
    await click();
    await ready();
    expect(await page.evaluate(() => (window as any).__sameWindow), `${route}: no page load`).toBe(true);
    const { chunks, later } = pageOf(route);
    for (const c of chunks) if (!loaded.has(c)) expect(fetched, `${route} needs ${c}`).toContain(c);
    const laterMissing = () => later.filter((c) => !loaded.has(c) && !fetched.includes(c));
    await expect.poll(laterMissing, { message: `${route} fetches its later parts` }).toEqual([]);
    for (const f of fetched) expect([...chunks, ...later], `${route} fetched ${f}`).toContain(f);
    [...chunks, ...later].forEach((c) => loaded.add(c));
    await shot(page, `spa-${name}`);
  };

  await move(() => page.getByRole('link', { name: /Spring Tea Launch/ }).click(), '/campaigns/:id', async () => {
    await expect(page).toHaveURL(/\/campaigns\/1\?lang=en$/);
    await expect(page.locator('canvas[data-chart="reach"]')).toBeVisible();
  }, 'overview');
  await move(() => page.getByRole('link', { name: 'Word of mouth', exact: true }).click(), '/campaigns/:id/cascades', async () => {
    await expect(page.locator('table.cascades tbody tr').first()).toBeVisible();
  }, 'cascades');
  await move(() => page.locator('table.cascades tbody tr').first().getByRole('link').click(), '/campaigns/:id/cascades/:root', async () => {
    await expect(page.locator('canvas.tree-canvas')).toHaveAttribute('data-nodes', String(hero.size));
  }, 'explorer');
  await move(() => page.getByRole('link', { name: /← Cascades|← Word of mouth/ }).first().click(), '/campaigns/:id/cascades', async () => {
    await expect(page.locator('table.cascades tbody tr').first()).toBeVisible();
  }, 'cascades-again');
  await move(() => page.getByRole('link', { name: '← Key figures' }).click(), '/campaigns/:id', async () => {
    await expect(page.locator('[data-kpi="impressions"]')).toBeVisible();
  }, 'overview-again');
  await move(() => page.getByRole('link', { name: 'Listening', exact: true }).click(), '/campaigns/:id/listening', async () => {
    await expect(page.locator('section.spikes')).toBeVisible();
  }, 'listening');
  await move(() => page.getByRole('link', { name: '← Key figures' }).click(), '/campaigns/:id', async () => {
    await expect(page.locator('[data-kpi="impressions"]')).toBeVisible();
  }, 'overview-third');
  await move(() => page.getByRole('link', { name: 'Compare', exact: true }).click(), '/compare', async () => {
    await expect(page).toHaveURL(/\/compare\?/);
    await page.getByLabel('Campaign B').selectOption({ index: 2 });
    await expect(page.locator('.compare-table tbody tr').first()).toBeVisible();
  }, 'compare');
  await move(() => page.locator('header a.brand').click(), '/', async () => {
    await expect(page.getByRole('link', { name: /Spring Tea Launch/ })).toBeVisible();
  }, 'list-again');
  // Pages already visited are not fetched again.
  fetched.length = 0;
  await page.goBack();
  await expect(page).toHaveURL(/\/compare\?.*b=/);
  await expect(page.locator('.compare-table tbody tr').first()).toBeVisible();
  expect(fetched).toEqual([]);
  expect(loads, 'only the first page load').toBe(1);
});

test('a page whose chunk is gone after an upgrade says so and reloads, in both languages', async ({ page }) => {
  for (const [lang, title, reload] of [
    ['en', 'This page could not be loaded', 'Reload'],
    ['zh-CN', '此页面无法加载', '重新加载'],
  ]) {
    // The tab opened before the upgrade; the new release has other chunks.
    await page.route(/\/split_listening-[0-9a-f]+\.wasm$/, (r) => r.fulfill({ status: 404, body: 'no file' }));
    await page.goto(`${base()}/campaigns/1?lang=${lang}`);
    await expect(page.locator('[data-kpi="impressions"]')).toBeVisible();
    await page.getByRole('link', { name: lang === 'en' ? 'Listening' : '舆情监测', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(title);
    await expect(page.locator('header a.brand')).toBeVisible();
    await shot(page, `chunk-missing-${lang}`);
    // Reloading loads the release the server has now, at the same address.
    await page.unroute(/\/split_listening-[0-9a-f]+\.wasm$/);
    await alert.getByRole('button', { name: reload }).click();
    await expect(page).toHaveURL(new RegExp(`/campaigns/1/listening\\?lang=${lang}`));
    await expect(page.locator('section.spikes')).toBeVisible();
  }
});

test('a page asks the API for what it reads first while its code is on its way, and only once', async ({ page }) => {
  const reads = ['summary', 'timeseries', 'sketches', 'accounts'].map((r) => `/api/v1/campaigns/1/${r}`);
  const sent: string[] = [];
  page.on('request', (r) => sent.push(new URL(r.url()).pathname));
  const chunk = (p: string) => /^\/split_overview-[0-9a-f]+\.wasm$/.test(p);

  // Moving from the list: the router starts the reads before it asks for
  // the overview's chunk, and the page takes their answers.
  await page.goto(`${base()}/?lang=en`);
  await expect(page.getByRole('link', { name: /Spring Tea Launch/ })).toBeVisible();
  sent.length = 0;
  await page.getByRole('link', { name: /Spring Tea Launch/ }).click();
  await expect(page.locator('canvas[data-chart="reach"]')).toBeVisible();
  await expect(page.locator('[data-source="owned"]').first()).toBeVisible();
  const at = sent.findIndex(chunk);
  expect(at, `the overview's chunk was fetched: ${sent}`).toBeGreaterThanOrEqual(0);
  for (const r of reads) {
    expect(sent.filter((p) => p === r), `${r} once`).toHaveLength(1);
    expect(sent.indexOf(r), `${r} before the chunk: ${sent}`).toBeLessThan(at);
  }

  // A first load of the page itself (its chunk preloaded by the HTML)
  // reads each once too.
  sent.length = 0;
  await page.goto(`${base()}/campaigns/1?lang=zh-CN`);
  await expect(page.locator('canvas[data-chart="reach"]')).toBeVisible();
  await expect(page.locator('[data-source="owned"]').first()).toBeVisible();
  for (const r of reads) expect(sent.filter((p) => p === r), `${r} once on a first load`).toHaveLength(1);
});
