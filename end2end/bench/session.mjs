// Starts a benchmark's server and signs it in: `startDemo` runs the release
// binary on a new demo database; its `Dashboard:` line holds the demo
// owner's one-time link (`/sign-in#signin=SECRET`), which `sessionCookie`
// exchanges for a session cookie the browser context then carries.
import { spawn } from 'node:child_process';

/**
 * Runs `bin serve --demo` on `sqlite://DB` (a file in `dir`) on a free
 * port; resolves to `{ child, url, secret, db }` once it prints its link.
 */
export function startDemo(bin, dir) {
  const db = `sqlite://${dir}/bench.db`;
  const child = spawn(bin, ['serve', '--demo', '--addr', '127.0.0.1:0', '--database-url', db], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'off' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = parseDashboardLine(out);
      if (m) resolve({ child, db, ...m });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** The origin and the link's secret from a `Dashboard:` line. */
export function parseDashboardLine(text) {
  const m = text.match(/Dashboard: (http:\/\/[^/\s]+)\/\S*#signin=([0-9a-f]+)/);
  return m ? { url: m[1], secret: m[2] } : null;
}

/** Signs in with the secret; returns the cookie for `context.addCookies`. */
export async function sessionCookie(url, secret) {
  const r = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ link: secret }),
  });
  if (r.status !== 204) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  const value = (r.headers.get('set-cookie') ?? '').match(/wom_session=([^;]+)/)?.[1];
  return { name: 'wom_session', value, url };
}
