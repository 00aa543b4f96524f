import { createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, MOUNTS, type Mount } from '../../src/app.ts';
import { GATEWAY, SERVICE_TOKEN } from './support/http.ts';
import { agentToken, freshAcme } from './support/tools.ts';

/**
 * Who may call what must not depend on the order the sub-apps are mounted in: five share
 * /api/v1/integrations, and a middleware one of them applied to its whole sub-app used to guard the
 * routes of the ones mounted after it (mounting the integration routes first made every agent-token
 * tool call 401). Each order below must give the answers the gateway gives.
 */

let integrationId: string;
let agent: string;

beforeAll(async () => {
  await reset();
  integrationId = await freshAcme();
  agent = await agentToken(integrationId);
});

/** The calls every order must answer alike: service token, agent token, none. */
function calls(): { name: string; request: Request }[] {
  const at = (path: string, token: string | null, init: RequestInit = {}) =>
    new Request(`${GATEWAY}${path}`, {
      ...init,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  const tool = `/api/v1/integrations/${integrationId}/tools/get_confluence_spaces`;
  const post = { method: 'POST', body: '{}' };
  return [
    {
      name: 'service token reads the integration',
      request: at(`/api/v1/integrations/${integrationId}`, SERVICE_TOKEN),
    },
    {
      name: 'service token lists the events',
      request: at(`/api/v1/integrations/${integrationId}/events`, SERVICE_TOKEN),
    },
    { name: 'service token calls a tool', request: at(tool, SERVICE_TOKEN, post) },
    { name: 'agent token calls a tool', request: at(tool, agent, post) },
    {
      name: 'agent token lists its tools',
      request: at(`/api/v1/integrations/${integrationId}/tools`, agent),
    },
    {
      name: 'agent token reads the integration',
      request: at(`/api/v1/integrations/${integrationId}`, agent),
    },
    {
      name: 'agent token reads the audit log',
      request: at(`/api/v1/integrations/${integrationId}/audit`, agent),
    },
    { name: 'no token calls a tool', request: at(tool, null, post) },
    { name: 'no token reads the integration', request: at(`/api/v1/integrations/${integrationId}`, null) },
    { name: 'no token creates a connect session', request: at('/api/v1/connect-sessions', null, post) },
    {
      // To an id of no integration: answered like a wrong secret, without counting toward its throttle.
      name: 'a webhook with a wrong secret',
      request: new Request(`${GATEWAY}/integrations/confluence/webhooks/${otherId()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': 'not-the-secret' },
        body: '{}',
      }),
    },
  ];
}

/** An integration id that is well-formed but names no integration. */
function otherId(): string {
  return integrationId.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
}

/** Each call's answer from an app mounted in `order`: status, headers and body. */
async function answersOf(order: readonly Mount[]): Promise<Record<string, unknown>> {
  const app = createApp(order);
  const answers: Record<string, unknown> = {};
  for (const { name, request } of calls()) {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, env, ctx);
    const text = await response.text();
    await waitOnExecutionContext(ctx);
    answers[name] = {
      status: response.status,
      headers: [...response.headers].sort(),
      body: await short(text),
    };
  }
  return answers;
}

/** A body as compared: itself, or its length and SHA-256 when long (a tool catalog), to keep a failure readable. */
async function short(text: string): Promise<string> {
  if (text.length <= 4000) return text;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `${text.length} characters, SHA-256 ${[...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (const [index, item] of items.entries()) {
    const rest = [...items.slice(0, index), ...items.slice(index + 1)];
    for (const tail of permutations(rest)) yield [item, ...tail];
  }
}

/** A deterministic shuffle (a small linear congruential generator), so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const nameOf = (mount: Mount) => `${mount[0]} ${MOUNTS.indexOf(mount)}`;

describe('rights do not depend on the order the sub-apps are mounted in', () => {
  it('answers each caller as it should in the usual order', async () => {
    const answers = (await answersOf(MOUNTS)) as Record<string, { status: number; body: string }>;
    // The long bodies are digests; the tool call's answer is short enough to read.
    const statuses = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [name, answer.status]),
    );
    expect(statuses).toEqual({
      'service token reads the integration': 200,
      'service token lists the events': 200,
      'service token calls a tool': 200,
      'agent token calls a tool': 200,
      'agent token lists its tools': 200,
      'agent token reads the integration': 401,
      'agent token reads the audit log': 401,
      'no token calls a tool': 401,
      'no token reads the integration': 401,
      'no token creates a connect session': 401,
      'a webhook with a wrong secret': 401,
    });
    expect(JSON.parse(answers['agent token calls a tool']?.body ?? '{}')).toMatchObject({ success: true });
  });

  it('gives the same answers with the five sub-apps of /api/v1/integrations in each of their 120 orders', async () => {
    const expected = await answersOf(MOUNTS);
    const shared = MOUNTS.filter(([path]) => path === '/api/v1/integrations');
    expect(shared).toHaveLength(5);
    const others = MOUNTS.filter((mount) => !shared.includes(mount));
    let orders = 0;
    for (const order of permutations(shared)) {
      const mounts = [...others, ...order];
      expect({ order: mounts.map(nameOf), answers: await answersOf(mounts) }).toEqual({
        order: mounts.map(nameOf),
        answers: expected,
      });
      orders++;
    }
    expect(orders).toBe(120);
  }, 120_000);

  it('gives the same answers with every sub-app of the gateway shuffled', async () => {
    const expected = await answersOf(MOUNTS);
    for (const mounts of [
      [...MOUNTS].reverse(),
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => shuffled(MOUNTS, seed)),
    ]) {
      expect({ order: mounts.map(nameOf), answers: await answersOf(mounts) }).toEqual({
        order: mounts.map(nameOf),
        answers: expected,
      });
    }
  }, 60_000);
});
