/**
 * An MCP client's sign-in clicked through in headless Chromium: the official v2 client discovers and
 * registers, Chromium opens the authorization URL it asks for, the user allows Atlassian's (the
 * emulator's) consent, then the gateway's consent page naming the client, picks a site, and the
 * browser lands on the client's redirect URI with a code the client exchanges. Screenshots go to
 * test-results/. Skipped with the reason when Chromium is not available.
 */
import { describe, expect, it } from 'vitest';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import { SCREENSHOTS, useBrowserSandbox } from '../support/chromium.ts';
import { CLIENT_REDIRECT, firstConnection, InMemoryOAuthClient } from '../support/mcp-oauth-client.ts';

const sandbox = useBrowserSandbox();

describe('signing an MCP client in, in a browser', () => {
  it('walks Atlassian consent and the consent page naming the client, and hands the client a code', async (test) => {
    const current = sandbox.current(test);
    if (!current) return;
    const { servers, context } = current;
    const { gatewayUrl, emulatorUrl } = servers;
    const browser = context;
    // The client's loopback listener: the browser's arrival there is the end of the flow.
    let arrived: (url: URL) => void = () => {};
    const landed = new Promise<URL>((resolve) => {
      arrived = resolve;
    });
    await browser.route(`${CLIENT_REDIRECT}**`, (route) => {
      arrived(new URL(route.request().url()));
      return route.fulfill({ contentType: 'text/html', body: '<p>You can close this window.</p>' });
    });

    const provider = new InMemoryOAuthClient('Browser MCP client');
    const { client } = await firstConnection(`${gatewayUrl}/mcp`, provider, async (authorizationUrl) => {
      const page = await browser.newPage();
      await page.goto(authorizationUrl.toString());
      // Atlassian's (the emulator's) consent page.
      expect(new URL(page.url()).origin).toBe(emulatorUrl);
      await page.screenshot({ path: `${SCREENSHOTS}/mcp-atlassian-consent.png`, fullPage: true });
      await page.click('#allow');

      // The gateway's consent page: it names the client, and the account shares two Confluence sites.
      await page.waitForURL(`${gatewayUrl}/integrations/confluence/callback?**`);
      await expect(
        page.getByRole('heading', { name: 'Allow access to Confluence' }).isVisible(),
      ).resolves.toBe(true);
      expect(await page.textContent('#mcp-consent')).toContain('Browser MCP client');
      expect(await page.getByRole('radio').count()).toBe(2);
      await page.getByRole('radio', { name: /globex/ }).check();
      await page.screenshot({ path: `${SCREENSHOTS}/mcp-consent-page.png`, fullPage: true });
      await page.getByRole('button', { name: 'Allow' }).click();

      const back = await landed;
      await page.screenshot({ path: `${SCREENSHOTS}/mcp-back-at-client.png`, fullPage: true });
      await page.close();
      return back;
    });

    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    await client.close();
    const integrationId = (provider.stored?.access_token ?? '').split(':')[0];
    const record = (await (
      await servers.serviceApi('GET', `/api/v1/integrations/${integrationId}`)
    ).json()) as {
      site: { cloud_id: string };
    };
    expect(record.site.cloud_id).toBe(CLOUD_IDS.globex);
  });
});
