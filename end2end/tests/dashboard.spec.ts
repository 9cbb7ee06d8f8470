// The dashboard's panels as a marketer uses them: filters and the URL, the
// reach panel, trends, the funnel's splits, two campaigns side by side,
// empty states and accessibility. Every figure is checked against the API.
import { expect, Page, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test, base, shot, apiJson, grouped, SIZES } from './helpers';

/** 3 standard errors of a 2^14-register HyperLogLog, relative. */
const SKETCH_TOLERANCE = 3 * 1.04 / 128;

async function flagship(request: APIRequestContext) {
  const campaigns = await apiJson(request, '/api/v1/campaigns');
  return campaigns.find((c: any) => c.name.startsWith('春季新品上市'));
}

const sum = (rows: any[], f: (r: any) => number) => rows.reduce((a, r) => a + f(r), 0);

async function value(page: Page, selector: string): Promise<number> {
  const v = await page.locator(selector).first().getAttribute('data-value');
  return Number(v);
}

test('channel and date filters narrow every KPI to the API rows, and the link keeps them', async ({ page, request }) => {
  const c = await flagship(request);
  const days = await apiJson(request, `/api/v1/campaigns/${c.id}/timeseries`);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base()}/campaigns/${c.id}?lang=en`);
  await expect(page.locator('[data-kpi="impressions"]')).toHaveAttribute('data-value', String(sum(days, (r) => r.impressions)));

  // Untick WeChat: every counter is the sum of the other channels' rows;
  // unique reach is the sketches' union, within 3 standard errors of the
  // exact figure (first exposures per channel add up exactly).
  await page.getByRole('checkbox', { name: 'WeChat', exact: true }).uncheck();
  await expect(page).toHaveURL(/[?&]ch=weibo%2Cdouyin%2Cxiaohongshu|[?&]ch=weibo,douyin,xiaohongshu/);
  const kept = days.filter((r: any) => r.channel !== 'wechat');
  for (const [id, f] of [
    ['impressions', (r: any) => r.impressions],
    ['engagements', (r: any) => r.engagements],
    ['reposts', (r: any) => r.reposts],
    ['new_fans', (r: any) => r.new_fans],
    ['conversions', (r: any) => r.conversions],
  ] as const) {
    await expect(page.locator(`[data-kpi="${id}"]`)).toHaveAttribute('data-value', String(sum(kept, f)));
  }
  const exact = sum(kept, (r) => r.new_reach);
  const estimate = await value(page, '[data-kpi="unique_reach"]');
  expect(Math.abs(estimate - exact) / exact).toBeLessThan(SKETCH_TOLERANCE);
  await expect(page.locator('[data-kpi="unique_reach"] .kpi-value')).toHaveText(/^≈/);
  await expect(page.locator('[data-kpi="unique_reach"] .kpi-interval')).toHaveText('±1.6%');
  // The budget is the whole campaign's: no cost cards for a part of it.
  await expect(page.locator('[data-kpi="cost_per_fan"]')).toHaveCount(0);
  await expect(page.getByText('shown for the whole campaign only')).toBeVisible();

  // A date range on top: the rows of those days only.
  await page.locator('input[name="from"]').fill('2026-03-05');
  await expect(page).toHaveURL(/from=2026-03-05/);
  await page.locator('input[name="to"]').fill('2026-03-11');
  await expect(page).toHaveURL(/to=2026-03-11/);
  const week = kept.filter((r: any) => r.date >= '2026-03-05' && r.date <= '2026-03-11');
  await expect(page.locator('[data-kpi="impressions"]')).toHaveAttribute('data-value', String(sum(week, (r) => r.impressions)));
  await expect(page.locator('[data-kpi="new_fans"]')).toHaveAttribute('data-value', String(sum(week, (r) => r.new_fans)));
  // The reach chart covers the 7 days and ends at the cards' figures.
  const totals = (await page.locator('canvas[data-chart="reach"]').getAttribute('data-series-totals'))!.split(',').map(Number);
  expect(totals[1]).toBe(sum(week, (r) => r.impressions));
  expect(Math.abs(totals[0] - (await value(page, '[data-kpi="unique_reach"]')))).toBeLessThanOrEqual(1);
  await page.waitForTimeout(300);
  await shot(page, 'overview-filtered-en-1366x768');

  // The link restores the same view; the reset button clears the filters.
  const url = page.url();
  await page.goto(url);
  await expect(page.locator('input[name="from"]')).toHaveValue('2026-03-05');
  await expect(page.getByRole('checkbox', { name: 'WeChat', exact: true })).not.toBeChecked();
  await expect(page.locator('[data-kpi="impressions"]')).toHaveAttribute('data-value', String(sum(week, (r) => r.impressions)));
  await page.getByRole('button', { name: 'Whole campaign' }).click();
  await expect(page).not.toHaveURL(/from=|to=|ch=/);
  await expect(page.locator('[data-kpi="impressions"]')).toHaveAttribute('data-value', String(sum(days, (r) => r.impressions)));
  await expect(page.locator('[data-kpi="cost_per_fan"]')).toHaveCount(1);
});

test('a link with parameters the page cannot read says which, and shows the rest', async ({ page, request }) => {
  const c = await flagship(request);
  await page.goto(`${base()}/campaigns/${c.id}?lang=en&ch=myspace,weibo&from=March`);
  await expect(page.locator('.ignored-params')).toContainText('ch=myspace');
  await expect(page.locator('.ignored-params')).toContainText('from=March');
  const days = await apiJson(request, `/api/v1/campaigns/${c.id}/timeseries`);
  const weibo = days.filter((r: any) => r.channel === 'weibo');
  await expect(page.locator('[data-kpi="impressions"]')).toHaveAttribute('data-value', String(sum(weibo, (r) => r.impressions)));
});

test('the reach panel: unique against potential reach, sources, the account matrix and account picks', async ({ page, request }) => {
  const c = await flagship(request);
  const summary = await apiJson(request, `/api/v1/campaigns/${c.id}/summary`);
  const accounts = await apiJson(request, `/api/v1/campaigns/${c.id}/accounts`);
  const k = summary.kpis;
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base()}/campaigns/${c.id}?lang=zh-CN`);
  const unique = page.locator('[data-figure="unique_reach"]');
  await expect(unique).toBeVisible();
  const u = Number(await unique.getAttribute('data-value'));
  expect(Math.abs(u - k.unique_reach) / k.unique_reach).toBeLessThan(SKETCH_TOLERANCE);
  expect(Number(await unique.getAttribute('data-low'))).toBeLessThan(u);
  await expect(page.locator('[data-figure="potential_reach"]')).toHaveAttribute('data-value', String(k.potential_reach));
  expect(k.potential_reach).toBeGreaterThan(k.unique_reach);
  const overlap = await value(page, '[data-figure="overlap"]');
  expect(Math.abs(overlap - (k.potential_reach - u))).toBeLessThan(1);
  const freq = await value(page, '[data-figure="frequency"]');
  expect(Math.abs(freq - k.impressions / u)).toBeLessThan(1e-6);

  // Owned / paid / earned: impressions and new fans are the account rows'
  // sums by source; together they are the campaign's.
  for (const source of ['owned', 'paid', 'earned']) {
    const rows = accounts.filter((r: any) => r.source === source);
    const row = page.locator(`tr[data-source="${source}"]`);
    await expect(row).toHaveAttribute('data-impressions', String(sum(rows, (r) => r.impressions)));
    await expect(row).toHaveAttribute('data-fans', String(sum(rows, (r) => r.new_fans)));
  }
  expect(sum(accounts, (r) => r.impressions)).toBe(k.impressions);
  await expect(page.locator('canvas[data-chart="sources"]')).toHaveAttribute('data-series-colors', '#1d4ed8,#f59e0b,#059669');

  // The matrix: the brand's official accounts, audiences overlapping.
  const owned = [...new Set(accounts.filter((r: any) => r.source === 'owned').map((r: any) => r.handle))];
  expect(owned.length).toBeGreaterThanOrEqual(2);
  await expect(page.locator('table.matrix tbody tr')).toHaveCount(owned.length);
  const union = await value(page, '[data-figure="matrix_union"]');
  const added = await value(page, '[data-figure="matrix_sum"]');
  expect(union).toBeLessThan(added);
  const shared = await page.locator('table.matrix td:not(.diag)').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-shared'))));
  expect(Math.max(...shared)).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  await shot(page, 'overview-reach-zh-CN-1366x768');

  // Count one official account only: potential reach and impressions are
  // that account's rows; the pick is in the URL.
  const first = accounts.find((r: any) => r.source === 'owned');
  const token = `${first.channel}:${first.account}`;
  // Untick one account: counted are all the others.
  const other = accounts.find((r: any) => r.source === 'paid');
  const otherToken = `${other.channel}:${other.account}`;
  await page.locator(`tr[data-account="${otherToken}"] input[type="checkbox"]`).uncheck();
  await expect(page).toHaveURL(/acct=/);
  const rest = accounts.filter((r: any) => !(r.account === other.account && r.channel === other.channel));
  await expect(page.locator('[data-figure="potential_reach"]')).toHaveAttribute('data-value', String(sum(rest, (r) => r.potential_reach)));
  // "Only" one official account.
  await page.locator(`tr[data-account="${token}"] button`).click();
  await expect(page.locator(`tr[data-account="${otherToken}"] input[type="checkbox"]`)).not.toBeChecked();
  await expect(page).toHaveURL(new RegExp(`acct=${encodeURIComponent(token)}|acct=${token}`));
  const mine = accounts.filter((r: any) => r.account === first.account && r.channel === first.channel);
  await expect(page.locator('[data-figure="potential_reach"]')).toHaveAttribute('data-value', String(sum(mine, (r) => r.potential_reach)));
  const own = await value(page, '[data-figure="unique_reach"]');
  const row = Number(await page.locator(`tr[data-account="${token}"]`).getAttribute('data-reach'));
  expect(own).toBe(row);
  await page.reload();
  await expect(page.locator(`tr[data-account="${token}"] input[type="checkbox"]`)).toBeChecked();
  await expect(page.locator('[data-figure="unique_reach"]')).toHaveAttribute('data-value', String(own));
  await page.getByRole('button', { name: '全部账号' }).click();
  await expect(page).not.toHaveURL(/acct=/);
});

test('the zombie switch removes the suspected part from reach, engagement and the funnel, and nothing else', async ({ page, request }) => {
  const c = await flagship(request);
  const summary = await apiJson(request, `/api/v1/campaigns/${c.id}/summary`);
  const k = summary.kpis;
  const s = summary.suspect;
  await page.goto(`${base()}/campaigns/${c.id}?lang=en&fakes=exclude`);
  // Cards: every counted figure minus the suspected part (exact).
  for (const id of ['impressions', 'unique_reach', 'engagements', 'reposts', 'new_fans', 'conversions']) {
    await expect(page.locator(`[data-kpi="${id}"]`)).toHaveAttribute('data-value', String(k[id] - s[id]));
  }
  await expect(page.locator('[data-kpi="revenue"]')).toHaveAttribute('data-value', String((k.revenue_cents - s.revenue_cents) / 100));
  // What suspected accounts did not do stays equal: on the demo they
  // converted no one and their paid burst is undisclosed (not flagged paid),
  // so conversions, revenue, cost per conversion and reposts are unchanged.
  expect([s.conversions, s.revenue_cents, s.reposts]).toEqual([0, 0, 0]);
  const whole = await apiJson(request, `/api/v1/campaigns/${c.id}/summary`);
  await expect(page.locator('[data-kpi="conversions"]')).toHaveAttribute('data-value', String(whole.kpis.conversions));
  await expect(page.locator('[data-kpi="reposts"]')).toHaveAttribute('data-value', String(whole.kpis.reposts));
  const perConversion = Math.round(summary.campaign.budget_cents / k.conversions) / 100;
  await expect(page.locator('[data-kpi="cost_per_conversion"]')).toHaveAttribute('data-value', String(perConversion));
  // Cost per fan rises: the same budget over fewer real fans.
  await expect(page.locator('[data-kpi="cost_per_fan"]')).toHaveAttribute('data-value', String(Math.round(summary.campaign.budget_cents / (k.new_fans - s.new_fans)) / 100));
  // Reach panel: the non-suspect sketches' union, near the exact figure.
  const u = await value(page, '[data-figure="unique_reach"]');
  const exact = k.unique_reach - s.unique_reach;
  expect(Math.abs(u - exact) / exact).toBeLessThan(0.05);
  await expect(page.locator('[data-figure="potential_reach"]')).toHaveAttribute('data-value', String(k.potential_reach - s.potential_reach));
  // Funnel: the non-suspect rows of the API, retention included.
  const rows = await apiJson(request, `/api/v1/campaigns/${c.id}/funnel`);
  const clean = rows.filter((r: any) => r.window_s === 7 * 86400 && !r.suspect);
  for (const [i, f] of [(r: any) => r.exposed, (r: any) => r.engaged, (r: any) => r.fans, (r: any) => r.converted].entries()) {
    await expect(page.locator(`.funnel-steps tr[data-step="${i}"]`)).toHaveAttribute('data-users', String(sum(clean, f)));
  }
  const kept7 = sum(clean, (r) => r.retained_7d);
  const fans = sum(clean, (r) => r.fans);
  await expect(page.locator('.funnel .retention')).toContainText(`${(100 * kept7 / fans).toFixed(1).replace(/\.0$/, '')}%`);
});

test('the funnel splits by post and by KOL, largest groups first, as the API counts them', async ({ page, request }) => {
  const c = await flagship(request);
  await page.goto(`${base()}/campaigns/${c.id}?lang=en`);
  const split = page.getByLabel('Split');
  await split.selectOption('kol');
  await expect(page).toHaveURL(/split=kol/);
  const rows = await apiJson(request, `/api/v1/campaigns/${c.id}/funnel?by=kol`);
  const groups = new Map<string, number>();
  for (const r of rows.filter((r: any) => r.window_s === 7 * 86400)) groups.set(r.key, (groups.get(r.key) ?? 0) + r.exposed);
  const top = [...groups.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20);
  const table = page.locator('table.funnel-channels[data-split="kol"]');
  await expect(table.locator('tbody tr')).toHaveCount(top.length);
  const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group')));
  expect(shown).toEqual(top.map((t) => t[0]));
  await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText(grouped(top[0][1]));
  // KOL handles from the demo, not post ids.
  expect(top.some(([key]) => !key.startsWith('p'))).toBeTruthy();
  await page.waitForTimeout(200);
  await shot(page, 'overview-funnel-kol-en-1366x768');

  await split.selectOption('post');
  await expect(page).toHaveURL(/split=post/);
  await expect(page.locator('table.funnel-channels[data-split="post"] tbody tr')).toHaveCount(20);
  // The same total whatever the split.
  const total = await page.locator('.funnel-steps tr[data-step="0"]').getAttribute('data-users');
  await split.selectOption('channel');
  await expect(page.locator('table.funnel-channels[data-split="channel"]')).toBeVisible();
  await expect(page.locator('.funnel-steps tr[data-step="0"]')).toHaveAttribute('data-users', total!);
});

test('trends by channel draw the chosen figure per channel over the filtered days', async ({ page, request }) => {
  const c = await flagship(request);
  const days = await apiJson(request, `/api/v1/campaigns/${c.id}/timeseries`);
  await page.goto(`${base()}/campaigns/${c.id}?lang=en&to=2026-03-10`);
  const chart = page.locator('canvas[data-chart="trends"]');
  await page.locator('select[name="trend"]').selectOption('new_fans');
  await expect(page).toHaveURL(/trend=new_fans/);
  await expect(chart).toHaveAttribute('aria-label', 'Trends by channel · New fans');
  // Each line ends on the last day shown, at that day's API rows.
  const expected = c.channels
    .map((ch: string) => sum(days.filter((r: any) => r.channel === ch && r.date === '2026-03-10'), (r) => r.new_fans))
    .join(',');
  await expect(chart).toHaveAttribute('data-series-totals', expected);
  await expect(chart).toHaveAttribute('data-series-colors', '#e69f00,#009e73,#1f2937,#e11d48');
});

test('two campaigns side by side, with and without suspects, chosen in the URL', async ({ page, request }) => {
  const campaigns = await apiJson(request, '/api/v1/campaigns');
  const [a, b] = [campaigns[0], campaigns[1]];
  const [sa, sb] = [
    await apiJson(request, `/api/v1/campaigns/${a.id}/summary`),
    await apiJson(request, `/api/v1/campaigns/${b.id}/summary`),
  ];
  await page.goto(`${base()}/campaigns/${a.id}?lang=zh-CN`);
  await page.getByRole('link', { name: '对比' }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?lang=zh-CN&a=${a.id}`));
  await expect(page.getByText('选择两个活动以对比核心指标。')).toBeVisible();
  await page.getByLabel('活动 B').selectOption(String(b.id));
  await expect(page).toHaveURL(new RegExp(`b=${b.id}`));
  for (const id of ['impressions', 'unique_reach', 'new_fans', 'conversions']) {
    const row = page.locator(`.compare-table tr[data-kpi="${id}"]`);
    await expect(row).toHaveAttribute('data-a', String(sa.kpis[id]));
    await expect(row).toHaveAttribute('data-b', String(sb.kpis[id]));
  }
  await page.waitForTimeout(200);
  await shot(page, 'compare-zh-CN-1366x768');
  await page.getByRole('checkbox', { name: '排除疑似虚假账号' }).check();
  await expect(page).toHaveURL(/fakes=exclude/);
  await page.reload();
  const fans = page.locator('.compare-table tr[data-kpi="new_fans"]');
  await expect(fans).toHaveAttribute('data-a', String(sa.kpis.new_fans - sa.suspect.new_fans));
  await expect(fans).toHaveAttribute('data-b', String(sb.kpis.new_fans - sb.suspect.new_fans));
});

test('a campaign without events shows what to do next in every panel', async ({ page, request }) => {
  const url = process.env.E2E_DATABASE_URL!;
  const out = execFileSync(process.env.SERVER_BIN!, ['api-key', 'create', '--workspace', 'demo', '--database-url', url]).toString().trim().split('\n');
  const key = out[out.length - 1].trim();
  const r = await request.post(`${base()}/api/v1/campaigns`, {
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    data: { brand: '茶语 TeaWhisper', name: '空白活动 Empty launch', start: '2026-05-01', end: '2026-05-31', channels: ['weibo', 'douyin'] },
  });
  expect(r.status()).toBe(201);
  const { id } = await r.json();
  for (const lang of ['en', 'zh-CN']) {
    await page.goto(`${base()}/campaigns/${id}?lang=${lang}`);
    await expect(page.locator('[data-kpi="impressions"]')).toHaveAttribute('data-value', '0');
    // Reach chart, trends, reach panel, funnel: each says what to do next.
    await expect(page.locator('.status.empty')).toHaveCount(4);
    await expect(page.locator('canvas[data-chart="sources"]')).toHaveCount(0);
    if (lang === 'en') {
      await expect(page.getByText('No one was reached in this selection.')).toBeVisible();
      await expect(page.getByText('nobody has entered the funnel')).toBeVisible();
    } else {
      await expect(page.getByText('当前筛选范围内没有触达任何人。', { exact: false })).toBeVisible();
    }
    await shot(page, `overview-empty-${lang}-1366x768`);
  }
});

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

for (const lang of ['en', 'zh-CN']) {
  test(`no serious accessibility findings on any page in ${lang}`, async ({ page, request }) => {
    const c = await flagship(request);
    for (const path of ['/', `/campaigns/${c.id}`, `/campaigns/${c.id}?split=kol&ch=weibo`, '/compare?a=1&b=2', '/nowhere', '/sign-in',
      `/campaigns/${c.id}/cascades`, `/campaigns/${c.id}/cascades/c1-k0-n0?exclude=flagged`, `/campaigns/${c.id}/listening?spike=1773489600`]) {
      await page.goto(`${base()}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      await page.waitForLoadState('networkidle');
      // Evaluated, not injected as an inline script: the page's CSP refuses those.
      await page.evaluate(AXE);
      const result: any = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
      const serious = result.violations
        .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
      expect(serious, `${path} in ${lang}`).toEqual([]);
    }
  });
}

test('every control works from the keyboard', async ({ page, request }) => {
  const c = await flagship(request);
  await page.goto(`${base()}/campaigns/${c.id}?lang=en`);
  await expect(page.locator('[data-figure="unique_reach"]')).toBeVisible();
  // Tab to the suspects switch and toggle it with the space bar.
  const box = page.getByRole('checkbox', { name: 'Exclude suspected fake accounts' });
  await box.focus();
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/fakes=exclude/);
  // The split select changes with the arrow keys.
  const split = page.getByLabel('Split');
  await split.focus();
  await split.selectOption('post');
  await expect(page).toHaveURL(/split=post/);
  // Every interactive element is reachable by Tab (none has a negative tabindex).
  const unreachable = await page.locator('a, button, input, select').evaluateAll((els) =>
    els.filter((e) => (e as HTMLElement).tabIndex < 0 && !(e as HTMLInputElement).disabled).length);
  expect(unreachable).toBe(0);
});

for (const size of SIZES) {
  for (const lang of ['en', 'zh-CN']) {
    test(`compare and filtered pages at ${size.name} in ${lang}`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${base()}/compare?lang=${lang}&a=1&b=2`);
      await expect(page.locator('.compare-table tbody tr').first()).toBeVisible();
      await shot(page, `compare-${lang}-${size.name}`);
      await page.goto(`${base()}/campaigns/1?lang=${lang}&ch=weibo,douyin&from=2026-03-03&to=2026-03-20&split=kol&trend=new_fans`);
      await expect(page.locator('[data-figure="unique_reach"]')).toBeVisible();
      await expect(page.locator('table.funnel-channels[data-split="kol"]')).toBeVisible();
      await page.waitForTimeout(400);
      await shot(page, `overview-filtered-${lang}-${size.name}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}
