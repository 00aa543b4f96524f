import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

/** A POST /mcp as a browser page sends it: to `host`, from a page on `origin`. */
function fromPage(host: string, origin: string): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`${host}/mcp`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    }),
  );
}

describe('the MCP Origin check', () => {
  it('refuses a page whose origin is the request’s own Host but not the gateway’s (DNS rebinding)', async () => {
    const response = await fromPage('http://rebound.example', 'http://rebound.example');
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toMatch(/MCP_ALLOWED_ORIGINS/);
  });

  it('lets a page on the gateway’s configured public origin through to authentication', async () => {
    // CONFLUENCE_REDIRECT_URI is http://gateway.test/… in the suite; no token, so 401, not 403.
    expect((await fromPage('http://gateway.test', 'http://gateway.test')).status).toBe(401);
  });
});
