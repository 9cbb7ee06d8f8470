// The marketer's journey: the campaign list, then a campaign's overview, in
// both languages and at both screen sizes; every KPI on screen equals the API.
import { expect } from '@playwright/test';
import { test, base, shot, apiJson, grouped, SIZES } from './helpers';

const money = (cents: number) => `¥${grouped(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;

test('list → overview: the KPI cards show the API figures', async ({ page, request }) => {
  const campaigns = await apiJson(request, '/api/v1/campaigns');
  const flagship = campaigns.find((c: any) => c.name.startsWith('春季新品上市'));
  expect(flagship).toBeTruthy();

  await page.goto(base() + '/?lang=en');
  await expect(page.getByRole('heading', { name: '星火数字营销 Spark Digital Agency' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '茶语 TeaWhisper' })).toBeVisible();
  for (const c of campaigns) await expect(page.getByRole('link', { name: c.name })).toBeVisible();

  await page.getByRole('link', { name: flagship.name }).click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${flagship.id}\\?lang=en$`));
  await expect(page.getByRole('heading', { level: 1, name: flagship.name })).toBeVisible();

  const summary = await apiJson(request, `/api/v1/campaigns/${flagship.id}/summary`);
  const k = summary.kpis;
  const counts: Record<string, number> = {
    impressions: k.impressions,
    unique_reach: k.unique_reach,
    engagements: k.engagements,
    reposts: k.reposts,
    new_fans: k.new_fans,
    conversions: k.conversions,
  };
  for (const [id, n] of Object.entries(counts)) {
    const card = page.locator(`[data-kpi="${id}"]`);
    await expect(card).toHaveAttribute('data-value', String(n));
    await expect(card.locator('.kpi-value')).toHaveText(grouped(n));
  }
  await expect(page.locator('[data-kpi="revenue"] .kpi-value')).toHaveText(money(k.revenue_cents));
  const budget = summary.campaign.budget_cents;
  await expect(page.locator('[data-kpi="cost_per_fan"] .kpi-value')).toHaveText(money(Math.round(budget / k.new_fans)));
  await expect(page.locator('[data-kpi="roi"] .kpi-value')).toContainText('%');
});

for (const size of SIZES) {
  for (const lang of ['en', 'zh-CN']) {
    test(`screens at ${size.name} in ${lang}`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${base()}/?lang=${lang}`);
      await expect(page.locator('.campaign-card').first()).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await shot(page, `campaigns-${lang}-${size.name}`);
      await page.locator('.campaign-card a').first().click();
      await expect(page.locator('canvas[data-chart="reach"]')).toBeVisible();
      await page.waitForTimeout(300);
      await shot(page, `overview-${lang}-${size.name}`);
      // Nothing spills out sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}

test('the language switch changes every label, not the numbers, and keeps the page', async ({ page }) => {
  await page.goto(base() + '/campaigns/1?lang=en');
  const impressions = page.locator('[data-kpi="impressions"]');
  await expect(impressions.locator('.kpi-label')).toHaveText('Impressions');
  const value = await impressions.locator('.kpi-value').textContent();
  await page.getByRole('link', { name: '中文' }).click();
  await expect(page).toHaveURL(/\/campaigns\/1\?lang=zh-CN$/);
  await expect(impressions.locator('.kpi-label')).toHaveText('曝光量');
  await expect(impressions.locator('.kpi-value')).toHaveText(value!);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('link', { name: '← 全部活动' })).toBeVisible();
  await page.getByRole('link', { name: 'English' }).click();
  await expect(impressions.locator('.kpi-label')).toHaveText('Impressions');
});

test('the suspected-fakes switch removes exactly their part, and a link keeps it', async ({ page, request }) => {
  const campaigns = await apiJson(request, '/api/v1/campaigns');
  const flagship = campaigns.find((c: any) => c.name.startsWith('春季新品上市'));
  const summary = await apiJson(request, `/api/v1/campaigns/${flagship.id}/summary`);
  const k = summary.kpis;
  const s = summary.suspect;
  expect(s.new_fans).toBeGreaterThan(0);
  const ids = ['impressions', 'unique_reach', 'engagements', 'reposts', 'new_fans', 'conversions'];
  const expectValues = async (without: boolean) => {
    for (const id of ids) {
      const n = without ? k[id] - s[id] : k[id];
      await expect(page.locator(`[data-kpi="${id}"]`)).toHaveAttribute('data-value', String(n));
    }
    // The reach chart follows the switch: its running totals end at the cards' values.
    const reach = without ? k.unique_reach - s.unique_reach : k.unique_reach;
    const impressions = without ? k.impressions - s.impressions : k.impressions;
    await expect(page.locator('canvas[data-chart="reach"]')).toHaveAttribute('data-series-totals', `${reach},${impressions}`);
    const fans = without ? k.new_fans - s.new_fans : k.new_fans;
    await expect(page.locator('[data-kpi="cost_per_fan"] .kpi-value'))
      .toHaveText(money(Math.round(summary.campaign.budget_cents / fans)));
  };

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base()}/campaigns/${flagship.id}?lang=zh-CN`);
  const box = page.getByRole('checkbox', { name: '排除疑似虚假账号' });
  await expect(box).not.toBeChecked();
  const share = (100 * s.new_fans / k.new_fans).toFixed(1).replace(/\.0$/, '');
  await expect(page.locator('.suspect-share')).toHaveText(`${share}% 的新增粉丝疑似僵尸粉`);
  await expectValues(false);

  await box.check();
  await expect(page).toHaveURL(/[?&]fakes=exclude/);
  await expectValues(true);
  await page.waitForTimeout(200);
  await shot(page, 'overview-without-fakes-zh-CN-1366x768');

  // The link restores the view, and the language switch keeps it.
  await page.reload();
  await expect(box).toBeChecked();
  await expectValues(true);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/lang=en/);
  await expect(page).toHaveURL(/fakes=exclude/);
  const enBox = page.getByRole('checkbox', { name: 'Exclude suspected fake accounts' });
  await expect(enBox).toBeChecked();
  await expectValues(true);
  await enBox.uncheck();
  await expect(page).not.toHaveURL(/fakes=/);
  await expectValues(false);
});

test('the funnel shows the API totals for the window in the URL, with or without suspects', async ({ page, request }) => {
  const campaigns = await apiJson(request, '/api/v1/campaigns');
  const flagship = campaigns.find((c: any) => c.name.startsWith('春季新品上市'));
  const rows = await apiJson(request, `/api/v1/campaigns/${flagship.id}/funnel`);
  const sum = (w: number, exclude: boolean) =>
    rows
      .filter((r: any) => r.window_s === w && !(exclude && r.suspect))
      .reduce((a: number[], r: any) => [a[0] + r.exposed, a[1] + r.engaged, a[2] + r.fans, a[3] + r.converted], [0, 0, 0, 0]);
  const expectSteps = async (w: number, exclude: boolean) => {
    const s = sum(w, exclude);
    expect(s[0]).toBeGreaterThan(s[1]);
    for (let i = 0; i < 4; i++) {
      await expect(page.locator(`.funnel-steps tr[data-step="${i}"]`)).toHaveAttribute('data-users', String(s[i]));
    }
  };

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base()}/campaigns/${flagship.id}?lang=en`);
  await expectSteps(7 * 86400, false);
  await expect(page.locator('.funnel-channels tbody tr')).toHaveCount(flagship.channels.length);
  const window = page.getByLabel('Conversion window');
  await window.selectOption('1d');
  await expect(page).toHaveURL(/[?&]window=1d/);
  await expectSteps(86400, false);
  await page.getByRole('checkbox', { name: 'Exclude suspected fake accounts' }).check();
  await expectSteps(86400, true);
  await page.reload();
  await expect(window).toHaveValue('1d');
  await expectSteps(86400, true);

  await page.goto(`${base()}/campaigns/${flagship.id}?lang=zh-CN&window=7d`);
  await expect(page.getByRole('heading', { name: '粉丝转化' })).toBeVisible();
  await expect(page.getByLabel('转化窗口')).toHaveValue('7d');
  await expectSteps(7 * 86400, false);
  await page.waitForTimeout(200);
  await shot(page, 'overview-funnel-zh-CN-1366x768');
});
