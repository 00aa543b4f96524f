import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, gateway, serviceApi } from './support/http.ts';
import { agentToken, callTool, connectAcme } from './support/tools.ts';

/** The REST door and the MCP door must answer a caller alike: their rules live in callTool. */
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
});

/** One tools/call over MCP (2025-11-25, plain JSON), as an agent with `token` sends it. */
async function mcpToolCall(path: string, token: string, name: string, args: unknown) {
  const response = await gateway(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers are checked field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('both doors', () => {
  it('answer the agent token of a deleted integration as an invalid credential', async () => {
    const id = await connectAcme();
    const token = await agentToken(id);
    // A call just before: this isolate knows the token as valid for a few seconds (revocations.ts),
    // so what answers next is the tool call path's own rule.
    expect((await callTool(id, 'get_confluence_spaces', {}, token)).status).toBe(200);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);

    const rest = await callTool(id, 'get_confluence_spaces', {}, token);
    expect(rest.status).toBe(401);
    expect(rest.body.error.code).toBe('unauthorized');

    const mcp = await mcpToolCall('/mcp', token, 'get_confluence_spaces', {});
    expect(mcp.body.result.isError).toBe(true);
    expect(mcp.body.result.structuredContent.error).toEqual(rest.body.error);
  });

  it('refuse another integration’s agent token with the same 403', async () => {
    const mine = await connectAcme('owner-a');
    const other = await connectAcme('owner-b');
    const token = await agentToken(other);
    const rest = await callTool(mine, 'get_confluence_spaces', {}, token);
    expect(rest.status).toBe(403);
    const mcp = await mcpToolCall(`/api/v1/integrations/${mine}/mcp`, token, 'get_confluence_spaces', {});
    expect(mcp.status).toBe(403);
    expect(mcp.body.error).toEqual(rest.body.error);
  });
});
