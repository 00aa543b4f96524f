import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PoolView } from '../../dev/emulator/quota.ts';
import { SEED } from '../../dev/emulator/seed.ts';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import { type LooseJson, startTestEmulator, type TestEmulator } from './test-client.ts';

// Atlassian's points quota (shared/atlassian/FACTS.md, "Rate limits"), as the emulator meters it.

let emulator: TestEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control('/reset', {});
  token = (await emulator.connect()).access_token;
});

interface QuotaView {
  config: Record<string, unknown>;
  pools: PoolView[];
  quota_429s: number;
}

const quota = () => emulator.control<QuotaView>('/quota');
const setQuota = (config: Record<string, unknown>) => emulator.control<QuotaView>('/quota', config);
const spent = async () => (await quota()).pools.reduce((sum, pool) => sum + pool.spent, 0);
const getPage = (cloudId?: string) =>
  emulator.confluence(token, `/wiki/api/v2/pages/${SEED.pages.architecture.id}`, {}, cloudId);

describe('the points price of a request', () => {
  it('is 2 for one page, 1 + n for a list of n, 3 for a user, 1 for a write', async () => {
    expect((await getPage()).status).toBe(200);
    expect(await spent()).toBe(2);

    const list = await emulator.confluence(
      token,
      `/wiki/api/v2/spaces/${SEED.spaces.bulk.id}/pages?limit=250`,
    );
    expect(((await list.json()) as LooseJson).results).toHaveLength(250);
    expect(await spent()).toBe(2 + 251);

    expect((await emulator.confluence(token, '/wiki/rest/api/user/current')).status).toBe(200);
    expect(await spent()).toBe(2 + 251 + 3);

    const created = await emulator.confluence(token, '/wiki/api/v2/pages', {
      method: 'POST',
      body: JSON.stringify({
        spaceId: SEED.spaces.eng.id,
        status: 'current',
        title: 'Priced',
        body: { representation: 'storage', value: '<p>x</p>' },
      }),
    });
    expect(created.status).toBe(200);
    expect(await spent()).toBe(2 + 251 + 3 + 1);
  });

  it('is 1 for a request that fails', async () => {
    expect((await emulator.confluence(token, '/wiki/api/v2/pages/999999')).status).toBe(404);
    expect(await spent()).toBe(1);
  });
});

describe('the rate-limit headers', () => {
  it('state the pool and the reset on every answer, and the remaining points only under 20%', async () => {
    await setQuota({ points: 100, window_seconds: 600 });
    const first = await getPage();
    expect(first.headers.get('ratelimit-policy')).toBe('"global-app-quota";q=100;w=600');
    expect(first.headers.get('ratelimit')).toMatch(/^"global-app-quota";t=\d+$/);
    expect(first.headers.get('x-ratelimit-nearlimit')).toBeNull();

    await emulator.control('/quota/spend', { points: 80 });
    const near = await getPage();
    expect(near.headers.get('ratelimit')).toMatch(/^"global-app-quota";r=16;t=\d+$/);
    expect(near.headers.get('x-ratelimit-nearlimit')).toBe('true');
  });

  it('come with the Beta- prefix when configured so, as before enforcement', async () => {
    await setQuota({ beta_headers: true, points: 50 });
    await emulator.control('/quota/spend', { points: 45 });
    const answer = await getPage();
    expect(answer.headers.get('beta-ratelimit-policy')).toBe('"global-app-quota";q=50;w=3600');
    expect(answer.headers.get('beta-ratelimit')).toMatch(/^"global-app-quota";r=3;t=\d+$/);
    expect(answer.headers.get('ratelimit-policy')).toBeNull();
    expect(answer.headers.get('ratelimit')).toBeNull();
  });

  it('count down to the top of the window on the virtual clock', async () => {
    const before = Number(/t=(\d+)/.exec((await getPage()).headers.get('ratelimit') ?? '')?.[1]);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(3600);
    // The window ends at the top of the UTC hour.
    const resetsAt = Date.parse((await quota()).pools[0]?.resets_at ?? '');
    expect(resetsAt % 3_600_000).toBe(0);
  });
});

describe('a spent pool', () => {
  it('answers every request 429 with Retry-After and RateLimit-Reason until the window ends', async () => {
    await setQuota({ points: 10, window_seconds: 60 });
    for (let n = 0; n < 5; n++) expect((await getPage()).status).toBe(200);
    const refused = await getPage();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-reason')).toBe('confluence-quota-global-based');
    expect(refused.headers.get('ratelimit')).toMatch(/r=0;t=\d+/);
    expect(((await refused.json()) as LooseJson).errors[0].status).toBe(429);
    // Writes too: no partial throttling.
    const write = await emulator.confluence(token, `/wiki/api/v2/pages/${SEED.pages.architecture.id}`, {
      method: 'DELETE',
    });
    expect(write.status).toBe(429);
    expect((await quota()).quota_429s).toBe(2);
    expect(((await emulator.control('/stats')) as LooseJson).quota_429s).toBe(2);

    await emulator.control('/clock', { advance_seconds: retryAfter });
    expect((await getPage()).status).toBe(200);
    expect(await spent()).toBe(2);
  });

  it('is the whole app under Tier 1: one site spending it stops the other', async () => {
    await setQuota({ points: 4 });
    expect((await getPage(CLOUD_IDS.acme)).status).toBe(200);
    expect((await getPage(CLOUD_IDS.acme)).status).toBe(200);
    expect((await getPage(CLOUD_IDS.globex)).status).toBe(429);
  });

  it('is one site under Tier 2: each site has its own pool, sized per site', async () => {
    await setQuota({ tier: 'tenant', points: 4, site_points: { [CLOUD_IDS.globex]: 8 } });
    expect((await getPage(CLOUD_IDS.acme)).status).toBe(200);
    expect((await getPage(CLOUD_IDS.acme)).status).toBe(200);
    const refused = await getPage(CLOUD_IDS.acme);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-reason')).toBe('confluence-quota-tenant-based');
    const other = await emulator.confluence(token, '/wiki/api/v2/spaces?limit=1', {}, CLOUD_IDS.globex);
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-policy')).toBe('"tenant-app-quota";q=8;w=3600');
    const pools = (await quota()).pools;
    expect(pools.map((pool) => [pool.policy, pool.limit, pool.spent]).sort()).toEqual([
      ['tenant-app-quota', 4, 4],
      ['tenant-app-quota', 8, 2],
    ]);
  });
});

describe('the quota control route', () => {
  it('refuses a malformed setting with a message naming it', async () => {
    const response = await fetch(`${emulator.url}/_emulator/quota`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ points: -3 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as LooseJson).error).toContain('"points" must be a positive integer');
  });

  it('is put back to 65,000 points an hour, Tier 1, by a reset', async () => {
    await setQuota({ tier: 'tenant', points: 5, beta_headers: true });
    await emulator.control('/reset', {});
    expect((await quota()).config).toEqual({
      tier: 'global',
      points: 65_000,
      window_seconds: 3600,
      site_points: {},
      beta_headers: false,
    });
  });
});
