import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenFingerprint } from '../../dev/emulator/request-log.ts';
import { SEED } from '../../dev/emulator/seed.ts';
import { CLIENT, type LooseJson, startTestEmulator, type TestEmulator } from './test-client.ts';

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

const getSpaces = () => emulator.confluence(token, '/wiki/api/v2/spaces');
const getPage = () => emulator.confluence(token, `/wiki/api/v2/pages/${SEED.pages.architecture.id}`);

describe('faults', () => {
  it('serve 429 once with Retry-After and X-RateLimit-* headers, then the real answer', async () => {
    await emulator.control('/faults', {
      match: { path_contains: '/spaces' },
      status: 429,
      retry_after_seconds: 7,
    });
    const limited = await getSpaces();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-limit')).toBeTruthy();
    expect(Date.parse(limited.headers.get('x-ratelimit-reset') ?? '')).not.toBeNaN();
    expect(((await limited.json()) as LooseJson).errors[0].status).toBe(429);
    expect((await getSpaces()).status).toBe(200);
  });

  it('serve 503 with Retry-After', async () => {
    await emulator.control('/faults', { match: {}, status: 503, retry_after_seconds: 2 });
    const response = await getSpaces();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
  });

  it('are consumed in order and honour times', async () => {
    await emulator.control('/faults', { match: {}, status: 500, times: 2 });
    await emulator.control('/faults', { match: {}, status: 503 });
    expect([
      (await getSpaces()).status,
      (await getSpaces()).status,
      (await getSpaces()).status,
      (await getSpaces()).status,
    ]).toEqual([500, 500, 503, 200]);
  });

  it('only hit requests that match method and path', async () => {
    await emulator.control('/faults', { match: { method: 'PUT', path_contains: '/pages/' }, status: 500 });
    expect((await getPage()).status).toBe(200);
    expect((await getSpaces()).status).toBe(200);
    expect((await emulator.control<{ faults: unknown[] }>('/faults')).faults).toHaveLength(1);
  });

  it('hold the answer for delay_ms', async () => {
    await emulator.control('/faults', { match: {}, delay_ms: 300 });
    const started = performance.now();
    expect((await getSpaces()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('park a request with hold until it is released, then serve the real answer', async () => {
    await emulator.control('/faults', { match: { path_contains: '/spaces' }, hold: true });
    let settled = false;
    const call = getSpaces().then((response) => {
      settled = true;
      return response;
    });
    const { held } = await emulator.control<{ held: { method: string; path: string }[] }>(
      '/held?wait_ms=10000',
    );
    expect(held).toEqual([
      { method: 'GET', path: `/ex/confluence/${SEED.sites.acme.cloudId}/wiki/api/v2/spaces` },
    ]);
    expect(settled).toBe(false);
    expect(await emulator.control('/held/release', {})).toEqual({ released: 1 });
    expect((await call).status).toBe(200);
  });

  it('a reset ends delayed and held requests at once: 503, nothing changed, nothing logged', async () => {
    await emulator.control('/faults', { match: { method: 'POST' }, hold: true });
    await emulator.control('/faults', { match: { path_contains: '/spaces' }, delay_ms: 60_000 });
    const started = performance.now();
    const create = emulator.confluence(token, '/wiki/api/v2/pages', {
      method: 'POST',
      body: JSON.stringify({
        spaceId: SEED.spaces.eng.id,
        status: 'current',
        title: 'Written after the reset?',
        body: { representation: 'storage', value: '<p>x</p>' },
      }),
    });
    const slow = getSpaces();
    await emulator.control('/held?wait_ms=10000');
    await emulator.control('/reset', {});
    expect((await create).status).toBe(503);
    expect((await slow).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect((await emulator.control<{ requests: unknown[] }>('/requests')).requests).toEqual([]);
    token = (await emulator.connect()).access_token;
    const pages = await emulator.confluence(
      token,
      `/wiki/api/v2/spaces/${SEED.spaces.eng.id}/pages?limit=250`,
    );
    const titles = ((await pages.json()) as LooseJson).results.map((page: { title: string }) => page.title);
    expect(titles).toContain(SEED.pages.architecture.title);
    expect(titles).not.toContain('Written after the reset?');
  });

  it('send a truncated JSON body with 200 for malformed_json', async () => {
    await emulator.control('/faults', { match: {}, malformed_json: true });
    const response = await getPage();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('send a text/plain body when asked, as some Atlassian 401s do', async () => {
    await emulator.control('/faults', { match: {}, status: 401, text: 'Unauthorized' });
    const response = await getSpaces();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toBe('Unauthorized');
  });

  it('apply to the OAuth routes too', async () => {
    await emulator.control('/faults', { match: { path_contains: '/oauth/token' }, status: 500 });
    const response = await fetch(`${emulator.url}/oauth/token`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'server_error' });
  });

  it('drop_answer: the refresh rotates the token, but the connection closes unanswered', async () => {
    const tokens = await emulator.connect();
    await emulator.control('/faults', { match: { path_contains: '/oauth/token' }, drop_answer: true });
    const refresh = () =>
      emulator.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '', ...CLIENT });
    await expect(refresh()).rejects.toThrow();
    // Rotated: the old refresh token is now only tolerated within the leeway, then kills the family.
    expect((await refresh()).status).toBe(200);
    await emulator.control('/clock', { advance_seconds: 601 });
    expect((await refresh()).status).toBe(403);
  });

  it('stream_bytes: a JSON answer of exactly that size, made as it is read', async () => {
    await emulator.control('/faults', { match: {}, stream_bytes: 3_000_000 });
    const response = await getPage();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toHaveLength(3_000_000);
    expect(JSON.parse(text)).toMatchObject({ id: '1' });
    expect(((await emulator.control('/stats')) as LooseJson).streamed_bytes).toBe(3_000_000);
  });

  it('refuse a fault that does nothing with 400', async () => {
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: {} }),
    });
    expect(response.status).toBe(400);
  });
});

describe('removed endpoints', () => {
  it('answer 410 Gone with the v1 GoneException body on every call until reset, other routes untouched', async () => {
    const search = () => emulator.confluence(token, '/wiki/rest/api/search?cql=type%3Dpage');
    await emulator.control('/config', { removed_endpoints: [{ path_contains: '/wiki/rest/api/search' }] });
    for (let round = 0; round < 2; round++) {
      const gone = await search();
      expect(gone.status).toBe(410);
      expect(await gone.json()).toEqual({
        statusCode: 410,
        message:
          'com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.',
        reason: 'Gone',
      });
    }
    expect((await getSpaces()).status).toBe(200);
    await emulator.control('/reset', {});
    token = (await emulator.connect()).access_token;
    expect((await search()).status).toBe(200);
  });

  it('can take any route away, v2 included, with a v2 error body', async () => {
    await emulator.control('/config', { removed_endpoints: [{ method: 'GET', path_contains: '/pages/' }] });
    const gone = await getPage();
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as LooseJson).errors[0]).toMatchObject({ status: 410, code: 'GONE' });
  });
});

describe('request log', () => {
  it('records method, path, query, status, and redacts authorization to a fingerprint', async () => {
    await emulator.confluence(token, '/wiki/api/v2/spaces?limit=5');
    const { requests } = await emulator.control<{ requests: Array<LooseJson> }>('/requests?path_prefix=/ex/');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'GET',
      path: `/ex/confluence/${SEED.sites.acme.cloudId}/wiki/api/v2/spaces`,
      query: { limit: '5' },
      status: 200,
    });
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${tokenFingerprint(token)}`);
    expect(JSON.stringify(requests)).not.toContain(token);
  });

  it('records JSON bodies and leaves the control plane out', async () => {
    await emulator.confluence(token, '/wiki/api/v2/footer-comments', {
      method: 'POST',
      body: JSON.stringify({
        pageId: SEED.pages.architecture.id,
        body: { representation: 'storage', value: '<p>x</p>' },
      }),
    });
    const { requests } = await emulator.control<{ requests: Array<LooseJson> }>('/requests');
    expect(requests.some((r) => r.path.startsWith('/_emulator'))).toBe(false);
    expect(requests.at(-1)?.body).toMatchObject({ pageId: SEED.pages.architecture.id });
  });

  it('keeps the structure of a large body but not its long strings', async () => {
    await emulator.confluence(token, '/wiki/api/v2/pages', {
      method: 'POST',
      body: JSON.stringify({
        spaceId: SEED.spaces.eng.id,
        status: 'current',
        title: 'Big',
        body: { representation: 'storage', value: 'x'.repeat(100_000) },
      }),
    });
    const { requests } = await emulator.control<{ requests: LooseJson[] }>('/requests?path_prefix=/ex/');
    expect(requests.at(-1)?.body).toMatchObject({
      title: 'Big',
      body: { representation: 'storage', value: expect.stringContaining('[100000 characters]') },
    });
  });

  it('is cleared by DELETE', async () => {
    await getSpaces();
    await emulator.control('/requests', undefined, 'DELETE');
    expect((await emulator.control<{ requests: unknown[] }>('/requests')).requests).toEqual([]);
  });

  /** The Confluence paths in the log (the connect's OAuth calls left out). */
  const loggedPaths = async (since = '') =>
    (
      await emulator.control<{ requests: { path: string }[] }>(`/requests?path_prefix=/ex/${since}`)
    ).requests.map((r) => r.path.replace(`/ex/confluence/${SEED.sites.acme.cloudId}/wiki/api/v2`, ''));

  /** A spaces call parked by a `hold` fault: the call an earlier test abandoned, still in flight. */
  const parkedSpacesCall = async () => {
    await emulator.control('/faults', { match: { path_contains: '/spaces' }, hold: true });
    const answer = getSpaces();
    expect((await emulator.control<{ held: unknown[] }>('/held?wait_ms=10000')).held).toHaveLength(1);
    return { answer };
  };

  it('leaves out a request that arrived before DELETE and ends after it: it belongs to the test before', async () => {
    const late = (await parkedSpacesCall()).answer;
    await emulator.control('/requests', undefined, 'DELETE');
    await getPage();
    await emulator.control('/held/release', {});
    expect((await late).status).toBe(200);
    expect(await loggedPaths()).toEqual([`/pages/${SEED.pages.architecture.id}`]);
  });

  it('with since=<seq>, shows only the requests that arrived after that mark, however late they ended', async () => {
    const late = (await parkedSpacesCall()).answer;
    const { seq } = await emulator.control<{ seq: number }>('/requests');
    await getPage();
    await emulator.control('/held/release', {});
    expect((await late).status).toBe(200);
    expect(await loggedPaths(`&since=${seq}`)).toEqual([`/pages/${SEED.pages.architecture.id}`]);
    expect(await loggedPaths()).toEqual([`/pages/${SEED.pages.architecture.id}`, '/spaces']);
  });

  it('refuses a since that is not a seq, saying what to send', async () => {
    const response = await fetch(`${emulator.url}/_emulator/requests?since=yesterday`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: '"since" must be a whole number ≥ 0: the "seq" a previous answer gave',
    });
  });
});

describe('reset', () => {
  it('clears faults, clock, config, stats and added clients', async () => {
    await emulator.control('/faults', { match: {}, status: 500 });
    await emulator.control('/clock', { advance_seconds: 100 });
    await emulator.control('/config', {
      auto_approve: true,
      site_preset: 'jira_only',
      access_token_ttl_seconds: 5,
    });
    await emulator.control('/clients', { client_id: 'extra', client_secret: 's' });
    await emulator.control('/reset', {});
    expect((await emulator.control<{ faults: unknown[] }>('/faults')).faults).toEqual([]);
    expect((await emulator.control<{ offset_seconds: number }>('/clock')).offset_seconds).toBe(0);
    const config = await emulator.control<LooseJson>('/config');
    expect(config).toMatchObject({ auto_approve: false, access_token_ttl_seconds: 3600 });
    expect(config.sites).toHaveLength(3);
    expect(config.clients.map((c: { client_id: string }) => c.client_id)).toEqual(['test-client-id']);
    expect(
      (await emulator.control<{ token_requests: Record<string, number> }>('/stats')).token_requests
        .authorization_code,
    ).toBe(0);
  });

  it('returns to the clients and options the emulator was started with', async () => {
    const custom = await startTestEmulator({
      clients: [{ clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' }],
      autoApprove: true,
    });
    try {
      await custom.control('/reset', {});
      const config = await custom.control<LooseJson>('/config');
      expect(config.auto_approve).toBe(true);
      expect(config.clients.map((c: { client_id: string }) => c.client_id)).toEqual(['sandbox-client-id']);
    } finally {
      await custom.close();
    }
  });

  it('refuses bad config with 400 naming the field', async () => {
    const response = await fetch(`${emulator.url}/_emulator/config`, {
      method: 'POST',
      body: JSON.stringify({ site_preset: 'nope' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as LooseJson).error).toContain('site_preset');
  });
});
