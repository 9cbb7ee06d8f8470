import { expect, Page, APIRequestContext } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const base = () => {
  const url = process.env.BASE_URL;
  if (!url) throw new Error('BASE_URL is set by global-setup.ts');
  return url;
};

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
