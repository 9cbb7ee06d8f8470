// Starts `server serve --demo` on 127.0.0.1:0 with a temporary SQLite file,
// reads the URL it prints (with the demo owner's one-time sign-in link in its
// fragment), signs in with that link once and keeps the session cookie as the
// browser's storage state for every spec (auth.spec.ts starts from none), and
// stops the server (and removes the file) afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The signed-in browser state every spec starts from (playwright.config.ts). */
export const STORAGE_STATE = join(tmpdir(), 'wom-e2e-signed-in.json');

export default async function globalSetup() {
  const bin = process.env.SERVER_BIN;
  if (!bin) throw new Error('SERVER_BIN must name the release server binary (.ci/test sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'wom-e2e-'));
  const child = spawn(bin, ['serve', '--demo', '--addr', '127.0.0.1:0', '--database-url', `sqlite://${dir}/e2e.db`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server printed no URL within 60 s')), 60_000);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/Dashboard: (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited early with ${code}`)));
  });
  const [origin, secret] = url.split("/sign-in#signin=");
  if (!secret) throw new Error(`the Dashboard: line holds no sign-in link: ${url}`);
  process.env.BASE_URL = origin;
  process.env.E2E_DATABASE_URL = `sqlite://${dir}/e2e.db`;
  const r = await fetch(`${origin}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ link: secret }),
  });
  if (r.status !== 204) throw new Error(`the demo link did not sign in: ${r.status} ${await r.text()}`);
  const token = (r.headers.get('set-cookie') ?? '').match(/wom_session=([^;]+)/)?.[1];
  if (!token) throw new Error('no session cookie after signing in');
  const state = STORAGE_STATE;
  writeFileSync(state, JSON.stringify({
    cookies: [{ name: 'wom_session', value: token, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }],
    origins: [],
  }));
  process.env.E2E_STORAGE_STATE = state;
  return async () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    rmSync(STORAGE_STATE, { force: true });
  };
}
