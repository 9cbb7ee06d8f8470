// What a person sees when things go wrong: the API down or failing, an
// unknown campaign, an unknown page. Never a blank page.
import { expect } from '@playwright/test';
import { test, base, shot } from './helpers';

test('with the API unreachable the list says so, and Retry recovers', async ({ page }) => {
  await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
  await page.goto(base() + '/?lang=en');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: 'Cannot reach the analytics API' })).toBeVisible();
  await expect(alert).toContainText('Check that the server is running');
  await shot(page, 'error-api-down-en');
  await page.unroute('**/api/v1/**');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('.campaign-card').first()).toBeVisible();
});

test('an API error is shown with its message, in Chinese too', async ({ page }) => {
  await page.route('**/api/v1/campaigns/1/summary', (route) =>
    route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'storage_error', message: 'the database failed to answer' } }),
    }),
  );
  await page.goto(base() + '/campaigns/1?lang=zh-CN');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: '分析服务接口返回错误' })).toBeVisible();
  await expect(alert).toContainText('HTTP 500: the database failed to answer');
  await expect(alert.getByRole('button', { name: '重试' })).toBeVisible();
  await shot(page, 'error-api-500-zh-CN');
});

test('an unknown campaign says it does not exist', async ({ page }) => {
  await page.goto(base() + '/campaigns/999999?lang=en');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(alert).toContainText('no campaign has id 999999');
  await page.goto(base() + '/campaigns/abc?lang=en');
  await expect(page.getByRole('alert')).toContainText('is not a campaign id');
});

test('an unknown page says so', async ({ page }) => {
  await page.goto(base() + '/no/such/page?lang=en');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('the favicon loads', async ({ page, request }) => {
  await page.goto(base() + '/');
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const r = await request.get(new URL(href!, base() + '/').toString());
  expect(r.status()).toBe(200);
  expect(r.headers()['content-type']).toBe('image/svg+xml');
  const logo = page.locator('header img').first();
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
});
