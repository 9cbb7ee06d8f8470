// The reach chart really draws the data (pixels of each series' colour in
// the plot, not only axes), and Chinese renders with a real CJK font.
import { expect } from '@playwright/test';
import { test, base } from './helpers';

test('the reach chart shows pixels of both series colours', async ({ page }) => {
  await page.goto(base() + '/campaigns/1?lang=zh-CN');
  const canvas = page.locator('canvas[data-chart="reach"]');
  await expect(canvas).toBeVisible();
  const colors = (await canvas.getAttribute('data-series-colors'))!.split(',');
  expect(colors).toHaveLength(2);
  await page.waitForTimeout(300);
  const counts = await canvas.evaluate((c: HTMLCanvasElement, colors: string[]) => {
    const ctx = c.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    const rgb = colors.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    const found = rgb.map(() => 0);
    // The plot's middle, left of the lines' end labels (in the same colours).
    for (let y = 0; y < height; y++) {
      for (let x = Math.floor(width * 0.4); x < Math.floor(width * 0.75); x++) {
        const o = (y * width + x) * 4;
        rgb.forEach(([r, g, b], i) => {
          if (Math.abs(data[o] - r) < 12 && Math.abs(data[o + 1] - g) < 12 && Math.abs(data[o + 2] - b) < 12) found[i]++;
        });
      }
    }
    return found;
  }, colors);
  for (const n of counts) expect(n).toBeGreaterThan(300);
});

test('Chinese glyphs render with a real font, not as missing-glyph boxes', async ({ page }) => {
  await page.goto(base() + '/?lang=zh-CN');
  await expect(page.getByRole('heading', { name: '营销活动' })).toBeVisible();
  const result = await page.evaluate(() => {
    const render = (text: string, family: string) => {
      const c = document.createElement('canvas');
      c.width = 80;
      c.height = 80;
      const ctx = c.getContext('2d')!;
      ctx.font = `56px ${family}`;
      ctx.fillText(text, 8, 62);
      return Array.from(ctx.getImageData(0, 0, 80, 80).data);
    };
    const check = (family: string) => {
      const han = render('中', family);
      const missing = render('\u{10FFFD}', family);
      return { inked: han.some((v) => v > 0), differs: han.some((v, i) => v !== missing[i]) };
    };
    return {
      page: check(getComputedStyle(document.body).fontFamily),
      chart: check('Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif'),
    };
  });
  expect(result.page).toEqual({ inked: true, differs: true });
  expect(result.chart).toEqual({ inked: true, differs: true });
});
