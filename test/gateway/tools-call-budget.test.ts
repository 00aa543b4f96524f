import { createExecutionContext, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/index.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN } from './support/http.ts';
import { connectAcme } from './support/tools.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

/** A tool call through the REST door of a gateway whose TOOL_CALLS_PER_MINUTE is `limit`. */
async function callWithLimit(id: string, limit: number) {
  const response = await app.fetch(
    new Request(`${GATEWAY}/api/v1/integrations/${id}/tools/get_confluence_spaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    }),
    { ...env, TOOL_CALLS_PER_MINUTE: String(limit) },
    createExecutionContext(),
  );
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { error: { retry_after_seconds: number; message: string } },
  };
}

describe('the per-integration tool call budget (TOOL_CALLS_PER_MINUTE)', () => {
  it('refuses a burst past the limit with 429 rate_limited and a wait, and leaves other integrations alone', async () => {
    const busy = await connectAcme('owner-busy');
    const quiet = await connectAcme('owner-quiet');

    const burst = await Promise.all(Array.from({ length: 8 }, () => callWithLimit(busy, 5)));
    expect(burst.filter((answer) => answer.status === 200)).toHaveLength(5);
    const refused = burst.filter((answer) => answer.status !== 200);
    expect(refused).toHaveLength(3);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.body.error).toMatchObject({ code: 'rate_limited', retryable: true });
      expect(answer.body.error.retry_after_seconds).toBeGreaterThanOrEqual(1);
      expect(answer.body.error.retry_after_seconds).toBeLessThanOrEqual(60);
      expect(answer.retryAfter).toBe(String(answer.body.error.retry_after_seconds));
      expect(answer.body.error.message).toContain('TOOL_CALLS_PER_MINUTE');
    }
    // Still refused on the next call, and the other integration still has its whole budget.
    expect((await callWithLimit(busy, 5)).status).toBe(429);
    const others = await Promise.all(Array.from({ length: 5 }, () => callWithLimit(quiet, 5)));
    expect(others.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('counts only calls that would reach Confluence: bad arguments cost nothing', async () => {
    const id = await connectAcme();
    for (let n = 0; n < 3; n++) {
      const response = await app.fetch(
        new Request(`${GATEWAY}/api/v1/integrations/${id}/tools/get_confluence_page`, {
          method: 'POST',
          headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
          body: '{}',
        }),
        { ...env, TOOL_CALLS_PER_MINUTE: '2' },
        createExecutionContext(),
      );
      expect(response.status).toBe(400);
    }
    expect((await callWithLimit(id, 2)).status).toBe(200);
    expect((await callWithLimit(id, 2)).status).toBe(200);
    expect((await callWithLimit(id, 2)).status).toBe(429);
  });

  it('does not fail calls when its Durable Object cannot be reached', async () => {
    const id = await connectAcme();
    const unreachable = {
      idFromName: (name: string) => env.CALL_BUDGET.idFromName(name),
      get: () => ({
        lease: async () => {
          throw new Error('Durable Object reset because its code was updated');
        },
      }),
    };
    const response = await app.fetch(
      new Request(`${GATEWAY}/api/v1/integrations/${id}/tools/get_confluence_spaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      }),
      { ...env, CALL_BUDGET: unreachable },
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
  });
});
