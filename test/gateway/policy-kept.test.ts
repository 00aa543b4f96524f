import { createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, expect, it } from 'vitest';
import app from '../../src/index.ts';
import {
  approveConsent,
  connectIntegration,
  createConnectSession,
  type Integration,
  integrationIdFrom,
  RETURN_URL,
  startConnect,
} from './support/connect.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { callTool } from './support/tools.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

type GatewayEnv = typeof env;

/**
 * The gateway as it runs in another location, whose KV still serves the integration record as it
 * was when `snapshot` was taken (KV propagates within about 60 s). Everything else is shared.
 */
function elsewhere(id: string, snapshot: string) {
  const kv = env.CONFLUENCE_KV;
  const stale = new Proxy(kv, {
    get(target, property) {
      if (property === 'get') {
        return (key: string, options?: unknown) => {
          if (key !== `integration:${id}`) return target.get(key, options as 'text');
          const wantsJson = options === 'json' || (options as { type?: string } | undefined)?.type === 'json';
          return Promise.resolve(wantsJson ? JSON.parse(snapshot) : snapshot);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const staleEnv = { ...env, CONFLUENCE_KV: stale } as GatewayEnv;
  return async (request: Request): Promise<Response> => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, staleEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

async function integration(id: string): Promise<Integration> {
  return (await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as Integration;
}

it('keeps every change when a PATCH, a needs_reauth and a reconnect interleave with stale reads', async () => {
  const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
  const snapshot = (await env.CONFLUENCE_KV.get(`integration:${id}`)) as string;
  const remote = elsewhere(id, snapshot);

  // Here: the operator makes the integration read-only.
  const readOnly = await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { read_only: true } });
  expect(readOnly.status).toBe(200);

  // Atlassian stops accepting the grant; the gateway finds out and marks it needs_reauth.
  expect((await callTool(id, 'get_confluence_spaces')).status).toBe(200);
  await emulatorControl('POST', '/tokens/revoke', {});
  expect((await callTool(id, 'get_confluence_spaces')).body.error.code).toBe('needs_reauth');
  expect((await integration(id)).status).toBe('needs_reauth');

  // Elsewhere, with the record as it was before both: the operator confines it to ENG.
  const confine = await remote(
    new Request(`${GATEWAY}/api/v1/integrations/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ policy: { allowed_spaces: ['ENG'] } }),
    }),
  );
  expect(confine.status).toBe(200);
  expect(await integration(id)).toMatchObject({
    status: 'needs_reauth',
    policy: { read_only: true, allowed_spaces: ['ENG'] },
  });

  // The user reconnects, and the callback lands elsewhere too.
  const session = await createConnectSession({
    owner_id: 'owner-1',
    integration_id: id,
    return_url: RETURN_URL,
  });
  const browser = await startConnect(session.connect_url);
  const callback = await approveConsent(browser.authorizeUrl);
  const finished = await remote(
    new Request(new URL(callback, GATEWAY), {
      redirect: 'manual',
      headers: { cookie: browser.cookie ?? '' },
    }),
  );
  expect(integrationIdFrom(finished)).toBe(id);

  const after = await integration(id);
  expect(after.status).toBe('active');
  expect(after.policy).toEqual({
    read_only: true,
    allowed_tools: null,
    denied_tools: [],
    allowed_spaces: ['ENG'],
    toolsets: null,
  });
  // And the policy holds for the next call.
  const write = await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'x', body: 'x' });
  expect(write.body.error).toMatchObject({ code: 'forbidden', rule: 'read_only' });
});
