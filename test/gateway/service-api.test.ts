import { createExecutionContext, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import app from '../../src/index.ts';
import { sha256Hex } from '../../src/vault/crypto.ts';
import { connectIntegration, kvDump } from './support/connect.ts';
import { emulatorControl, gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { finishSweep } from './support/lifecycle.ts';
import { heldTokens } from './support/vault.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});
afterEach(() => vi.restoreAllMocks());

const INTEGRATION_FIELDS = [
  'account_id',
  'created_at',
  'id',
  'name',
  'owner_id',
  'policy',
  'scopes',
  'site',
  'status',
  'updated_at',
];

function asAgent(token: string, path: string, body: unknown = {}) {
  return gateway(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function issueAgentToken(id: string): Promise<{ id: string; token: string }> {
  const response = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, { label: 'agent' });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; token: string };
}

describe('integrations', () => {
  it("lists an owner's integrations and nobody else's", async () => {
    const a1 = await connectIntegration({ preset: 'single', ownerId: 'owner-a', name: 'A1' });
    const a2 = await connectIntegration({ preset: 'single', ownerId: 'owner-a', name: 'A2' });
    await connectIntegration({ preset: 'single', ownerId: 'owner-b', name: 'B1' });
    const response = await serviceApi('GET', '/api/v1/integrations?owner_id=owner-a');
    expect(response.status).toBe(200);
    const { integrations } = (await response.json()) as { integrations: { id: string }[] };
    expect(integrations.map((integration) => integration.id)).toEqual([a1.id, a2.id]);
    const nobody = await serviceApi('GET', '/api/v1/integrations?owner_id=nobody');
    expect(nobody.status).toBe(200);
    expect(await nobody.json()).toEqual({ integrations: [] });
  });

  it('listing without owner_id is a 400 that names it', async () => {
    const response = await serviceApi('GET', '/api/v1/integrations');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('owner_id');
  });

  it('gets one integration, exactly the Integration fields and never a token', async () => {
    const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const agent = await issueAgentToken(id);
    const webhook = (await (
      await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`)
    ).json()) as {
      secret: string;
    };
    const held = await heldTokens(id);
    const secrets = [held.access_token, held.refresh_token, agent.token, webhook.secret];
    expect(secrets.every((secret) => secret.length >= 16)).toBe(true);

    const response = await serviceApi('GET', `/api/v1/integrations/${id}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(INTEGRATION_FIELDS);
    const list = await (await serviceApi('GET', '/api/v1/integrations?owner_id=owner-1')).text();
    expect(JSON.parse(list).integrations).toEqual([JSON.parse(text)]);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(list).not.toContain(secret);
    }
    expect((await serviceApi('GET', '/api/v1/integrations/int_unknown')).status).toBe(404);
  });

  it('delete answers 204 and erases its tokens, agent tokens and secrets from KV (bulk keys by the sweep after)', async () => {
    const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const agent = await issueAgentToken(id);
    expect((await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`)).status).toBe(201);
    const keep = await connectIntegration({ preset: 'single', ownerId: 'owner-2', name: 'Other' });
    const agentHash = await sha256Hex(agent.token);
    expect([...(await kvDump()).keys()].some((key) => key.includes(id))).toBe(true);

    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    await finishSweep(id);
    const keys = [...(await kvDump()).keys()];
    expect(keys.filter((key) => key.includes(id) || key.includes(agentHash))).toEqual([]);
    expect(keys).toContain(`integration:${keep.id}`);
    expect(keys).toContain(`tokens:${keep.id}`);
    // The refresher forgot the tokens too, so nothing can bring them back.
    const refresher = env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id));
    expect(await refresher.accessToken(id)).toMatchObject({ ok: false, reason: 'erased' });
    expect(
      (await asAgent(agent.token, `/api/v1/integrations/${id}/tools/get_confluence_spaces`)).status,
    ).toBe(401);
    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(404);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(404);
  });

  it("a deleted integration's tool calls are refused at once, exactly as for an id never issued", async () => {
    const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
    const toolPath = (integrationId: string) =>
      `/api/v1/integrations/${integrationId}/tools/get_confluence_spaces`;
    // A first call keeps the record in this isolate's memory; the DELETE must drop it there too.
    expect((await serviceApi('POST', toolPath(id), {})).status).toBe(200);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    const deleted = await serviceApi('POST', toolPath(id), {});
    const neverIssued = await serviceApi('POST', toolPath('int_never_issued'), {});
    expect(deleted.status).toBe(404);
    expect(await deleted.json()).toEqual(
      JSON.parse((await neverIssued.text()).replaceAll('int_never_issued', id)),
    );
  });
});

describe('agent tokens', () => {
  it('are shown once and stored only as a hash', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    const agent = await issueAgentToken(id);
    expect(agent.token.length).toBeGreaterThanOrEqual(40);
    const dump = await kvDump();
    for (const [key, value] of dump) {
      expect(key).not.toContain(agent.token);
      expect(value).not.toContain(agent.token);
    }
    expect(dump.has(`agent-token:${await sha256Hex(agent.token)}`)).toBe(true);
    const record = JSON.stringify(await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json());
    expect(record).not.toContain(agent.token);
  });

  it("work for their own integration's tool calls", async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    const agent = await issueAgentToken(id);
    expect(
      (await asAgent(agent.token, `/api/v1/integrations/${id}/tools/get_confluence_spaces`)).status,
    ).toBe(200);
  });

  it("an agent token of integration A used on integration B's route gets 403", async () => {
    const a = await connectIntegration({ preset: 'single', ownerId: 'owner-a' });
    const b = await connectIntegration({ preset: 'single', ownerId: 'owner-b' });
    const agentOfA = await issueAgentToken(a.id);
    const response = await asAgent(
      agentOfA.token,
      `/api/v1/integrations/${b.id}/tools/get_confluence_spaces`,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ success: false, error: { code: 'forbidden' } });
  });

  it('cannot use the service API', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    const agent = await issueAgentToken(id);
    const response = await gateway(`/api/v1/integrations/${id}`, {
      headers: { authorization: `Bearer ${agent.token}` },
    });
    expect(response.status).toBe(401);
  });

  it('a revoked agent token stops working at once', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    const agent = await issueAgentToken(id);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/agent-tokens/${agent.id}`)).status).toBe(
      204,
    );
    // Its record is gone from KV, not only from the list: nothing is left that a stale read could honour
    // (the lifecycle object's revocation list, test/gateway/revocation.test.ts, is the second wall).
    expect(await env.CONFLUENCE_KV.get(`agent-token:${await sha256Hex(agent.token)}`)).toBeNull();
    expect(
      (await asAgent(agent.token, `/api/v1/integrations/${id}/tools/get_confluence_spaces`)).status,
    ).toBe(401);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/agent-tokens/${agent.id}`)).status).toBe(
      404,
    );
  });
});

describe('the service token', () => {
  it('a wrong token of equal length is refused, and so is a shorter one or none', async () => {
    const wrong = `${SERVICE_TOKEN.slice(0, -1)}X`;
    expect(wrong).toHaveLength(SERVICE_TOKEN.length);
    for (const authorization of [`Bearer ${wrong}`, 'Bearer short', `Basic ${SERVICE_TOKEN}`, undefined]) {
      const response = await gateway('/api/v1/integrations?owner_id=owner-1', {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(JSON.stringify(await response.json())).not.toContain(SERVICE_TOKEN);
    }
  });

  it('is compared in constant time: every character is read, also when lengths differ', async () => {
    const spy = vi.spyOn(String.prototype, 'charCodeAt');
    // Only reads of the service token itself count: routing and parsing read other strings.
    const tokenReadsFor = async (token: string) => {
      spy.mockClear();
      const response = await gateway('/api/v1/integrations?owner_id=owner-1', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
      return spy.mock.contexts.filter((context) => String(context) === SERVICE_TOKEN).length;
    };
    const length = SERVICE_TOKEN.length;
    expect(await tokenReadsFor(`X${SERVICE_TOKEN.slice(1)}`)).toBe(length);
    expect(await tokenReadsFor(`${SERVICE_TOKEN.slice(0, -1)}X`)).toBe(length);
    expect(await tokenReadsFor('X')).toBe(length);
    expect(await tokenReadsFor(SERVICE_TOKEN.slice(0, -1))).toBe(length);
    // A longer token is read to its end, so the service token is read past its own.
    expect(await tokenReadsFor(`${SERVICE_TOKEN}XY`)).toBe(length + 2);
    spy.mockRestore();
  });
});

describe('configuration', () => {
  function withEnv(path: string, overrides: Record<string, unknown>, init: RequestInit = {}) {
    return app.fetch(
      new Request(`http://gateway.test${path}`, init),
      { ...env, ...overrides },
      createExecutionContext(),
    );
  }

  it.each([
    ['SERVICE_API_TOKEN', { SERVICE_API_TOKEN: undefined }, 'missing'],
    ['TOKEN_ENCRYPTION_KEYS', { TOKEN_ENCRYPTION_KEYS: 'k1:not-32-bytes-secret-material' }, 'malformed'],
    ['CONFLUENCE_REDIRECT_URI', { CONFLUENCE_REDIRECT_URI: 'callback-on-some-host' }, 'malformed'],
  ])(
    'without a usable %s, the service API answers 503 naming it (never its value)',
    async (name, overrides, problem) => {
      const response = await withEnv('/api/v1/connect-sessions', overrides, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ owner_id: 'owner-1' }),
      });
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ success: false, error: { code: 'misconfigured' } });
      expect(text).toContain(`${name} is ${problem}`);
      for (const value of Object.values(overrides)) if (value) expect(text).not.toContain(value);
      expect(text).not.toContain(SERVICE_TOKEN);
    },
  );

  it('GET /healthz answers 503 listing missing and malformed settings by name, never values', async () => {
    const badRing = 'k1:c2VjcmV0LWtleS1tYXRlcmlhbA==';
    const response = await withEnv('/healthz', {
      CONFLUENCE_CLIENT_SECRET: undefined,
      CONFLUENCE_CLIENT_ID: '',
      TOKEN_ENCRYPTION_KEYS: badRing,
    });
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      ok: false,
      missing: ['CONFLUENCE_CLIENT_ID', 'CONFLUENCE_CLIENT_SECRET'],
      malformed: ['TOKEN_ENCRYPTION_KEYS'],
    });
    for (const value of [badRing, SERVICE_TOKEN, 'test-client-id', env.TOKEN_ENCRYPTION_KEYS as string]) {
      expect(text).not.toContain(value);
    }
  });
});
