import { createExecutionContext, reset, runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/index.ts';
import { kvKeys } from '../../src/kv-keys.ts';
import { listKeys } from '../../src/vault/integrations.ts';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { countingKv, countLifecycleKv, lifecycle } from './support/lifecycle.ts';
import { agentToken, callTool } from './support/tools.ts';

/** Workers allow this many KV operations per invocation. */
const KV_OPERATIONS_LIMIT = 1_000;

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

/** Stores `count` webhook events for the integration, as the receiver would have. */
async function storeEvents(id: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - start) }, (_, n) =>
        env.CONFLUENCE_KV.put(kvKeys.webhookEvent(id, String(start + n).padStart(8, '0')), '{}'),
      ),
    );
  }
}

describe('DELETE /api/v1/integrations/:id with 5,000 stored events', () => {
  it('answers 204 at once, and no invocation, the request or a later purge, makes over 1,000 KV operations', async () => {
    const { id } = await connectIntegration({ preset: 'single', ownerId: 'owner-bulk' });
    const agent = await agentToken(id);
    await storeEvents(id, 5_000);
    const objectKv = await countLifecycleKv(id);
    const workerKv = countingKv();

    const response = await app.fetch(
      new Request(`${GATEWAY}/api/v1/integrations/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
      }),
      { ...env, CONFLUENCE_KV: workerKv.kv },
      createExecutionContext(),
    );
    expect(response.status).toBe(204);
    expect(workerKv.count).toBeLessThanOrEqual(KV_OPERATIONS_LIMIT);
    expect(objectKv.count).toBeLessThanOrEqual(KV_OPERATIONS_LIMIT);

    // Gone for every caller from that moment, though its events are still being purged.
    expect((await serviceApi('GET', `/api/v1/integrations/${id}`)).status).toBe(404);
    const listed = await (await serviceApi('GET', '/api/v1/integrations?owner_id=owner-bulk')).json();
    expect(listed).toEqual({ integrations: [] });
    expect((await callTool(id, 'get_confluence_spaces', {}, agent)).status).toBe(401);

    let purges = 0;
    while (await runInvocation()) purges++;
    async function runInvocation(): Promise<boolean> {
      objectKv.count = 0;
      const ran = await runDurableObjectAlarm(lifecycle(id));
      expect(objectKv.count).toBeLessThanOrEqual(KV_OPERATIONS_LIMIT);
      return ran;
    }
    expect(purges).toBeGreaterThanOrEqual(5_000 / KV_OPERATIONS_LIMIT);
    expect((await listKeys(env.CONFLUENCE_KV, '')).filter((key) => key.includes(id))).toEqual([]);
    expect((await listKeys(env.CONFLUENCE_KV, 'agent-token:')).length).toBe(0);
  }, 120_000);
});
