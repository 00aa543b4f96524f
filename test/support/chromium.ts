/**
 * Headless Chromium for the browser tests: Debian's package (scripts/ensure-chromium.sh installs it
 * when it can) driven by playwright-core. Without it, `launchChromium` says why, and the tests skip
 * (except in CI, CI=true, where that is a failure).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type SandboxServers, startSandboxServers } from './sandbox-servers.ts';

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

export interface BrowserSandbox {
  servers: SandboxServers;
  context: BrowserContext;
}

/**
 * Registers the file's hooks: Chromium and the sandbox servers (emulator preset "default", consent
 * not auto-approved) before its tests, both closed after. `current()` gives them to a test, or
 * undefined after skipping it with the reason Chromium is unavailable (in CI it throws instead).
 */
export function useBrowserSandbox(): { current(test: { skip(): void }): BrowserSandbox | undefined } {
  let unavailable: string | undefined;
  let sandbox: BrowserSandbox | undefined;
  let closeChromium: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const chromium = await launchChromium();
    if ('unavailable' in chromium) {
      unavailable = chromium.unavailable;
      return;
    }
    closeChromium = chromium.close;
    sandbox = { context: chromium.context, servers: await startSandboxServers({ sitePreset: 'default' }) };
  }, 600_000);
  afterAll(async () => {
    await closeChromium?.();
    await sandbox?.servers.close();
  });
  return {
    current(test) {
      if (!sandbox) {
        // CI installs Chromium (scripts/ensure-chromium.sh runs as root there): a skip would hide a
        // broken install and leave the real-browser flows untested, so there it is a failure.
        if (process.env.CI === 'true')
          throw new Error(`The browser test cannot run in CI. ${unavailable ?? ''}`);
        console.warn(`Skipping the browser test. ${unavailable ?? ''}`);
        test.skip();
      }
      return sandbox;
    },
  };
}
