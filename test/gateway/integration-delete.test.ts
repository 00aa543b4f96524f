import { createExecutionContext, reset, runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/index.ts';
import { kvKeys } from '../../src/kv-keys.ts';
import { connectIntegration, kvDump } from './support/connect.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN } from './support/http.ts';
import { countingKv, countLifecycleKv, lifecycle, memoryKv } from './support/lifecycle.ts';
import { agentToken } from './support/tools.ts';

/** Workers allow this many KV operations per invocation. */
const KV_OPERATIONS_LIMIT = 1_000;

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

describe('DELETE /api/v1/integrations/:id with 5,000 stored events', () => {
  it('answers 204 at once, and no invocation, the request or a later purge, makes over 1,000 KV operations', async () => {
    const { id } = await connectIntegration({ preset: 'single', ownerId: 'owner-bulk' });
    const agent = await agentToken(id);
    // The gateway's KV as it stands, plus 5,000 events as the receiver would have stored them, in a
    // KV of this test's own (the local simulator would spend minutes on 10,000 operations).
    const kv = memoryKv(await kvDump());
    for (let n = 0; n < 5_000; n++) await kv.put(kvKeys.webhookEvent(id, String(n).padStart(8, '0')), '{}');
    const objectKv = await countLifecycleKv(id, kv);
    const workerKv = countingKv(kv);
    const request = (method: string, path: string, token = SERVICE_TOKEN) =>
      app.fetch(
        new Request(`${GATEWAY}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: method === 'POST' ? '{}' : undefined,
        }),
        { ...env, CONFLUENCE_KV: workerKv.kv },
        createExecutionContext(),
      );

    expect((await request('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    expect(workerKv.count).toBeLessThanOrEqual(KV_OPERATIONS_LIMIT);
    expect(objectKv.count).toBeLessThanOrEqual(KV_OPERATIONS_LIMIT);

    // Gone for every caller from that moment, though its events are still being purged.
    expect((await request('GET', `/api/v1/integrations/${id}`)).status).toBe(404);
    const listed = await request('GET', '/api/v1/integrations?owner_id=owner-bulk');
    expect(await listed.json()).toEqual({ integrations: [] });
    const toolCall = await request('POST', `/api/v1/integrations/${id}/tools/get_confluence_spaces`, agent);
    expect(toolCall.status).toBe(401);

    let purges = 0;
    for (;;) {
      objectKv.count = 0;
      if (!(await runDurableObjectAlarm(lifecycle(id)))) break;
      expect(objectKv.count).toBeLessThanOrEqual(KV_OPERATIONS_LIMIT);
      purges++;
    }
    expect(purges).toBeGreaterThanOrEqual(5_000 / KV_OPERATIONS_LIMIT);
    const left = (await kv.list({ limit: 10_000 })).keys.map((key) => key.name);
    expect(left.filter((key) => key.includes(id) || key.startsWith('agent-token:'))).toEqual([]);
  });
});
