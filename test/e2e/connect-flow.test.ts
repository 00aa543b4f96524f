/**
 * The connect flow in a real browser: headless Chromium against the gateway's production bundle in
 * workerd and the Atlassian emulator, both on loopback. Chromium comes from scripts/ensure-chromium.sh
 * (Debian's package); without it, and no way to install it, the test is skipped with the reason.
 */
import { describe, expect, it } from 'vitest';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import { SCREENSHOTS, useBrowserSandbox } from '../support/chromium.ts';

const sandbox = useBrowserSandbox();

describe('connecting Confluence in a browser', () => {
  it('walks consent, the site picker and the name, and ends on the success page', async (test) => {
    const current = sandbox.current(test);
    if (!current) return;
    const { servers, context } = current;
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
