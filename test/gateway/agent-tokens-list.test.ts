import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, serviceApi } from './support/http.ts';
import { callTool, connectAcme } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme('owner-token-list');
});

interface Listed {
  agent_tokens: { id: string; label: string | null; created_at: string; last_used_at: string | null }[];
}

async function issue(label: string): Promise<{ id: string; token: string }> {
  const response = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, { label });
  expect(response.status).toBe(201);
  return response.json();
}

async function list(): Promise<Listed> {
  const response = await serviceApi('GET', `/api/v1/integrations/${id}/agent-tokens`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('GET /api/v1/integrations/:id/agent-tokens', () => {
  it('lists each token by id, label and creation time, never the token, so a lost id can be revoked', async () => {
    const first = await issue('ci agent');
    const second = await issue('chat agent');
    const listed = await list();
    expect(listed.agent_tokens.map((t) => [t.id, t.label, t.last_used_at])).toEqual([
      [first.id, 'ci agent', null],
      [second.id, 'chat agent', null],
    ]);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(first.token);
    expect(text).not.toContain(second.token);
    expect(text).not.toContain(first.token.slice('cgw_agent_'.length));

    const revoke = await serviceApi('DELETE', `/api/v1/integrations/${id}/agent-tokens/${first.id}`);
    expect(revoke.status).toBe(204);
    expect((await list()).agent_tokens.map((t) => t.id)).toEqual([second.id]);
  });

  it('shows when a token was last used', async () => {
    const used = await issue('used');
    const idle = await issue('idle');
    const before = Date.now();
    expect((await callTool(id, 'get_confluence_spaces', {}, used.token)).status).toBe(200);
    // The use is noted after the answer (waitUntil): read until it shows.
    let listed = await list();
    for (let i = 0; i < 20 && listed.agent_tokens.find((t) => t.id === used.id)?.last_used_at == null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await list();
    }
    const usedAt = listed.agent_tokens.find((t) => t.id === used.id)?.last_used_at;
    expect(usedAt).not.toBeNull();
    expect(Date.parse(usedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(listed.agent_tokens.find((t) => t.id === idle.id)?.last_used_at).toBeNull();
  });

  it('answers 404 for an unknown integration', async () => {
    const response = await serviceApi('GET', '/api/v1/integrations/no-such-integration/agent-tokens');
    expect(response.status).toBe(404);
  });
});
