import { listDurableObjectIds, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import app from '../../src/index.ts';
import {
  approveConsent,
  createConnectSession,
  integrationIdFrom,
  kvDump,
  RETURN_URL,
  readPicker,
  startConnect,
} from './support/connect.ts';
import { emulatorControl, gateway, serviceApi } from './support/http.ts';
import { heldTokens } from './support/vault.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
  await emulatorControl('POST', '/config', { auto_approve: true });
});
afterEach(() => vi.useRealTimers());

/** A flow that stops at the site picker (two Confluence sites and a Jira one). */
async function reachPicker(session: Record<string, unknown> = {}) {
  const connect = await createConnectSession({ owner_id: 'owner-1', return_url: RETURN_URL, ...session });
  const browser = await startConnect(connect.connect_url);
  const response = await browser.get(await approveConsent(browser.authorizeUrl));
  expect(response.status).toBe(200);
  return { browser, ...(await readPicker(response)) };
}

async function integrationsOf(ownerId: string): Promise<{ id: string }[]> {
  const response = await serviceApi('GET', `/api/v1/integrations?owner_id=${ownerId}`);
  return ((await response.json()) as { integrations: { id: string }[] }).integrations;
}

describe('the site picker', () => {
  it('offers each Confluence site (not Jira) as a labelled radio whose value is the cloud id', async () => {
    const { html, siteIds } = await reachPicker();
    expect(siteIds).toEqual([CLOUD_IDS.acme, CLOUD_IDS.globex]);
    expect(html).not.toContain(CLOUD_IDS.initech);
    expect(html).toMatch(/<fieldset>\s*<legend>Confluence site<\/legend>/);
    expect(html).toMatch(/<label class="site"><input type="radio" name="site_id"/);
    expect(html).toContain('<label class="field" for="name">Integration name</label>');
    expect(html).toMatch(/<input type="text" id="name" name="name"[^>]* required=""/);
    expect(html).not.toContain('checked'); // two sites: the user chooses
    expect(html).toContain('<form method="post" action="finalize"');
    expect(html).not.toContain('<script');
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    // The page's own stylesheet is served as CSS, its quotes intact.
    expect(html).toContain('"Segoe UI"');
    expect(html).not.toMatch(/<style>[^<]*&quot;/);
  });

  it('escapes everything it shows: site names from Atlassian and the name from the session', async () => {
    await emulatorControl('POST', '/config', {
      sites: [
        { id: 'site-one', name: '<img src=x onerror=alert(1)>' },
        { id: 'site-two', name: 'two' },
      ],
    });
    const { html } = await reachPicker({ name: '"><script>alert(1)</script>' });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('appears for a single site when the session gave no name', async () => {
    await emulatorControl('POST', '/config', { site_preset: 'single' });
    const { siteIds, html } = await reachPicker();
    expect(siteIds).toEqual([CLOUD_IDS.acme]);
    expect(html).toContain(`value="${CLOUD_IDS.acme}" checked=""`);
  });

  it('keeps the pending tokens sealed in KV, for at most 15 minutes, and drops them once submitted', async () => {
    const { browser, pending } = await reachPicker();
    const whilePending = await kvDump();
    const pendingKeys = [...whilePending.keys()].filter((key) => key.startsWith('pending:'));
    expect(pendingKeys).toHaveLength(1);
    expect(pendingKeys[0]).not.toContain(pending);
    const listed = await env.CONFLUENCE_KV.list({ prefix: 'pending:' });
    expect(listed.keys[0]?.expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 15 * 60);

    const id = integrationIdFrom(await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' }));
    const tokens = await heldTokens(id);
    const issued = [tokens.access_token, tokens.refresh_token];
    for (const value of whilePending.values()) for (const token of issued) expect(value).not.toContain(token);
    const afterwards = (await kvDump()).get(pendingKeys[0] as string) ?? '';
    expect(JSON.parse(afterwards)).toMatchObject({ status: 'finished', integration_id: id });
    expect(afterwards).not.toContain('sealed_tokens');
  });
});

describe('POST /integrations/confluence/finalize', () => {
  it('creates the integration the user named, on the site they chose', async () => {
    const { browser, pending } = await reachPicker();
    const response = await browser.finalize({ pending, site_id: CLOUD_IDS.globex, name: '  Globex docs ' });
    const id = integrationIdFrom(response);
    const record = await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json();
    expect(record).toMatchObject({
      name: 'Globex docs',
      status: 'active',
      site: { cloud_id: CLOUD_IDS.globex, url: 'https://globex.atlassian.net', name: 'globex' },
    });
  });

  it('without a return_url, ends on a success page naming the integration and showing its id', async () => {
    const connect = await createConnectSession({ owner_id: 'owner-1' });
    const browser = await startConnect(connect.connect_url);
    const { pending } = await readPicker(await browser.get(await approveConsent(browser.authorizeUrl)));
    const response = await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Acme wiki' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Confluence connected');
    expect(html).toContain('<strong>Acme wiki</strong>');
    const integrations = await integrationsOf('owner-1');
    expect(integrations).toHaveLength(1);
    expect(html).toContain(`Integration id: <code>${(integrations[0] as { id: string }).id}</code>`);
  });

  it.each([
    ['no site chosen', { name: 'Wiki' }, 'Choose one of the Confluence sites'],
    ['a site that was not offered (Jira)', { site_id: CLOUD_IDS.initech, name: 'Wiki' }, 'Choose one of'],
    ['an empty name', { site_id: CLOUD_IDS.acme, name: '   ' }, 'Type a name'],
    ['a name over 200 characters', { site_id: CLOUD_IDS.acme, name: 'n'.repeat(201) }, 'too long'],
  ])('%s: shows the form again with the problem, keeping what was typed', async (_, form, problem) => {
    const { browser, pending } = await reachPicker();
    const response = await browser.finalize({ pending, ...form });
    expect(response.status).toBe(400);
    const again = await readPicker(response);
    expect(again.pending).toBe(pending);
    expect(again.html).toContain('role="alert"');
    expect(again.html).toContain(problem);
    if (form.name.trim()) expect(again.html).toContain(`value="${form.name.trim()}"`);
    expect(await integrationsOf('owner-1')).toHaveLength(0);
    // Nothing was lost: the same form still finishes.
    integrationIdFrom(await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' }));
  });

  it('double-submitting the form creates one integration and lands on the same result', async () => {
    const { browser, pending } = await reachPicker();
    const form = { pending, site_id: CLOUD_IDS.acme, name: 'Wiki' };
    const first = integrationIdFrom(await browser.finalize(form));
    const second = integrationIdFrom(await browser.finalize(form));
    expect(second).toBe(first);
    expect(await integrationsOf('owner-1')).toHaveLength(1);
  });

  it('two submissions at the same moment create one integration', async () => {
    const { browser, pending } = await reachPicker();
    const form = { pending, site_id: CLOUD_IDS.acme, name: 'Wiki' };
    const [a, b] = await Promise.all([browser.finalize(form), browser.finalize(form)]);
    expect(integrationIdFrom(a as Response)).toBe(integrationIdFrom(b as Response));
    expect(await integrationsOf('owner-1')).toHaveLength(1);
  });

  it('a form posted from another browser is refused and the right browser can still finish', async () => {
    const { browser, pending } = await reachPicker();
    const other = await startConnect((await createConnectSession({ owner_id: 'owner-2' })).connect_url);
    const refused = await other.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Stolen' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This connection has expired');
    const withoutCookie = await gateway('/integrations/confluence/finalize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, site_id: CLOUD_IDS.acme, name: 'Stolen' }).toString(),
    });
    expect(withoutCookie.status).toBe(400);
    expect(await integrationsOf('owner-1')).toHaveLength(0);
    integrationIdFrom(await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' }));
  });

  it('an unknown or missing pending id gets an error page', async () => {
    const { browser } = await reachPicker();
    for (const pending of ['', 'p'.repeat(32)]) {
      const response = await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/start connecting again/i);
    }
    const notAForm = await gateway('/integrations/confluence/finalize', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: browser.cookie as string },
      body: JSON.stringify({ pending: 'p'.repeat(32), site_id: CLOUD_IDS.acme, name: 'Wiki' }),
    });
    expect(notAForm.status).toBe(400);
    expect(await notAForm.text()).toContain('The request was incomplete');
  });

  it('a choice submitted after 15 minutes has expired', async () => {
    const { browser, pending } = await reachPicker();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
    const response = await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' });
    vi.useRealTimers();
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This connection has expired');
    expect(await integrationsOf('owner-1')).toHaveLength(0);
  });

  it('writes no integration record when its tokens could not be stored', async () => {
    const { browser, pending } = await reachPicker();
    const refreshersBefore = (await listDurableObjectIds(env.TOKEN_REFRESHER)).length;
    const failingRefresher = {
      idFromName: (name: string) => env.TOKEN_REFRESHER.idFromName(name),
      get: () => ({
        store: async () => {
          throw new Error('storage unavailable');
        },
      }),
    };
    const request = new Request('http://gateway.test/integrations/confluence/finalize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookie as string },
      body: new URLSearchParams({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' }).toString(),
    });
    const response = await app.fetch(request, { ...env, TOKEN_REFRESHER: failingRefresher });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Start connecting again in a minute');
    expect(await integrationsOf('owner-1')).toHaveLength(0);
    expect([...(await kvDump()).keys()].filter((key) => key.startsWith('integration:'))).toEqual([]);
    expect(await listDurableObjectIds(env.TOKEN_REFRESHER)).toHaveLength(refreshersBefore);
    // The choice is still pending: once storage is back, the same form finishes.
    integrationIdFrom(await browser.finalize({ pending, site_id: CLOUD_IDS.acme, name: 'Wiki' }));
  });
});
