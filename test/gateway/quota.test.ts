import { createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import app from '../../src/index.ts';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN } from './support/http.ts';
import { clearRequestLog, confluenceRequests, connectAcme, SEED } from './support/tools.ts';

// Atlassian's points quota (issue 24): the emulator meters points as Atlassian does (test/emulator/
// quota.ts); the gateway must price, share and refuse before Atlassian would.
//
// Each test runs as its own app (its own CONFLUENCE_CLIENT_ID), so the pools it fills are its own in
// the ledger and in this isolate's memory; the emulator's pools are reset before each test.

let appId = '';
let run = 0;
beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
  appId = `quota-app-${Date.now()}-${run++}`;
  await clearOfWindowEdge();
});

/**
 * Every test here happens within one window of Atlassian's pool: the tests use windows of 600 or
 * 3600 s, which end on multiples of 600 s of the clock, so a test that would start within 20 s of
 * one waits until it has passed.
 */
async function clearOfWindowEdge(): Promise<void> {
  const toEdge = 600_000 - (Date.now() % 600_000);
  if (toEdge < 20_000) await new Promise((resolve) => setTimeout(resolve, toEdge + 500));
}

/**
 * A connected integration, with Atlassian's pool back to full afterwards: connecting reads the
 * consenting account from Confluence (3 points, billed to the app, counted by the ledger only through
 * Atlassian's headers), and these tests compare what the tool calls that follow spend.
 */
async function connectWithPoolUntouched(): Promise<string> {
  const id = await connectAcme();
  await emulatorControl('DELETE', '/quota/pools');
  return id;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  body: any;
}

/** A request to the gateway as this test's app, with settings of its own; waits for its waitUntil work. */
async function send(
  path: string,
  init: RequestInit = {},
  settings: Record<string, string> = {},
): Promise<Answer> {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${GATEWAY}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${SERVICE_TOKEN}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    }),
    { ...env, CONFLUENCE_CLIENT_ID: appId, ...settings },
    ctx,
  );
  const answer = {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
  await waitOnExecutionContext(ctx);
  return answer;
}

function call(id: string, tool: string, args: unknown, settings?: Record<string, string>) {
  return send(
    `/api/v1/integrations/${id}/tools/${tool}`,
    { method: 'POST', body: JSON.stringify(args) },
    settings,
  );
}

const readPage = (id: string, settings?: Record<string, string>) =>
  call(id, 'get_confluence_page', { page_id: SEED.pages.architecture }, settings);
const listBulk = (id: string, limit: number, settings?: Record<string, string>) =>
  call(id, 'get_confluence_space_pages', { space_id: SEED.spaces.bulk.id, limit }, settings);
const quota = (settings?: Record<string, string>) => send('/api/v1/quota', {}, settings);

function setAtlassianQuota(config: Record<string, unknown>) {
  return emulatorControl('POST', '/quota', config);
}

async function atlassianQuota() {
  return emulatorControl<{
    pools: { limit: number; spent: number; remaining: number; resets_at: string }[];
    quota_429s: number;
  }>('GET', '/quota');
}

describe('the price of each call', () => {
  it('is in every REST answer beside success: 2 for a page, 1 + n for a list of n, reads and a write for a create', async () => {
    const id = await connectWithPoolUntouched();
    const page = await readPage(id);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ success: true, points: 2 });

    const list = await listBulk(id, 10);
    expect(list.body.points).toBe(11);

    const created = await call(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Priced',
      body: 'x',
    });
    expect(created.status).toBe(200);
    // The space key's lookup (one space) and the write.
    expect(created.body.points).toBe(3);

    // What the emulator metered is what the gateway counted.
    expect((await atlassianQuota()).pools[0]?.spent).toBe(2 + 11 + 3);
    const missing = await call(id, 'get_confluence_page', { page_id: '999999' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, error: { code: 'not_found' } });
    // A failure does not say its price: content hidden by allowed_spaces must look missing.
    expect(missing.body.points).toBeUndefined();
    expect((await atlassianQuota()).pools[0]?.spent).toBe(2 + 11 + 3 + 1);
  });
});

describe("the pool's size and state, from Atlassian's headers", () => {
  it('adopts the size and window of RateLimit-Policy over ATLASSIAN_POINTS_PER_HOUR', async () => {
    await setAtlassianQuota({ points: 1000, window_seconds: 600 });
    const id = await connectAcme();
    expect((await readPage(id)).status).toBe(200);
    const view = await quota();
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      limit: 1000,
      spent: 2,
      remaining: 998,
      tier: 'global',
      source: 'counted',
    });
    expect(view.body.allowance_per_integration).toBe(100);
    // The window is Atlassian's: it ends within the 600 s the policy states.
    const resetsIn = Date.parse(view.body.resets_at) - Date.now();
    expect(resetsIn).toBeGreaterThan(0);
    expect(resetsIn).toBeLessThanOrEqual(600_000);
  });

  it('uses ATLASSIAN_POINTS_PER_HOUR until Atlassian has said anything', async () => {
    const view = await quota({ ATLASSIAN_POINTS_PER_HOUR: '12345' });
    expect(view.body).toMatchObject({
      limit: 12345,
      spent: 0,
      remaining: 12345,
      tier: 'global',
      source: 'counted',
    });
    expect(view.body.integrations).toEqual([]);
  });

  for (const beta of [false, true]) {
    it(`takes the remaining points from RateLimit${beta ? ', with the Beta- prefix,' : ''} when Atlassian sends them`, async () => {
      await setAtlassianQuota({ points: 1000, beta_headers: beta });
      const id = await connectWithPoolUntouched();
      // Another deployment of the same app spent most of the pool.
      await emulatorControl('POST', '/quota/spend', { points: 850 });
      expect((await readPage(id)).status).toBe(200);
      const view = await quota();
      expect(view.body).toMatchObject({ limit: 1000, spent: 852, remaining: 148, source: 'atlassian' });
      expect((await atlassianQuota()).pools[0]?.remaining).toBe(148);
    });
  }
});

describe('fair shares', () => {
  it('stops a crawler at its share while the other tenants keep working, and Atlassian refuses nothing', async () => {
    await setAtlassianQuota({ points: 3000, window_seconds: 600 });
    const crawler = await connectIntegration({ ownerId: 'owner-crawler', name: 'Crawler', preset: 'single' });
    const quiet = await Promise.all(
      ['owner-a', 'owner-b', 'owner-c'].map(async (owner) => (await connectAcme(owner)) as string),
    );

    // The share is 10% of 3,000: one full listing of 250 (251 points) fits, a second does not.
    expect((await listBulk(crawler.id, 250)).status).toBe(200);
    await clearRequestLog();
    const refused = await listBulk(crawler.id, 250);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'quota_exhausted',
      scope: 'integration',
      retryable: true,
    });
    expect(refused.body.error.retry_after_seconds).toBeGreaterThan(0);
    expect(refused.body.error.retry_after_seconds).toBeLessThanOrEqual(600);
    expect(refused.retryAfter).toBe(String(refused.body.error.retry_after_seconds));
    expect(refused.body.error.message).toMatch(/smaller limit/);
    expect(refused.body.error.message).toMatch(/\d\d:\d\d(:\d\d)? UTC/);
    // Nothing reached Confluence.
    expect(await confluenceRequests()).toEqual([]);

    // A smaller call within what is left of its share still goes.
    expect((await listBulk(crawler.id, 20)).status).toBe(200);
    // Every other tenant reads and writes as before.
    for (const id of quiet) {
      expect((await readPage(id)).status).toBe(200);
      expect((await listBulk(id, 25)).status).toBe(200);
    }
    expect((await atlassianQuota()).quota_429s).toBe(0);

    const view = await quota();
    expect(view.body.integrations[0]).toEqual({ id: crawler.id, name: 'Crawler', spent: 251 + 21 });
    expect(view.body.integrations.map((entry: { id: string }) => entry.id).sort()).toEqual(
      [crawler.id, ...quiet].sort(),
    );
    const share = await send(`/api/v1/integrations/${crawler.id}/quota`);
    expect(share.status).toBe(200);
    expect(share.body).toMatchObject({ spent: 272, allowance: 300, remaining: 28, pool: { limit: 3000 } });
    expect(share.body.resets_at).toBe(view.body.resets_at);
  });

  it('holds an integration to POINTS_PER_INTEGRATION_PER_HOUR when it is set', async () => {
    const id = await connectAcme();
    const settings = { POINTS_PER_INTEGRATION_PER_HOUR: '30' };
    expect((await listBulk(id, 25, settings)).status).toBe(200);
    const refused = await listBulk(id, 25, settings);
    expect(refused.body.error).toMatchObject({ code: 'quota_exhausted', scope: 'integration' });
    expect(refused.body.error.message).toContain('POINTS_PER_INTEGRATION_PER_HOUR');
    expect((await readPage(id, settings)).status).toBe(200);
  });

  it('under the last 20% of the pool, refuses listings and lets calls of at most 10 points through', async () => {
    await setAtlassianQuota({ points: 1000 });
    await emulatorControl('POST', '/quota/spend', { points: 820 });
    const id = await connectAcme();
    // A page read goes, and brings back Atlassian's count: 178 left, under the 200 reserve.
    expect((await readPage(id)).status).toBe(200);
    await clearRequestLog();
    const listing = await listBulk(id, 25);
    expect(listing.status).toBe(429);
    expect(listing.body.error).toMatchObject({ code: 'quota_exhausted', scope: 'app' });
    expect(listing.body.error.message).toMatch(/last 20%.*smaller limit.*UTC/);
    expect(await confluenceRequests()).toEqual([]);
    // Small calls still work: a short listing, a read, a write.
    expect((await listBulk(id, 5)).status).toBe(200);
    expect((await readPage(id)).status).toBe(200);
    expect(
      (await call(id, 'add_confluence_comment', { page_id: SEED.pages.architecture, comment: 'still here' }))
        .status,
    ).toBe(200);
    expect((await atlassianQuota()).quota_429s).toBe(0);
  });

  it('ends a run where one tenant crawls non-stop with no quota 429 from Atlassian', async () => {
    await setAtlassianQuota({ points: 1500, window_seconds: 600 });
    const crawlers = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((owner) => connectAcme(owner)));
    const quiet = await connectAcme('quiet');
    let refusals = 0;
    for (let round = 0; round < 12; round++) {
      for (const crawler of crawlers) {
        const answer = await listBulk(crawler, 60);
        if (answer.status === 429) refusals++;
        else expect(answer.status).toBe(200);
      }
      expect((await readPage(quiet)).status).toBe(200);
    }
    expect(refusals).toBeGreaterThan(0);
    expect((await atlassianQuota()).quota_429s).toBe(0);
  });
});

describe("Atlassian's word over the count", () => {
  it('brings back a count that ran ahead (slices of isolates that went away) when Atlassian says the reserve is intact', async () => {
    await setAtlassianQuota({ points: 1000 });
    const settings = { ATLASSIAN_POINTS_PER_HOUR: '1000' };
    const id = await connectWithPoolUntouched();
    // Isolates that leased all but 10 points of the pool and went away without spending them.
    const ledger = env.QUOTA_LEDGER.get(env.QUOTA_LEDGER.idFromName(`${appId}/app`));
    const vanished = (wantPool: number, need: number) =>
      ledger.sync({
        pool: 'app',
        integrationId: 'int_vanished',
        wantPool,
        wantShare: 0,
        need,
        returnedPool: 0,
        returnedShare: 0,
        spent: 0,
        saved: 0,
        settings: { pointsPerHour: 1000 },
      });
    expect((await vanished(800, 1)).grantedPool).toBe(800);
    expect((await vanished(190, 5)).grantedPool).toBe(190);
    // Atlassian has 1,000 points left; each answer says so by sending no `r`. Small calls go on
    // past the 10 points the count left, and the count comes back down to the reserve line.
    for (let n = 0; n < 12; n++) expect((await readPage(id, settings)).status).toBe(200);
    expect((await atlassianQuota()).pools[0]?.remaining).toBe(1000 - 24);
    const view = await quota(settings);
    expect(view.body.remaining).toBeGreaterThanOrEqual(150);
  });
});

describe("a 429 from Atlassian's spent pool", () => {
  it('is answered quota_exhausted with its Retry-After, and the ledger learns the pool is empty', async () => {
    await setAtlassianQuota({ points: 1000, window_seconds: 600 });
    const id = await connectAcme();
    const other = await connectAcme('owner-other');
    expect((await readPage(id)).status).toBe(200);
    // Another deployment spends the rest behind the gateway's back.
    await emulatorControl('POST', '/quota/spend', { points: 998 });
    const refused = await readPage(id);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'quota_exhausted', scope: 'app', retryable: true });
    expect((await confluenceRequests()).at(-1)?.status).toBe(429);
    // Atlassian's Retry-After: to the end of its window.
    const resetsAt = Date.parse((await atlassianQuota()).pools[0]?.resets_at ?? '');
    expect(Math.abs(refused.body.error.retry_after_seconds - (resetsAt - Date.now()) / 1000)).toBeLessThan(3);
    expect(refused.retryAfter).toBe(String(refused.body.error.retry_after_seconds));
    expect(refused.body.error.message).toMatch(/Atlassian refused/);

    // Learnt: the next calls, of any integration, are refused without reaching Atlassian.
    await clearRequestLog();
    const next = await readPage(other);
    expect(next.status).toBe(429);
    expect(next.body.error).toMatchObject({ code: 'quota_exhausted', scope: 'app' });
    expect(await confluenceRequests()).toEqual([]);
    expect((await atlassianQuota()).quota_429s).toBe(1);
    expect((await quota()).body).toMatchObject({ remaining: 0, source: 'atlassian' });
  });
});

describe('the log', () => {
  it('says once each when the pool crosses 50%, 80% and 100%', async () => {
    await setAtlassianQuota({ points: 100 });
    const settings = { ATLASSIAN_POINTS_PER_HOUR: '100', POINTS_PER_INTEGRATION_PER_HOUR: '100' };
    const id = await connectWithPoolUntouched();
    const lines: Record<string, unknown>[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      if (typeof line === 'string' && line.includes('"quota_threshold"')) lines.push(JSON.parse(line));
    });
    try {
      for (let n = 0; n < 50; n++) expect((await readPage(id, settings)).status).toBe(200);
      const spent = await readPage(id, settings);
      expect(spent.body.error).toMatchObject({ code: 'quota_exhausted', scope: 'app' });
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((line) => line.percent)).toEqual([50, 80, 100]);
    expect(lines[2]).toMatchObject({ event: 'quota_threshold', pool: 'app', limit: 100, used: 100 });
    expect((await atlassianQuota()).quota_429s).toBe(0);
  });
});

describe('Tier 2: a pool per site', () => {
  it("keeps each site's pool apart once Atlassian reports tenant-app-quota", async () => {
    await setAtlassianQuota({ tier: 'tenant', points: 1000, site_points: { [SEED_GLOBEX]: 2000 } });
    const acme = (await connectIntegration({ ownerId: 'owner-acme', name: 'Acme wiki', preset: 'default' }))
      .id;
    const globex = (
      await connectIntegration({
        ownerId: 'owner-globex',
        name: 'Globex wiki',
        preset: 'default',
        siteId: SEED_GLOBEX,
      })
    ).id;
    expect((await readPage(acme)).status).toBe(200);
    expect((await call(globex, 'get_confluence_spaces', { limit: 2 })).status).toBe(200);
    expect((await readPage(acme)).status).toBe(200);

    // Acme's pool runs low; Globex's does not.
    await emulatorControl('POST', '/quota/spend', { points: 850 });
    expect((await readPage(acme)).status).toBe(200);
    expect((await listBulk(acme, 25)).body.error).toMatchObject({ code: 'quota_exhausted', scope: 'app' });
    expect((await call(globex, 'get_confluence_spaces', { limit: 25 })).status).toBe(200);

    const view = await quota();
    expect(view.body.tier).toBe('tenant');
    const sites = Object.fromEntries(
      view.body.sites.map((site: { cloud_id: string }) => [site.cloud_id, site]),
    );
    expect(sites[SEED_ACME]).toMatchObject({ limit: 1000, source: 'atlassian' });
    expect(sites[SEED_ACME].remaining).toBeLessThan(200);
    expect(sites[SEED_GLOBEX]).toMatchObject({ limit: 2000 });
    expect(sites[SEED_GLOBEX].remaining).toBeGreaterThan(1900);
    expect((await atlassianQuota()).quota_429s).toBe(0);
  });
});

describe('the read cache', () => {
  const cached = { CONFLUENCE_READ_CACHE_SECONDS: '30' };

  it('answers an identical read of the same integration without Confluence, for 0 points', async () => {
    const id = await connectAcme();
    const other = await connectAcme('owner-other');
    await clearRequestLog();
    const first = await readPage(id, cached);
    const second = await readPage(id, cached);
    expect(first.body.points).toBe(2);
    expect(second.body).toEqual({ ...first.body, points: 0 });
    expect(await confluenceRequests()).toHaveLength(1);
    // Another integration does not share it.
    expect((await readPage(other, cached)).body.points).toBe(2);
    expect(await confluenceRequests()).toHaveLength(2);
    expect((await quota(cached)).body.saved_by_cache).toBe(2);
  });

  it('is dropped by a write through the gateway', async () => {
    const id = await connectAcme();
    const before = await readPage(id, cached);
    const version = before.body.page.version.number as number;
    const updated = await call(
      id,
      'update_confluence_page',
      { page_id: SEED.pages.architecture, version_number: version, body: '<p>changed</p>' },
      cached,
    );
    expect(updated.status).toBe(200);
    const after = await readPage(id, cached);
    expect(after.body.points).toBe(2);
    expect(after.body.page.version.number).toBe(version + 1);
  });

  it('is dropped by a webhook event for the page', async () => {
    const id = await connectAcme();
    const secret = await send(`/api/v1/integrations/${id}/webhook-secret`, { method: 'POST' });
    await readPage(id, cached);
    await emulatorControl('POST', `/pages/${SEED.pages.architecture}/edit`, { body: '<p>Bob was here</p>' });
    expect((await readPage(id, cached)).body.points).toBe(0);
    const event = await send(
      `/integrations/confluence/webhooks/${id}`,
      {
        method: 'POST',
        headers: { 'x-webhook-secret': secret.body.secret },
        body: JSON.stringify({ event: 'page_updated', page: { id: SEED.pages.architecture } }),
      },
      cached,
    );
    expect(event.status).toBe(202);
    const fresh = await readPage(id, cached);
    expect(fresh.body.points).toBe(2);
    expect(fresh.body.page.content).toContain('Bob was here');
  });
});

describe('the catalog', () => {
  it('defaults list tools to 25 results and says what a large limit costs', async () => {
    const { body } = await send('/api/v1/tools');
    for (const name of ['get_confluence_spaces', 'get_confluence_space_pages', 'search_confluence_pages']) {
      const limit = body.tools.find((tool: { name: string }) => tool.name === name).input_schema.properties
        .limit;
      expect(limit.default).toBe(25);
    }
    // Said once for every list tool, in the instructions served beside the catalog (and to MCP clients).
    expect(body.instructions).toMatch(/costs a point per result .*limit 250 costs up to 251/);
  });
});

describe('the quota routes', () => {
  it('need the service token, and name an unknown integration', async () => {
    const anonymous = await send('/api/v1/quota', { headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
    const unknown = await send('/api/v1/integrations/int_doesnotexist/quota');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('integration_not_found');
  });

  it("an agent token reads its own integration's share, never another's, nor whether another exists", async () => {
    const mine = await connectWithPoolUntouched();
    const theirs = await connectWithPoolUntouched();
    const issued = await send(`/api/v1/integrations/${mine}/agent-tokens`, {
      method: 'POST',
      body: JSON.stringify({ label: 'quota reader' }),
    });
    expect(issued.status).toBe(201);
    const asAgent = { headers: { authorization: `Bearer ${issued.body.token}` } };
    expect((await send(`/api/v1/integrations/${mine}/quota`, asAgent)).status).toBe(200);
    const other = await send(`/api/v1/integrations/${theirs}/quota`, asAgent);
    expect([other.status, other.body.error?.code]).toEqual([403, 'forbidden']);
    expect(other.body).not.toHaveProperty('spent');
    const missing = await send('/api/v1/integrations/int_doesnotexist/quota', asAgent);
    expect([missing.status, missing.body.error?.code]).toEqual([403, 'forbidden']);
  });
});

const SEED_ACME = 'a3c1e5d2-7b4f-4e8a-9c6d-1f2e3a4b5c6d';
const SEED_GLOBEX = 'b7d2f4e6-1a3c-4b5d-8e9f-2a4c6e8f0b1d';
