/**
 * The connect flow in a real browser: headless Chromium against the gateway's production bundle in
 * workerd and the Atlassian emulator, both on loopback. Chromium comes from scripts/ensure-chromium.sh
 * (Debian's package); without it, and no way to install it, the test is skipped with the reason,
 * except in CI (CI=true), where that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_IDS } from '../emulator/sites.ts';
import { type SandboxServers, startSandboxServers } from '../support/sandbox-servers.ts';

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
const SCREENSHOTS = 'test-results';

let unavailable: string | undefined;
let servers: SandboxServers | undefined;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;

beforeAll(async () => {
  const ensure = spawnSync('sh', ['scripts/ensure-chromium.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (ensure.status !== 0) {
    unavailable = `Chromium is not available: ${ensure.stderr.trim() || `ensure-chromium.sh exited ${ensure.status}`}`;
    return;
  }
  servers = await startSandboxServers({ sitePreset: 'default' });
  userDataDir = mkdtempSync(join(tmpdir(), 'connect-flow-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 900, height: 760 },
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await context?.close();
  await servers?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('connecting Confluence in a browser', () => {
  it('walks consent, the site picker and the name, and ends on the success page', async (test) => {
    if (unavailable || !servers || !context) {
      // CI installs Chromium (scripts/ensure-chromium.sh runs as root there): a skip would hide a
      // broken install and leave the real-browser flow untested, so there it is a failure.
      if (process.env.CI === 'true')
        throw new Error(`The browser test cannot run in CI. ${unavailable ?? ''}`);
      console.warn(`Skipping the browser test. ${unavailable ?? ''}`);
      return test.skip();
    }
    const created = await servers.serviceApi('POST', '/api/v1/connect-sessions', { owner_id: 'e2e-owner' });
    expect(created.status).toBe(201);
    const { connect_url } = (await created.json()) as { connect_url: string };

    const page = await context.newPage();
    await page.goto(connect_url);
    // Atlassian's (the emulator's) consent page.
    expect(new URL(page.url()).origin).toBe(servers.emulatorUrl);
    await page.click('#allow');

    // The gateway's site picker: two Confluence sites (the Jira one is left out).
    await page.waitForURL(`${servers.gatewayUrl}/integrations/confluence/callback?**`);
    await expect(page.getByRole('heading', { name: 'Connect Confluence' }).isVisible()).resolves.toBe(true);
    const radios = page.getByRole('radio');
    expect(await radios.count()).toBe(2);
    expect(await page.getByRole('group', { name: 'Confluence site' }).isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/connect-site-picker.png`, fullPage: true });

    await page.getByRole('radio', { name: /globex/ }).check();
    await page.getByLabel('Integration name').fill('Globex handbook');
    await page.getByRole('button', { name: 'Connect site' }).click();

    await page.waitForURL(`${servers.gatewayUrl}/integrations/confluence/finalize`);
    await expect(page.getByRole('heading', { name: 'Confluence connected' }).isVisible()).resolves.toBe(true);
    expect(await page.textContent('main')).toContain('Globex handbook');
    await page.screenshot({ path: `${SCREENSHOTS}/connect-done.png`, fullPage: true });

    const listed = await servers.serviceApi('GET', '/api/v1/integrations?owner_id=e2e-owner');
    const { integrations } = (await listed.json()) as {
      integrations: { name: string; status: string; site: { cloud_id: string } }[];
    };
    expect(integrations).toHaveLength(1);
    expect(integrations[0]).toMatchObject({
      name: 'Globex handbook',
      status: 'active',
      site: { cloud_id: CLOUD_IDS.globex },
    });
  });
});
