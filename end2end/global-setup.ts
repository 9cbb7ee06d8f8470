// Starts `server serve --demo` on 127.0.0.1:0 with a temporary SQLite file,
// reads the URL it prints, and stops it (and removes the file) afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited early with ${code}`)));
  });
  process.env.BASE_URL = url;
  process.env.E2E_DATABASE_URL = `sqlite://${dir}/e2e.db`;
  return async () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
}
