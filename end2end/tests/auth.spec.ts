// Signing in and out as people do, a client who sees only their brand, the
// workspace switcher, and zero Content-Security-Policy violations on every
// page in both languages. These start signed out (no storage state).
import { expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { test, base, shot } from './helpers';

test.use({ storageState: { cookies: [], origins: [] } });

const bin = () => process.env.SERVER_BIN!;
const db = () => process.env.E2E_DATABASE_URL!;

/** Runs the server's CLI against the running server's database. */
function cli(args: string[], input?: string): string {
  return execFileSync(bin(), [...args, '--database-url', db(), '--public-url', base()], {
    input,
    env: { ...process.env, RUST_LOG: 'off' },
  }).toString();
}

/** A user with a password and the given memberships (once per run). */
function person(email: string, memberships: [string, string, string?][]) {
  const existing = cli(['user', 'list']);
  if (existing.includes(email)) return;
  cli(['user', 'create', '--email', email, '--name', email.split('@')[0], '--password-stdin'], `${PASSWORD}\n`);
  for (const [ws, role, brand] of memberships) {
    cli(['member', 'add', '--workspace', ws, '--email', email, '--role', role, ...(brand ? ['--brand', brand] : [])]);
  }
}

const PASSWORD = 'e2e password 口碑';

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel(/Email|邮箱/).fill(email);
  await page.getByLabel(/Password|密码/).fill(password);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
}

test('the demo link signs in and the address bar no longer holds the secret', async ({ page }) => {
  const link = cli(['user', 'reset-password', '--email', 'demo@example.com']).trim().split('\n').pop()!;
  expect(link).toContain('#signin=');
  await page.goto(link.replace('/sign-in#', '/sign-in?lang=zh-CN#'));
  await expect(page.getByRole('heading', { name: /星火数字营销/ })).toBeVisible();
  expect(page.url()).not.toContain('signin');
  expect(await page.evaluate(() => location.hash)).toBe('');
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await shot(page, 'auth-demo-link-zh-CN');
  // The link is used up: a second visit says so on the sign-in page.
  await page.context().clearCookies();
  await page.goto(link.replace('/sign-in#', '/sign-in?lang=en#'));
  await expect(page.getByRole('alert')).toContainText('used or has expired');
  expect(page.url()).not.toContain('signin=');
  await shot(page, 'auth-link-used-en');
});

test('a wrong password gets a clear message, in both languages', async ({ page }) => {
  person('ana@e2e.example', [['demo', 'viewer']]);
  await page.goto(`${base()}/sign-in?lang=zh-CN`);
  await signIn(page, 'ana@e2e.example', 'not her password');
  await expect(page.getByRole('alert')).toHaveText('邮箱或密码错误。');
  await expect(page.getByLabel('密码')).toHaveValue('');
  await shot(page, 'auth-wrong-password-zh-CN');
  await page.goto(`${base()}/sign-in?lang=en`);
  await signIn(page, 'nobody@e2e.example', 'whatever it is');
  await expect(page.getByRole('alert')).toHaveText('The email or the password is wrong.');
  await shot(page, 'auth-wrong-password-en');
});

test('a deep link while signed out → sign in → the same view; then sign out', async ({ page }) => {
  person('ana@e2e.example', [['demo', 'viewer']]);
  const view = '/campaigns/2?lang=zh-CN&fakes=exclude';
  await page.goto(base() + view);
  await expect(page).toHaveURL(/\/sign-in\?lang=zh-CN&next=/);
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await shot(page, 'auth-sign-in-zh-CN');
  await signIn(page, 'ana@e2e.example');
  await expect(page).toHaveURL(base() + view);
  await expect(page.getByRole('heading', { name: /夏日跑者挑战/ })).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Signed out for real: the next page asks again.
  await page.goto(`${base()}/`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2F/);
});

test('a client sees only their brand’s campaigns and not-found for another', async ({ page }) => {
  const brands = cli(['brand', 'list', '--workspace', 'demo']);
  const runner = brands.split('\n').find((l) => l.includes('跑'))!.split('\t')[0];
  person('runner-client@e2e.example', [['demo', 'client', runner]]);
  await page.goto(`${base()}/sign-in?lang=en`);
  await signIn(page, 'runner-client@e2e.example');
  await expect(page.locator('.campaign-card')).toHaveCount(1);
  await expect(page.locator('.campaign-card')).toContainText('Summer Runner Challenge');
  await shot(page, 'auth-client-list-en');
  // Another brand's campaign reads exactly like one that does not exist.
  await page.goto(`${base()}/campaigns/1?lang=en`);
  await expect(page.getByRole('alert').getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('no campaign has id 1');
  await page.goto(`${base()}/campaigns/1/cascades?lang=en`);
  await expect(page.getByRole('alert').getByRole('heading', { name: 'Not found' })).toBeVisible();
  await shot(page, 'auth-client-other-campaign-en');
  const r = await page.request.get(`${base()}/api/v1/campaigns/1/summary`);
  expect(r.status()).toBe(404);
  // Listening shows their own brand only: tracked competitors are not shared with clients.
  await page.goto(`${base()}/campaigns/2/listening?lang=en`);
  await expect(page.locator('canvas').first()).toBeVisible();
  await expect(page.getByText('Qinglan Sports').first()).toBeVisible();
  await expect(page.getByText('MountainSpring')).toHaveCount(0);
  await shot(page, 'auth-client-listening-en');
});

test('the workspace switcher shows another agency’s campaigns and says so in the URL', async ({ page }) => {
  person('both@e2e.example', [['demo', 'viewer'], ['northwind', 'viewer']]);
  await page.goto(`${base()}/sign-in?lang=zh-CN`);
  await signIn(page, 'both@e2e.example');
  await expect(page.getByRole('heading', { name: /星火数字营销/ })).toBeVisible();
  await page.getByLabel('工作区').selectOption('northwind');
  await expect(page).toHaveURL(/[?&]ws=northwind/);
  await expect(page.getByRole('heading', { name: /北风传播/ })).toBeVisible();
  await expect(page.locator('.campaign-card')).toHaveCount(1);
  await expect(page.locator('.campaign-card')).toContainText('冷萃季');
  await shot(page, 'auth-switcher-northwind-zh-CN');
  // The demo owner belongs to the first agency only: Northwind's campaign is not found.
  const northwind = (await (await page.request.get(`${base()}/api/v1/campaigns`)).json())
    .find((c: { workspace: { slug: string } }) => c.workspace.slug === 'northwind');
  await page.context().clearCookies();
  const link = cli(['user', 'reset-password', '--email', 'demo@example.com']).trim().split('\n').pop()!;
  await page.goto(link);
  await expect(page.getByRole('heading', { name: /星火数字营销/ })).toBeVisible();
  const r = await page.request.get(`${base()}/api/v1/campaigns/${northwind.id}/summary`);
  expect(r.status()).toBe(404);
});

test('zero CSP violations on every page, in both languages', async ({ page }) => {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  const link = cli(['user', 'reset-password', '--email', 'demo@example.com']).trim().split('\n').pop()!;
  await page.goto(link);
  await expect(page.getByRole('heading', { name: /星火数字营销/ })).toBeVisible();
  const cascades = await (await page.request.get(`${base()}/api/v1/campaigns/1/cascades?per_page=1`)).json();
  const root = encodeURIComponent(cascades.items[0].root_id);
  const pages = ['/settings', '/', '/campaigns/1', '/campaigns/1/cascades', `/campaigns/1/cascades/${root}`, '/campaigns/1/listening', '/compare?a=1&b=2', '/nowhere'];
  for (const lang of ['en', 'zh-CN']) {
    for (const p of pages) {
      await page.goto(`${base()}${p}${p.includes('?') ? '&' : '?'}lang=${lang}`);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('main')).not.toBeEmpty();
      const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
      expect(seen, `${p} (${lang})`).toEqual([]);
    }
  }
  expect(violations).toEqual([]);
  // The sign-in page too, signed out.
  await page.context().clearCookies();
  await page.goto(`${base()}/sign-in?lang=zh-CN`);
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);
  expect(violations).toEqual([]);
});

test('an owner manages members and keys in settings; everyone changes their password', async ({ page }) => {
  const link = cli(['user', 'reset-password', '--email', 'demo@example.com']).trim().split('\n').pop()!;
  await page.goto(link.replace('/sign-in#', '/sign-in?lang=zh-CN#'));
  await expect(page.getByRole('heading', { name: /星火数字营销/ })).toBeVisible();
  await page.getByRole('link', { name: '设置' }).click();
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'demo@example.com', exact: true })).toBeVisible();
  // Invite someone without an account: a one-time link to send them.
  await page.locator('#member-email').fill('newcomer@e2e.example');
  await page.locator('#member-name').fill('新同事');
  await page.locator('#member-role').selectOption('analyst');
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await expect(page.locator('#invitation-link')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/sign-in#signin=[0-9a-f]{48}$/);
  const invitation = await page.locator('#invitation-link').inputValue();
  await expect(page.getByRole('cell', { name: 'newcomer@e2e.example', exact: true })).toBeVisible();
  // A key that can only read, shown once; then revoked.
  await page.locator('#key-name').fill('BI 看板');
  await page.getByRole('button', { name: '创建' }).click();
  await expect(page.locator('#new-key-value')).toHaveValue(/^wom_[0-9a-f]{48}$/);
  const key = await page.locator('#new-key-value').inputValue();
  const read = await page.request.get(`${base()}/api/v1/campaigns`, { headers: { authorization: `Bearer ${key}` } });
  expect(read.status()).toBe(200);
  const write = await page.request.post(`${base()}/api/v1/ingest`, { headers: { authorization: `Bearer ${key}` }, data: '{}' });
  expect(write.status()).toBe(403);
  await shot(page, 'settings-zh-CN');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: `吊销 wom_${key.slice(4, 12)}…` }).click();
  await expect(page.getByRole('row', { name: /BI 看板/ })).toContainText('已吊销');
  const after = await page.request.get(`${base()}/api/v1/campaigns`, { headers: { authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);
  // The invitation signs the newcomer in (another browser), who sets a password.
  const other = await page.context().browser()!.newContext({ storageState: { cookies: [], origins: [] } });
  const theirs = await other.newPage();
  await theirs.goto(invitation.replace('/sign-in#', '/sign-in?lang=en#'));
  await expect(theirs.getByRole('heading', { name: /Spark Digital/ })).toBeVisible();
  await theirs.goto(`${base()}/settings?lang=en`);
  await expect(theirs.getByText('Only a workspace’s owners manage its members and API keys.')).toBeVisible();
  await theirs.getByLabel(/New password/).fill('newcomer password 1');
  await theirs.getByRole('button', { name: 'Change password' }).click();
  await expect(theirs.getByRole('status')).toHaveText('Password changed. Your other sessions were signed out.');
  await shot(theirs, 'settings-newcomer-en');
  await theirs.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(theirs).toHaveURL(/\/sign-in/);
  await signIn(theirs, 'newcomer@e2e.example', 'newcomer password 1');
  await expect(theirs.getByRole('heading', { name: /Spark Digital/ })).toBeVisible();
  await other.close();
});
