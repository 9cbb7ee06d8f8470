// Word of mouth and listening as a marketer uses them: the cascade table,
// the explorer (zoom, hover, click, exclude a flagged subtree), a link that
// restores an explorer view, a Twitter15 tree imported with the CLI, and the
// listening page's spike and share of voice. Figures are checked against
// the API, the CLI and the demo's plants.
import { expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, base, shot, apiJson, grouped, SIZES } from './helpers';

const sizes = async (page: Page) =>
  page.locator('table.cascades tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-size'))));

test('the cascade table sorts, filters and pages as the API does, and the link keeps it', async ({ page, request }) => {
  await page.goto(`${base()}/campaigns/1/cascades?lang=en`);
  const api = await apiJson(request, '/api/v1/campaigns/1/cascades?per_page=50');
  await expect(page.locator('table.cascades')).toHaveAttribute('data-total', String(api.total));
  const shown = await sizes(page);
  expect(shown).toEqual(api.items.map((c: any) => c.size));
  expect(shown[0]).toBeGreaterThan(10_000);

  // Depth, descending then ascending.
  await page.locator('button[data-sort="depth"]').click();
  await expect(page).toHaveURL(/sort=depth/);
  const byDepth = await apiJson(request, '/api/v1/campaigns/1/cascades?sort=depth&per_page=50');
  await expect(page.locator('table.cascades tbody tr').first()).toHaveAttribute('data-root', byDepth.items[0].root_id);
  await page.locator('button[data-sort="depth"]').click();
  await expect(page).toHaveURL(/order=asc/);
  // The URL changes at once; the rows when the ascending page has arrived.
  const byDepthAsc = await apiJson(request, '/api/v1/campaigns/1/cascades?sort=depth&order=asc&per_page=50');
  await expect(page.locator('table.cascades tbody tr').first()).toHaveAttribute('data-root', byDepthAsc.items[0].root_id);
  const depths = await page.locator('table.cascades tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-depth'))));
  expect(depths).toEqual([...depths].sort((a, b) => a - b));
  await expect(page.locator('th[aria-sort="ascending"]')).toHaveCount(1);

  // Filters: channel and minimum size, as the API counts them.
  await page.locator('select[name="channel"]').selectOption('douyin');
  await page.locator('input[name="min"]').fill('10');
  await page.locator('input[name="min"]').press('Tab');
  await expect(page).toHaveURL(/channel=douyin/);
  await expect(page).toHaveURL(/min=10/);
  const filtered = await apiJson(request, '/api/v1/campaigns/1/cascades?sort=depth&order=asc&channel=douyin&min_size=10');
  await expect(page.locator('table.cascades')).toHaveAttribute('data-total', String(filtered.total));
  const url = page.url();
  await page.goto(url);
  await expect(page.locator('select[name="channel"]')).toHaveValue('douyin');
  await expect(page.locator('table.cascades tbody tr')).toHaveCount(filtered.items.length);

  // Paging, 10 a page: the second page is the API's 11th to 20th.
  await page.goto(`${base()}/campaigns/1/cascades?lang=en&sort=size&order=asc`);
  await page.locator('select[name="per"]').selectOption('10');
  await expect(page).toHaveURL(/per=10/);
  const all = await apiJson(request, '/api/v1/campaigns/1/cascades?sort=size&order=asc&per_page=500');
  expect(all.total).toBeGreaterThan(20);
  await expect(page.locator('.page-of')).toHaveAttribute('data-pages', String(Math.ceil(all.total / 10)));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  const second = await page.locator('table.cascades tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-root')));
  expect(second).toEqual(all.items.slice(10, 20).map((c: any) => c.root_id));
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(page).not.toHaveURL(/page=/);
  await shot(page, 'cascades-en-1366x768');
});

test('the explorer: the hero cascade, its burst flagged with reasons, excluded, and every figure recomputed', async ({ page, request }) => {
  const list = await apiJson(request, '/api/v1/campaigns/1/cascades?per_page=1');
  const hero = list.items[0];
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${base()}/campaigns/1/cascades?lang=zh-CN`);
  // The demo is months old: its cascades have finished, at their size.
  expect(hero.prediction.state).toBe('finished');
  const cell = page.locator('table.cascades tbody tr').first().locator('td.outlook');
  await expect(cell).toHaveAttribute('data-outlook', 'finished');
  await expect(cell).toContainText('已结束');
  await page.locator('table.cascades tbody tr').first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/1/cascades/${hero.root_id}`));
  const canvas = page.locator('canvas.tree-canvas');
  await expect(canvas).toHaveAttribute('data-nodes', String(hero.size));
  // The cards equal the cascade list's figures (the same engine, in WASM).
  await expect(page.locator('[data-metric="size"]')).toHaveAttribute('data-value', String(hero.size));
  await expect(page.locator('[data-metric="depth"]')).toHaveAttribute('data-value', String(hero.depth));
  const v = Number(await page.locator('[data-metric="virality"]').getAttribute('data-value'));
  expect(Math.abs(v - hero.structural_virality)).toBeLessThan(1e-9);
  const t50 = Number(await page.locator('[data-metric="t50"]').getAttribute('data-value'));
  expect(Math.abs(t50 - hero.t50_s)).toBeLessThan(1e-6);
  const predicted = Number(await page.locator('[data-metric="predicted"]').getAttribute('data-value'));
  expect(Math.abs(predicted - hero.prediction.estimate)).toBeLessThan(1e-6);
  const outlook = page.locator('.outlook-panel');
  await expect(outlook).toHaveAttribute('data-outlook', 'finished');
  // Replayed: what the model would have said six hours in, finite, beside
  // the size it reached.
  await outlook.locator('select[name="at"]').selectOption('6');
  await expect(page).toHaveURL(/at=6/);
  const replay = outlook.locator('.replay[data-at="6"]');
  await expect(replay).toContainText('实际最终规模');
  const [est, lo, hi] = await Promise.all(['data-estimate', 'data-low95', 'data-high95'].map(async (a) => Number(await replay.getAttribute(a))));
  expect(Number.isFinite(hi) && lo <= est && est <= hi).toBe(true);
  expect(['inside80', 'inside95', 'outside']).toContain(await replay.getAttribute('data-verdict'));
  await shot(page, 'explorer-replay-zh-CN-1440x900');
  // The paid burst: flagged in the browser, with its signals named.
  const flag = page.locator('.flags .flag');
  await expect(flag).toHaveCount(1);
  await expect(flag).toHaveAttribute('data-nodes', String(hero.flagged_reposts));
  await expect(flag).toContainText('条低质量转发');
  await expect(flag).toContainText('注册不足 30 天');
  // Three key spreaders with their share, named on the picture too.
  const spreaders = page.locator('.spreaders tbody tr');
  await expect(spreaders).toHaveCount(10);
  const top3 = await spreaders.evaluateAll((trs) => trs.slice(0, 3).map((tr) => [tr.getAttribute('data-handle'), Number(tr.getAttribute('data-share'))]));
  for (const [, share] of top3) expect(share as number).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  await shot(page, 'explorer-zh-CN-1440x900');

  // Without the flagged subtrees: every figure changes and the link says so.
  await page.getByRole('checkbox', { name: '排除可疑子树' }).check();
  await expect(page).toHaveURL(/exclude=flagged/);
  const excluded = Number(await page.locator('.excluded-note').getAttribute('data-excluded'));
  expect(excluded).toBeGreaterThanOrEqual(hero.flagged_reposts);
  await expect(page.locator('[data-metric="size"]')).toHaveAttribute('data-value', String(hero.size - excluded));
  await expect(canvas).toHaveAttribute('data-nodes', String(hero.size - excluded));
  const v2 = Number(await page.locator('[data-metric="virality"]').getAttribute('data-value'));
  expect(v2).not.toBe(v);
  await shot(page, 'explorer-excluded-zh-CN-1440x900');

  // Hover over the original: its details; click selects it (in the URL).
  const [rx, ry] = (await canvas.getAttribute('data-root'))!.split(',').map(Number);
  await canvas.hover({ position: { x: rx, y: ry } });
  const details = page.locator('.node-details');
  await expect(details).toHaveAttribute('data-node', hero.root_id);
  await expect(details.locator('[data-subtree]')).toHaveAttribute('data-subtree', String(hero.size - excluded));
  await canvas.click({ position: { x: rx, y: ry } });
  await expect(page).toHaveURL(new RegExp(`node=${hero.root_id}`));

  // Zoom with the wheel and the keyboard; the viewport goes in the URL.
  await canvas.hover({ position: { x: rx, y: ry + 40 } });
  await page.mouse.wheel(0, -300);
  await expect(page).toHaveURL(/z=1\.25/);
  await canvas.focus();
  await page.keyboard.press('+');
  await expect(page).toHaveURL(/z=1\.5625/);
  const zoomed = page.url();

  // The link restores the whole view: exclusion, selection, zoom, layout.
  await page.goto(`${base()}/?lang=en`);
  await page.goto(zoomed);
  await expect(page.getByRole('checkbox', { name: '排除可疑子树' })).toBeChecked();
  await expect(canvas).toHaveAttribute('data-zoom', '1.5625');
  await expect(page.locator('.node-details')).toHaveAttribute('data-node', hero.root_id);
  await page.locator('select[name="layout"]').selectOption('radial');
  await expect(page).toHaveURL(/layout=radial/);
  await expect(canvas).toHaveAttribute('data-zoom', '1');
  await page.waitForTimeout(300);
  await shot(page, 'explorer-radial-zh-CN-1440x900');
});

test('the explorer in English at both sizes', async ({ page }) => {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(`${base()}/campaigns/1/cascades/c1-k0-n0?lang=en`);
    await expect(page.locator('canvas.tree-canvas')).toHaveAttribute('data-nodes', /\d+/);
    await expect(page.getByRole('heading', { name: 'Key spreaders' })).toBeVisible();
    await page.waitForTimeout(400);
    await shot(page, `explorer-en-${size.name}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
});

test('a Twitter15 tree imported with the CLI shows the same metrics as `server cascade metrics`', async ({ page, request }) => {
  const bin = process.env.SERVER_BIN!;
  const db = process.env.E2E_DATABASE_URL!;
  const out = execFileSync(bin, ['api-key', 'create', '--workspace', 'demo', '--database-url', db]).toString().trim().split('\n');
  const key = out[out.length - 1].trim();
  const r = await request.post(`${base()}/api/v1/campaigns`, {
    headers: { Authorization: `Bearer ${key}` },
    data: { brand: '茶语 TeaWhisper', name: 'Twitter15 replay', start: '2026-06-01', end: '2026-06-30', channels: ['x'] },
  });
  expect(r.status()).toBe(201);
  const campaign = await r.json();
  // One real tree from the fixture archive (the largest of three, unpacked to a temp dir).
  const dir = mkdtempSync(join(tmpdir(), 'wom-t15-'));
  execFileSync('tar', ['xzf', join(__dirname, '..', '..', 'server', 'tests', 'fixtures', 'twitter15', 'tree.tar.gz'), '-C', dir]);
  const file = join(dir, 'tree', '552112474913136641.txt');
  execFileSync(bin, ['import', '--workspace', 'demo', '--campaign', String(campaign.id), '--format', 'twitter15', '--database-url', db, file]);
  const csv = execFileSync(bin, ['cascade', 'metrics', '--format', 'twitter15', file]).toString().trim().split('\n');
  const head = csv[0].split(',');
  const row = Object.fromEntries(csv[1].split(',').map((v, i) => [head[i], v]));

  await page.goto(`${base()}/campaigns/${campaign.id}/cascades?lang=en`);
  await page.locator('table.cascades tbody tr').first().getByRole('link').click();
  await expect(page.locator('[data-metric="size"]')).toHaveAttribute('data-value', row.n);
  await expect(page.locator('[data-metric="depth"]')).toHaveAttribute('data-value', row.depth);
  await expect(page.locator('[data-metric="max_breadth"]')).toHaveAttribute('data-value', row.max_breadth);
  const v = Number(await page.locator('[data-metric="virality"]').getAttribute('data-value'));
  expect(v.toPrecision(8)).toBe(Number(row.structural_virality).toPrecision(8));
  // Twitter15 counts minutes; the explorer, seconds after the original.
  const t50 = Number(await page.locator('[data-metric="t50"]').getAttribute('data-value'));
  expect(Math.abs(t50 / 60 - (Number(row.t50) - Number(row.t_min)))).toBeLessThan(0.01);
  await page.waitForTimeout(300);
  await shot(page, 'explorer-twitter15-en-1366x768');
});

test('listening: the planted spike is found, explained by its posts and authors, beside share of voice', async ({ page, request }) => {
  await page.goto(`${base()}/campaigns/1/listening?lang=zh-CN`);
  const rows = page.locator('.spikes-table tbody tr');
  await expect(rows).toHaveCount(1);
  // 2026-03-14 20:00 Beijing time, three hours.
  await expect(rows.first()).toHaveAttribute('data-start', '1773489600');
  await expect(rows.first().locator('th')).toHaveText('3月14日 20:00');
  await expect(page.locator('.rule')).toContainText('5 个离散度');
  await rows.first().getByRole('button').click();
  await expect(page).toHaveURL(/spike=1773489600/);
  const drivers = await apiJson(request, '/api/v1/brands/1/mentions/drivers?from=1773489600&to=1773500400&limit=10');
  await expect(page.locator('.drivers')).toHaveAttribute('data-start', '1773489600');
  await expect(page.locator('.mention-posts li')).toHaveCount(drivers.top_posts.length);
  await expect(page.locator('.mention-posts li').first()).toContainText('求官方回应');
  await expect(rows.first()).toHaveAttribute('data-mentions', String(drivers.mentions));
  // Share of voice: the brand against its tracked competitor, adding to 100%.
  const sov = await page.locator('.sov tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-share'))));
  expect(sov.length).toBeGreaterThanOrEqual(2);
  expect(Math.abs(sov.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
  await expect(page.locator('.sov .tag')).toHaveCount(sov.length - 1);
  await page.waitForTimeout(300);
  await shot(page, 'listening-zh-CN-1366x768');
  // The link keeps the chosen spike; the English page says the same.
  await page.goto(page.url().replace('lang=zh-CN', 'lang=en'));
  await expect(page.locator('.drivers h3')).toContainText('What drove it · Mar 14 20:00 – Mar 14 23:00');
  await shot(page, 'listening-en-1366x768');
});

test('the overview links to word of mouth and listening, and back, in both languages', async ({ page }) => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN']) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${base()}/campaigns/1?lang=${lang}`);
      await page.getByRole('link', { name: lang === 'en' ? 'Word of mouth' : '口碑传播', exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/campaigns/1/cascades\\?lang=${lang}`));
      await expect(page.locator('table.cascades tbody tr').first()).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await shot(page, `cascades-${lang}-${size.name}`);
      await page.goto(`${base()}/campaigns/1/listening?lang=${lang}&spike=1773489600`);
      await expect(page.locator('.drivers')).toBeVisible();
      await page.waitForTimeout(300);
      await shot(page, `listening-${lang}-${size.name}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByRole('link', { name: lang === 'en' ? '← Key figures' : '← 核心指标' }).click();
      await expect(page).toHaveURL(new RegExp(`/campaigns/1\\?lang=${lang}$`));
      await expect(page.locator('[data-kpi="impressions"]')).toBeVisible();
    }
  }
});
