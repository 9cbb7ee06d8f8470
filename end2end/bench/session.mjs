// Signs a benchmark in: the server's `Dashboard:` line holds the demo
// owner's one-time link (`/sign-in#signin=SECRET`); this exchanges it for a
// session cookie the browser context then carries.

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
