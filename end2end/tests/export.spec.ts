// Charts leave the app as files a client can be sent: PNG at twice the
// screen's pixels and SVG, drawn by the same code as the page, with the
// campaign, the dates and the filters printed above the chart, Chinese
// included, under a file name that says campaign, chart and dates.
import { expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, base, SHOTS, apiJson, grouped } from './helpers';

async function download(page: Page, chart: string, format: 'png' | 'svg') {
  const figure = page.locator('figure.chart').filter({ has: page.locator(`canvas[data-chart="${chart}"]`) });
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    figure.locator(`button[data-download="${format}"]`).click(),
  ]);
  const path = join(SHOTS, `export-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path), path };
}

test('the reach chart downloads as PNG at 2x and as SVG, captioned with campaign, dates and filters', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`${base()}/campaigns/1?lang=zh-CN&ch=weibo,douyin&fakes=exclude`);
  const canvas = page.locator('canvas[data-chart="reach"]');
  await expect(canvas).toBeVisible();
  const css = await canvas.evaluate((c: HTMLCanvasElement) => [c.clientWidth, c.clientHeight]);

  const png = await download(page, 'reach', 'png');
  expect(png.name).toBe('春季新品上市-Spring-Tea-Launch-茶语-TeaWhisper-reach-2026-03-01_2026-03-28.png');
  // A real PNG, twice the chart's CSS width (device pixel ratio 1 here).
  expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
  const width = png.bytes.readUInt32BE(16);
  const height = png.bytes.readUInt32BE(20);
  expect(width).toBe(css[0] * 2);
  expect(height).toBeGreaterThan(css[1] * 2);

  const svg = await download(page, 'reach', 'svg');
  expect(svg.name).toBe('春季新品上市-Spring-Tea-Launch-茶语-TeaWhisper-reach-2026-03-01_2026-03-28.svg');
  const text = svg.bytes.toString('utf8');
  expect(text.startsWith('<svg')).toBe(true);
  for (const words of ['春季新品上市 Spring Tea Launch · 茶语 TeaWhisper', '2026年3月1日', '微博, 抖音', '已排除疑似虚假账号', '触达趋势'])
    expect(text, words).toContain(words);
  expect(text).not.toContain('<script');

  // What a person sees: the PNG opened as an image (saved beside the screenshots).
  const shown = await page.context().newPage();
  await shown.setContent(`<img src="data:image/png;base64,${png.bytes.toString('base64')}" style="width:${css[0]}px">`);
  await expect(shown.locator('img')).toBeVisible();
  await shown.screenshot({ path: join(SHOTS, 'export-reach-png-zh-CN.png'), fullPage: true });
  await shown.setContent(`<img src="data:image/svg+xml;base64,${svg.bytes.toString('base64')}">`);
  await shown.screenshot({ path: join(SHOTS, 'export-reach-svg-zh-CN.png'), fullPage: true });
  await shown.close();
});

test('every chart of the overview downloads, in English too', async ({ page }) => {
  await page.goto(`${base()}/campaigns/1?lang=en`);
  for (const chart of ['reach', 'trends', 'sources']) {
    await expect(page.locator(`canvas[data-chart="${chart}"]`)).toBeVisible();
    const svg = await download(page, chart, 'svg');
    expect(svg.name).toMatch(new RegExp(`-${chart}-2026-03-01_2026-03-28\\.svg$`));
    expect(svg.bytes.toString('utf8')).toContain('Mar 1, 2026');
  }
});

/** Clicks the CSV button of table `name` and returns the file's name and text. */
async function csv(page: Page, name: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`button[data-download="csv"][data-table="${name}"]`).click(),
  ]);
  const path = join(SHOTS, `export-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** RFC 4180 rows of a CSV text (quoted cells may hold commas, quotes and newlines). */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  return rows;
}

/** No cell a spreadsheet would run as a formula (plain numbers aside). */
function safe(rows: string[][]) {
  for (const r of rows) for (const c of r) expect(/^[=+\-@\t\r]/.test(c) && !/^-\d+(\.\d+)?$/.test(c), c).toBe(false);
}

test('tables download as CSV a spreadsheet opens safely, with the numbers the API gives', async ({ page, request }) => {
  // The accounts' own figures, added up from the API's rows.
  const rows = await apiJson(request, '/api/v1/campaigns/1/accounts');
  const owned = { impressions: 0 };
  for (const r of rows) if (r.handle === '茶语TeaWhisper' && r.channel === 'douyin') owned.impressions += r.impressions;
  await page.goto(`${base()}/campaigns/1?lang=zh-CN`);
  await expect(page.locator('[data-kpi="impressions"]')).toBeVisible();
  await expect(page.locator('table.accounts tbody tr').first()).toBeVisible();
  const file = await csv(page, 'accounts');
  expect(file.name).toBe('春季新品上市-Spring-Tea-Launch-茶语-TeaWhisper-accounts-2026-03-01_2026-03-28.csv');
  expect(file.text.startsWith('\ufeff')).toBe(true);
  const accounts = parse(file.text.slice(1));
  expect(accounts[0]).toEqual(['账号', '渠道', '来源', '曝光量', '独立触达', '新增粉丝', '潜在触达']);
  const own = accounts.find((r) => r[0] === '茶语TeaWhisper' && r[1] === '抖音')!;
  expect(own[3]).toBe(String(owned.impressions));
  expect(accounts.length - 1).toBe(await page.locator('table.accounts tbody tr').count());
  safe(accounts);
  // The KPI cards: each figure's raw value beside what the card shows.
  const summary = await apiJson(request, '/api/v1/campaigns/1/summary');
  const kpis = parse((await csv(page, 'key-figures')).text.slice(1));
  expect(kpis[0]).toEqual(['指标', '数值', '显示值', '95% 区间']);
  const impressions = kpis.find((r) => r[0] === '曝光量')!;
  expect(impressions[1]).toBe(String(summary.kpis.impressions));
  expect(impressions[2]).toBe(grouped(summary.kpis.impressions));
  expect(kpis.length - 1).toBe(await page.locator('[data-kpi]').count());
  safe(kpis);
  await expect(page.locator('table.funnel-steps')).toBeVisible();
  const funnel = parse((await csv(page, 'funnel')).text.slice(1));
  expect(funnel).toHaveLength(5);
  safe(funnel);

  const list = await apiJson(request, '/api/v1/campaigns/1/cascades?per_page=50');
  await page.goto(`${base()}/campaigns/1/cascades?lang=zh-CN`);
  await expect(page.locator('table.cascades tbody tr').first()).toBeVisible();
  const cascades = parse((await csv(page, 'cascades')).text.slice(1));
  expect(cascades.length - 1).toBe(list.items.length);
  const root = cascades[0].indexOf('root_id');
  expect(cascades[1][root]).toBe(list.items[0].root_id);
  expect(cascades[1][3]).toBe(String(list.items[0].size));
  safe(cascades);

  await page.goto(`${base()}/campaigns/1/listening?lang=zh-CN&spike=1773489600`);
  await expect(page.locator('.drivers')).toBeVisible();
  const drivers = parse((await csv(page, 'spike-drivers')).text.slice(1));
  expect(drivers.some((r) => r[5].includes('求官方回应'))).toBe(true);
  safe(drivers);
});

test('listening and the explorer curves download too, each saying what it shows', async ({ page, request }) => {
  await page.goto(`${base()}/campaigns/1/listening?lang=en`);
  await expect(page.locator('canvas[data-chart="mentions"]')).toBeVisible();
  const mentions = await download(page, 'mentions', 'svg');
  expect(mentions.name).toBe('春季新品上市-Spring-Tea-Launch-茶语-TeaWhisper-mentions-2026-03-01_2026-03-28.svg');
  const hero = (await apiJson(request, '/api/v1/campaigns/1/cascades?per_page=1')).items[0];
  await page.goto(`${base()}/campaigns/1/cascades/${hero.root_id}?lang=zh-CN&exclude=flagged`);
  await expect(page.locator('canvas[data-chart="growth"]')).toBeVisible();
  const growth = await download(page, 'growth', 'png');
  expect(growth.name).toBe(`传播链浏览-${hero.author}-growth-${hero.root_id}.png`);
  expect(growth.bytes.subarray(1, 4).toString()).toBe('PNG');
  const svg = (await download(page, 'growth', 'svg')).bytes.toString('utf8');
  expect(svg).toContain(`传播链浏览 · @${hero.author}`);
  expect(svg).toContain('排除可疑子树');
});
