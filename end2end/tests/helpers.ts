import { test as base_test, expect, Page, APIRequestContext } from '@playwright/test';
import { STORAGE_STATE } from '../global-setup';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const base = () => {
  const url = process.env.BASE_URL;
  if (!url) throw new Error('BASE_URL is set by global-setup.ts');
  return url;
};

/**
 * Playwright's `test`, with the `request` fixture signed in like the page
 * (the stock one starts without the storage state): every API read needs
 * a session now. A spec that sets `storageState` to empty is signed out in
 * both.
 */
export const test = base_test.extend({
  request: async ({ playwright, storageState }, use) => {
    const request = await playwright.request.newContext({ storageState: storageState ?? STORAGE_STATE });
    await use(request);
    await request.dispose();
  },
});

export const SHOTS = join(__dirname, '..', 'screenshots');

/** Saves a full-page screenshot under end2end/screenshots/. */
export async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function apiJson(request: APIRequestContext, path: string) {
  const r = await request.get(base() + path);
  expect(r.ok(), `${path} answers`).toBeTruthy();
  return r.json();
}

/** en-US grouping, the same as analytics::format::count. */
export const grouped = (n: number) => new Intl.NumberFormat('en-US').format(n);

export const SIZES = [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '3840x2160', width: 3840, height: 2160 },
];
