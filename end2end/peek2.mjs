import { chromium } from '@playwright/test';
const url = 'http://127.0.0.1:3998';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on('console', m => { if (m.type() === 'error') console.log('console:', m.text().slice(0,300)); });
page.on('pageerror', e => console.log('pageerror:', e.message));
const steps = JSON.parse(process.argv[2]);
for (const [name, path, js] of steps) {
  if (path) await page.goto(url + path);
  await page.waitForTimeout(2000);
  if (js) { const r = await page.evaluate(js); console.log(name, 'eval:', JSON.stringify(r).slice(0, 600)); }
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
await browser.close();
