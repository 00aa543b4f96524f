/**
 * Headless Chromium for the browser tests: Debian's package (scripts/ensure-chromium.sh installs it
 * when it can) driven by playwright-core. Without it, `launchChromium` says why, and the tests skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
/** Where the tests write their screenshots. */
export const SCREENSHOTS = 'test-results';

export type LaunchedChromium = { context: BrowserContext; close(): Promise<void> } | { unavailable: string };

export async function launchChromium(): Promise<LaunchedChromium> {
  const ensure = spawnSync('sh', ['scripts/ensure-chromium.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (ensure.status !== 0) {
    return {
      unavailable: `Chromium is not available: ${ensure.stderr.trim() || `ensure-chromium.sh exited ${ensure.status}`}`,
    };
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'gateway-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 900, height: 760 },
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
