import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../src/vault/crypto.ts';
import { emulatorControl, serviceApi } from './support/http.ts';
import { callTool, connectAcme } from './support/tools.ts';

/**
 * An isolate remembers the record of an agent token it has just found, so that an agent's run of
 * calls does not read and parse it again each time: no longer than the revocation check's 5 s, and
 * never past a revocation made in that isolate.
 */
beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

afterEach(() => {
  vi.useRealTimers();
});

async function issue(id: string): Promise<{ id: string; token: string }> {
  const issued = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, { label: 'agent' });
  expect(issued.status).toBe(201);
  return (await issued.json()) as { id: string; token: string };
}

describe("an agent token's record", () => {
  it('is read again once the revocation check’s 5 s have passed: a narrower policy written since applies', async () => {
    const id = await connectAcme();
    const { token } = await issue(id);
    expect((await callTool(id, 'get_confluence_spaces', {}, token)).status).toBe(200);

    // The record changes in KV (as a rewrite elsewhere would leave it): this token may no longer list spaces.
    const key = `agent-token:${await sha256Hex(token)}`;
    const record = JSON.parse((await env.CONFLUENCE_KV.get(key)) as string);
    const policy = {
      read_only: false,
      allowed_tools: null,
      denied_tools: ['get_confluence_spaces'],
      allowed_spaces: null,
      toolsets: null,
    };
    await env.CONFLUENCE_KV.put(key, JSON.stringify({ ...record, policy }));
    // Within the 5 s this isolate answers from the record it found: no KV read, no parse.
    expect((await callTool(id, 'get_confluence_spaces', {}, token)).status).toBe(200);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5_000 + 1);
    const answer = await callTool(id, 'get_confluence_spaces', {}, token);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({
      code: 'forbidden',
      rule: 'denied_tools',
      policy: 'agent_token',
    });
  });

  it('remembered by the isolate that revokes the token does not keep it working, even where KV still serves it', async () => {
    const id = await connectAcme();
    const { id: tokenId, token } = await issue(id);
    // Used twice: the second call is answered from the remembered record.
    expect((await callTool(id, 'get_confluence_spaces', {}, token)).status).toBe(200);
    expect((await callTool(id, 'get_confluence_spaces', {}, token)).status).toBe(200);
    const key = `agent-token:${await sha256Hex(token)}`;
    const stale = (await env.CONFLUENCE_KV.get(key)) as string;

    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/agent-tokens/${tokenId}`)).status).toBe(
      204,
    );
    await env.CONFLUENCE_KV.put(key, stale);
    const answer = await callTool(id, 'get_confluence_spaces', {}, token);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });
});
