// Playwright drives Debian's Chromium (no browser download) against the real
// release binary, started by global-setup.ts on a free port with a fresh
// temporary database and the demo workspace.
import { defineConfig } from '@playwright/test';
import { STORAGE_STATE } from './global-setup';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    // Signed in as the demo owner (global-setup.ts); auth.spec.ts clears it.
    storageState: STORAGE_STATE,
    browserName: 'chromium',
    viewport: { width: 1366, height: 768 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
